#!/usr/bin/env node
// Lesson picker: `natslab` (no arguments) in a private tmux (100x30), from the
// launch to the first picker frame on screen (its key hint line). Floor, in the
// same tmux and the same way: a bare `node -e` that prints one line. Warm: one
// run of each first (file cache, no compile cache on Node 20), then the median of
// 5, alternating. q closes the picker; nothing else runs (no server starts).
//
// Needs tmux and dist/ (npm run bench builds it).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadAverage, median, reportFigure, sleep } from './lib.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = 5;
const HINT = '↑/↓ choose';

const dir = mkdtempSync(join(tmpdir(), 'natslab-bench-picker-'));
const socket = join(dir, 'tmux.sock');
const tmux = (...args) => execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
const screen = (name) => {
	try {
		return tmux('capture-pane', '-p', '-t', name);
	} catch {
		return '';
	}
};

/** ms from `tmux new-session` running `command` until the screen shows `text`. */
async function timeToScreen(name, command, text) {
	const t0 = performance.now();
	tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '30', `${command}; sleep 600`);
	for (;;) {
		if (screen(name).includes(text)) break;
		if (performance.now() - t0 > 30_000) throw new Error(`no "${text}" within 30 s:\n${screen(name)}`);
		await sleep(2);
	}
	return performance.now() - t0;
}

async function picker(i) {
	const name = `picker-${i}`;
	const cmd = `cd '${ROOT}' && env -u CI -u CONTINUOUS_INTEGRATION NATSLAB_HOME='${join(dir, 'home')}' node dist/cli.js`;
	const ms = await timeToScreen(name, cmd, HINT);
	tmux('send-keys', '-t', name, 'q');
	// Closed: the shell goes on to `sleep`, the picker's frame is gone or left as is; kill the window.
	tmux('kill-session', '-t', name);
	return ms;
}

async function floor(i) {
	const name = `floor-${i}`;
	const ms = await timeToScreen(name, `node -e "console.log('${HINT}')"`, HINT);
	tmux('kill-session', '-t', name);
	return ms;
}

try {
	// One session that outlives the measured ones, so that killing those never stops the tmux server.
	tmux('new-session', '-d', '-s', 'keep', 'sleep 3600');
	await picker('warm');
	await floor('warm');
	const runs = [];
	const floors = [];
	for (let i = 0; i < RUNS; i++) {
		runs.push(await picker(i));
		floors.push(await floor(i));
	}
	console.log(`load ${(await loadAverage()).join(' ')}`);
	reportFigure({
		id: 'picker',
		label: 'lesson picker: launch → first frame (warm)',
		value: median(runs),
		floor: median(floors),
		floorLabel: 'bare node printing one line, same tmux',
		runs,
		floorRuns: floors,
	});
} catch (err) {
	console.error(`picker bench failed: ${err instanceof Error ? err.message : String(err)}`);
	process.exitCode = 1;
} finally {
	try {
		tmux('kill-server');
	} catch {
		// already gone
	}
	rmSync(dir, { recursive: true, force: true });
}
