#!/usr/bin/env node
// Screen benchmark: the real `natslab sandbox` in a private tmux (100x30), measured
// from outside. Prints: time to the first output (a placeholder line written before
// Ink loads), to the first Ink frame (the setup view) and to the dashboard, how long a
// server's exit takes to show on screen (kill -9 from outside), the natslab
// process's CPU over 10 s with no key pressed (probes and pollers running), its
// RSS, and how long q takes to stop everything.
//
// Binaries: NATSLAB_TEST_BIN_DIR (<dir>/<version>/nats-server) or the test cache
// .natslab-test/cache/servers; otherwise natslab downloads them (then the first
// figures include the download). Needs dist/ (npm run bench builds it).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
// Below the ephemeral range (32768+), apart from the test blocks of test/support/ports.ts.
const BASE_PORT = 21_400;
const VERSIONS = ['2.9.10', '2.10.27'];
const CLK_TCK = 100;

const dir = mkdtempSync(join(tmpdir(), 'natslab-bench-screen-'));
const home = join(dir, 'home');
const socket = join(dir, 'tmux.sock');
const tmux = (...args) => execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
const screen = () => {
	try {
		return tmux('capture-pane', '-p', '-t', 'app');
	} catch {
		return '';
	}
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();

async function waitFor(pred, what, timeoutMs = 60_000, everyMs = 5) {
	const start = now();
	for (;;) {
		const s = screen();
		if (pred(s)) return { screen: s, ms: now() - start };
		if (now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}:\n${s}`);
		await sleep(everyMs);
	}
}

const row = (s, node) => s.split('\n').find((l) => new RegExp(`^│[› ] \\d ${node} `).test(l)) ?? '';
const allUp = (s) => ['n1', 'n2', 'n3'].every((n) => row(s, n).includes('● up'));
const leaderOf = (s) => /meta leader (n\d) for /.exec(s)?.[1] ?? null;

function procStat(pid) {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return { state: fields[0], ticks: Number(fields[11]) + Number(fields[12]) };
}
function alive(pid) {
	try {
		return procStat(pid).state !== 'Z';
	} catch {
		return false;
	}
}
function memory(pid) {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
	return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${Math.round(ms)} ms`;

function runFilePids() {
	const run = JSON.parse(readFileSync(join(home, 'state', 'clusters', 'sandbox', 'run.json'), 'utf8'));
	return Object.fromEntries(Object.entries(run.nodes).map(([n, r]) => [n, r.pid]));
}

async function main() {
	if (!existsSync(join(ROOT, 'dist', 'cli.js')))
		throw new Error('dist/cli.js missing: run npm run build first');
	const binDir = process.env.NATSLAB_TEST_BIN_DIR ?? join(ROOT, '.natslab-test', 'cache', 'servers');
	mkdirSync(join(home, 'cache', 'servers'), { recursive: true });
	let linked = 0;
	for (const v of VERSIONS) {
		if (existsSync(join(binDir, v, 'nats-server'))) {
			symlinkSync(join(binDir, v), join(home, 'cache', 'servers', v));
			linked++;
		}
	}
	if (linked < VERSIONS.length)
		console.log('note: binaries not found locally; natslab downloads them (slower start)');

	const cmd = `cd '${ROOT}' && env -u CI -u CONTINUOUS_INTEGRATION NATSLAB_HOME='${home}' node dist/cli.js sandbox --base-port ${BASE_PORT}; echo "[exited $?]"; sleep 600`;
	const t0 = now();
	tmux('new-session', '-d', '-s', 'app', '-x', '100', '-y', '30', cmd);
	const first = await waitFor((s) => s.trim() !== '', 'the first output', 20_000, 2);
	const firstOutputMs = now() - t0;
	await waitFor((s) => s.includes('starting a local cluster') || allUp(s), 'the setup view', 20_000, 2);
	const firstFrameMs = now() - t0;
	await waitFor((s) => allUp(s) && leaderOf(s) !== null, 'the dashboard');
	const dashboardMs = now() - t0;
	console.log(`first output:            ${fmt(firstOutputMs)}  (${first.screen.split('\n')[0]?.trim()})`);
	console.log(`first frame (setup view): ${fmt(firstFrameMs)}`);
	console.log(`dashboard (3 up, leader): ${fmt(dashboardMs)}`);

	const panePid = Number(tmux('display-message', '-p', '-t', 'app', '#{pane_pid}').trim());
	const appPid = Number(
		execFileSync('pgrep', ['-P', String(panePid), '-f', 'dist/cli.js'], { encoding: 'utf8' }).trim(),
	);

	// A server process exits (kill -9 from outside): how long until its row says so?
	const exitToFrame = [];
	const seenPids = new Set();
	for (let i = 0; i < 3; i++) {
		const leader = leaderOf(screen());
		const victim = ['n3', 'n2', 'n1'].find((n) => n !== leader);
		const pid = runFilePids()[victim];
		seenPids.add(pid);
		const killedAt = now();
		process.kill(pid, 'SIGKILL');
		await waitFor((s) => row(s, victim).includes('exited SIGKILL'), `${victim} shown as killed`, 10_000, 2);
		exitToFrame.push(now() - killedAt);
		tmux('send-keys', '-t', 'app', String(['n1', 'n2', 'n3'].indexOf(victim) + 1), 's');
		await waitFor((s) => allUp(s) && leaderOf(s) !== null, 'all up again', 60_000, 20);
		for (const p of Object.values(runFilePids())) if (p) seenPids.add(p);
	}
	console.log(
		`process exit → frame:    median ${fmt(median(exitToFrame))}  (runs: ${exitToFrame.map(fmt).join(', ')})`,
	);

	// Idle: nobody presses a key; probes publish, pollers poll, the clock ticks.
	await sleep(3000);
	const before = procStat(appPid).ticks;
	const idleStart = now();
	await sleep(10_000);
	const cpuPct = ((procStat(appPid).ticks - before) / CLK_TCK / ((now() - idleStart) / 1000)) * 100;
	const mem = memory(appPid);
	console.log(
		`CPU, 10 s without keys:  ${cpuPct.toFixed(1)} % of one core (natslab process: screen + probes + pollers)`,
	);
	console.log(`RSS:                     ${mem.rssMb.toFixed(0)} MB (peak ${mem.peakMb.toFixed(0)} MB)`);

	const quitAt = now();
	tmux('send-keys', '-t', 'app', 'q');
	const quit = await waitFor((s) => /\[exited \d+\]/.test(s), 'the exit', 60_000, 10);
	const left = [...seenPids].filter(alive);
	console.log(
		`q → exited:              ${fmt(now() - quitAt)}  (${/\[exited (\d+)\]/.exec(quit.screen)?.[0]}; servers left running: ${left.length})`,
	);
	if (left.length > 0) {
		for (const p of left) process.kill(p, 'SIGKILL');
		throw new Error(`servers left running: ${left.join(', ')}`);
	}
}

try {
	await main();
} catch (err) {
	console.error(`bench/screen: ${err instanceof Error ? err.message : String(err)}`);
	process.exitCode = 1;
} finally {
	try {
		tmux('kill-server');
	} catch {}
	rmSync(dir, { recursive: true, force: true });
}
