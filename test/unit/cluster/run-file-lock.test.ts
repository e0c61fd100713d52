// run.json's lock, with real concurrent processes writing through the real
// run-file API: no update is lost, a live holder is waited for, a dead
// holder's lock is broken. (The writers pause between read and write, so that
// without the lock they would overwrite each other: see the figures in the
// commit that added this test.)
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../../src/base/wait.js';
import { processStartTime } from '../../../src/cluster/process-info.js';
import { type RunFile, readRunFile, updateRunFile, writeRunFile } from '../../../src/cluster/run-file.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const WRITER = join(ROOT, 'test', 'support', 'run-file-writer.ts');
const dir = mkdtempSync(join(tmpdir(), 'natslab-runlock-'));
const children = new Set<ChildProcess>();

afterEach(() => {
	for (const c of children) c.kill('SIGKILL');
	children.clear();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function freshRunFile(): string {
	const path = join(dir, `ws-${n++}`, 'run.json');
	const run: RunFile = {
		format: 1,
		workspace: 'lock-test',
		basePort: 0,
		owner: null,
		detached: true,
		nodes: {},
	};
	writeRunFile(path, run);
	return path;
}

function writer(args: string[]): { child: ChildProcess; exited: Promise<number | null>; out: () => string } {
	const child = spawn(process.execPath, ['--import', 'tsx', WRITER, ...args], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	children.add(child);
	let out = '';
	child.stdout?.on('data', (d: Buffer) => {
		out += d.toString();
	});
	const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
	return { child, exited, out: () => out };
}

const until = (what: string, ok: () => boolean, timeoutMs = 60_000) =>
	waitUntil(ok, { timeoutMs, everyMs: 20, describe: () => `timed out waiting for ${what}` });

function counter(path: string): number {
	const run = readRunFile(path);
	if (run === null || run === 'invalid') throw new Error(`run file is ${run}`);
	return run.basePort;
}

describe('run.json lock', () => {
	it('three processes doing read-modify-writes at once lose no update', async () => {
		const path = freshRunFile();
		const go = join(dirname(path), 'go');
		const perWriter = 60;
		const writers = [0, 1, 2].map(() => writer(['count', path, go, String(perWriter)]));
		// Start them together (tsx takes a while to load), so their updates really interleave.
		writeFileSync(go, '');
		expect(await Promise.all(writers.map((w) => w.exited))).toEqual([0, 0, 0]);
		expect(counter(path)).toBe(3 * perWriter);
		// The lock file is gone again, and nothing else was left beside run.json.
		expect(readdirSync(dirname(path)).sort()).toEqual(['go', 'run.json']);
	}, 120_000);

	it('waits for a live holder and then goes on with what it wrote', async () => {
		const path = freshRunFile();
		const holder = writer(['hold', path, '1500']);
		await until('the holder to take the lock', () => holder.out().includes('holding'));
		expect(existsSync(`${path}.lock`)).toBe(true);
		// Blocks (synchronously) until the holder has written and released.
		updateRunFile(path, (current) => {
			if (current === null || current === 'invalid') throw new Error('no run file');
			return { ...current, basePort: current.basePort + 1 };
		});
		expect(counter(path)).toBe(1001);
		expect(await holder.exited).toBe(0);
	}, 120_000);

	it("breaks the lock of a holder that died holding it (SIGKILL) and of a pid that isn't running", async () => {
		const path = freshRunFile();
		const holder = writer(['hold', path, '600000']);
		await until('the holder to take the lock', () => holder.out().includes('holding'));
		holder.child.kill('SIGKILL');
		await holder.exited;
		updateRunFile(path, (current) =>
			current === null || current === 'invalid' ? undefined : { ...current, basePort: 7 },
		);
		expect(counter(path)).toBe(7);
		expect(existsSync(`${path}.lock`)).toBe(false);

		// A lock naming this very process but with another start time: a reused pid, not a holder.
		writeFileSync(
			`${path}.lock`,
			JSON.stringify({ pid: process.pid, startTime: `${processStartTime(process.pid)}0` }),
		);
		updateRunFile(path, (current) =>
			current === null || current === 'invalid' ? undefined : { ...current, basePort: 8 },
		);
		expect(counter(path)).toBe(8);
		// pid 2^22+1 is above Linux's pid_max: nobody holds this one.
		writeFileSync(`${path}.lock`, JSON.stringify({ pid: 2 ** 22 + 1, startTime: '1' }));
		updateRunFile(path, () => null);
		expect(existsSync(path)).toBe(false);
		expect(existsSync(`${path}.lock`)).toBe(false);
	}, 120_000);
});
