// A closed terminal or a closed pipe is an ordinary way for natslab to end
// (issue #11). Before the fix each of these spun a core in the crash handler
// (writing the crash line to the dead output threw again), filled crash.log by
// megabytes a second, ignored SIGTERM, and left the servers running and the
// workspace locked. Real program (`node dist/cli.js`, so `npm run build` first),
// real nats-server binaries, a real tmux terminal and real pipes.
//
// NATSLAB_TEST_CLI points the test at another build (to show it fails on the old code).

import { type ChildProcess, spawn } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	statSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FROM_VERSION, DEFAULT_TO_VERSION } from '../../src/base/versions.js';
import { waitUntil as waitUntilBase } from '../../src/base/wait.js';
// The same liveness rule the reaper uses: exists and is not a zombie.
import { isAlive as alive } from '../../src/cluster/process-info.js';
import { binaryDir } from '../support/binaries.js';
import { TEST_BASE_PORTS } from '../support/ports.js';
import { Tmux } from '../support/tmux.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = process.env.NATSLAB_TEST_CLI ?? join(ROOT, 'dist', 'cli.js');
const BASE = TEST_BASE_PORTS.closedOutput;

interface RunRecord {
	owner: number | null;
	servers: number[];
}

function readRun(file: string): RunRecord | null {
	try {
		const run = JSON.parse(readFileSync(file, 'utf8')) as {
			owner: { pid: number } | null;
			nodes: Record<string, { pid: number | null }>;
		};
		const servers = Object.values(run.nodes).flatMap((n) => (n.pid ? [n.pid] : []));
		return { owner: run.owner?.pid ?? null, servers };
	} catch {
		return null; // not written yet, being replaced, or removed
	}
}

function waitUntil<T>(what: string, timeoutMs: number, probe: () => T | null | false): Promise<T> {
	return waitUntilBase(() => probe() ?? undefined, {
		timeoutMs,
		everyMs: 100,
		describe: () => `timed out after ${timeoutMs} ms waiting for ${what}`,
	});
}

describe('natslab ends cleanly when its terminal or pipe closes', () => {
	let home: string;
	let env: NodeJS.ProcessEnv;
	const pids = new Set<number>();
	const children = new Set<ChildProcess>();
	const crashLog = () => join(home, 'state', 'crash.log');
	const runFile = (workspace: string) => join(home, 'state', 'clusters', workspace, 'run.json');

	/** The run's servers (and natslab) once all three servers are up; remembered for the safety net. */
	async function runningCluster(workspace: string): Promise<RunRecord> {
		const run = await waitUntil(`three servers in ${workspace}/run.json`, 60_000, () => {
			const r = readRun(runFile(workspace));
			return r && r.servers.length === 3 && r.servers.every(alive) ? r : null;
		});
		for (const pid of [...run.servers, ...(run.owner ? [run.owner] : [])]) pids.add(pid);
		return run;
	}

	/** Everything the run started is gone, the workspace is released, and no crash was logged in a loop. */
	async function expectAllGone(workspace: string, run: RunRecord): Promise<void> {
		const gone = [...run.servers, ...(run.owner ? [run.owner] : [])];
		await waitUntil('natslab and its servers to exit', 20_000, () => gone.every((p) => !alive(p)));
		expect(existsSync(runFile(workspace))).toBe(false);
		// A crash log, if any, is one entry: never the megabytes of the loop.
		if (existsSync(crashLog())) expect(statSync(crashLog()).size).toBeLessThan(70_000);
	}

	function spawnCli(args: string[]): ChildProcess & { err: () => string } {
		const child = spawn(process.execPath, [CLI, ...args], {
			cwd: ROOT,
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		children.add(child);
		let err = '';
		child.stderr?.on('data', (d: Buffer) => {
			err += d.toString();
		});
		return Object.assign(child, { err: () => err });
	}

	function exited(child: ChildProcess, timeoutMs: number): Promise<{ code: number | null; ms: number }> {
		const started = Date.now();
		return new Promise((done, fail) => {
			if (child.exitCode !== null) return done({ code: child.exitCode, ms: 0 });
			const timer = setTimeout(
				() => fail(new Error(`natslab still running ${timeoutMs} ms after its output closed`)),
				timeoutMs,
			);
			child.once('exit', (code) => {
				clearTimeout(timer);
				done({ code, ms: Date.now() - started });
			});
		});
	}

	beforeAll(() => {
		home = mkdtempSync(join(tmpdir(), 'natslab-closed-'));
		const servers = join(home, 'cache', 'servers');
		mkdirSync(servers, { recursive: true });
		for (const v of [DEFAULT_FROM_VERSION, DEFAULT_TO_VERSION])
			symlinkSync(join(binaryDir(), v), join(servers, v));
		env = { ...process.env, NATSLAB_HOME: home, NO_COLOR: '1' };
		delete env.NATSLAB_MIRROR;
	});

	afterEach(() => {
		rmSync(crashLog(), { force: true });
	});

	afterAll(() => {
		// Safety net: nothing of this test may outlive it, whatever failed above.
		for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
		for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
		rmSync(home, { recursive: true, force: true });
	});

	it.each([
		['sandbox', 'sandbox', 0],
		['learn 2', 'lessons', 80],
	] as const)(
		'tmux kill-session on a running `natslab %s`: natslab, its servers and its lock are gone in seconds',
		async (command, workspace, offset) => {
			const tmux = new Tmux();
			try {
				await tmux.start(`node ${CLI} ${command} --base-port ${BASE + offset}`, {
					cols: 100,
					rows: 30,
					cwd: ROOT,
					env: { NATSLAB_HOME: home },
				});
				await tmux.waitFor(/meta leader n\d/, 60_000, 'the dashboard with a meta leader');
				const run = await runningCluster(workspace);
				expect(run.owner).not.toBeNull();
				await tmux.killSession();
				await expectAllGone(workspace, run);
			} finally {
				await tmux.kill();
			}
		},
		120_000,
	);

	it('a bug under the screen goes through the same one path: terminal back, one line, servers stopped, exit 70, one crash.log entry with its causes', async () => {
		// An uncaught exception from a timer, as a real bug would throw it, injected with --import
		// once the dashboard is up (the trigger file appears).
		const trigger = join(home, 'crash-now');
		const inject = join(home, 'inject-bug.mjs');
		writeFileSync(
			inject,
			`import { existsSync } from 'node:fs';
const t = setInterval(() => {
	if (!existsSync(${JSON.stringify(trigger)})) return;
	clearInterval(t);
	throw new Error('injected bug', { cause: Object.assign(new Error('the root cause'), { code: 'EINJECTED' }) });
}, 50);
t.unref();
`,
		);
		const tmux = new Tmux();
		try {
			await tmux.start(`node --import ${inject} ${CLI} sandbox --base-port ${BASE + 100}`, {
				cols: 100,
				rows: 30,
				cwd: ROOT,
				env: { NATSLAB_HOME: home },
			});
			await tmux.waitFor(/meta leader n\d/, 60_000, 'the dashboard with a meta leader');
			const run = await runningCluster('sandbox');
			writeFileSync(trigger, '');
			const screen = await tmux.waitFor(Tmux.EXITED, 30_000, 'natslab to exit');
			expect(Tmux.EXITED.exec(screen)?.[1]).toBe('70');
			const lines = screen.split('\n').filter((l) => l.includes('internal error'));
			expect(lines).toEqual([`natslab: internal error: injected bug (details in ${crashLog()})`]);
			await expectAllGone('sandbox', run);
			const log = readFileSync(crashLog(), 'utf8');
			expect(log.match(/injected bug/g)).toHaveLength(1);
			expect(log).toContain('[cause]');
			expect(log).toContain('the root cause');
			expect(log).toContain("code: 'EINJECTED'");
		} finally {
			rmSync(trigger, { force: true });
			await tmux.kill();
		}
	}, 120_000);

	it('the reader of its pipes goes away (`natslab rehearse 2>&1 | head -3`): exit 141 at once, servers stopped', async () => {
		const child = spawnCli(['rehearse', '--base-port', String(BASE + 20)]);
		const run = await runningCluster('rehearse');
		// Close the read ends, as `head` does when it has its lines: the next progress line hits EPIPE.
		child.stdout?.destroy();
		child.stderr?.destroy();
		const { code } = await exited(child, 30_000);
		expect(code).toBe(141);
		await expectAllGone('rehearse', run);
	}, 120_000);

	it.each([
		['SIGINT', 130, 40],
		['SIGTERM', 143, 60],
		// The terminal's hangup (its window closed) with the output going to a pipe: 129, as documented.
		['SIGHUP', 129, 60],
	] as const)(
		'%s while its output is piped stops the servers and exits %i',
		async (signal, want, offset) => {
			const child = spawnCli(['rehearse', '--base-port', String(BASE + offset)]);
			const run = await runningCluster('rehearse');
			child.kill(signal);
			const { code } = await exited(child, 30_000);
			expect(code).toBe(want);
			expect(child.err()).toContain('natslab: rehearsal interrupted; stopping its cluster');
			await expectAllGone('rehearse', run);
		},
		120_000,
	);

	it('Ctrl-C on `natslab rehearse 2>&1 | tee log` (the signal and the closed pipe together) ends it cleanly', async () => {
		const child = spawnCli(['rehearse', '--base-port', String(BASE + 40)]);
		const run = await runningCluster('rehearse');
		// The terminal's Ctrl-C reaches the whole pipeline: natslab gets SIGINT and tee dies with it.
		child.kill('SIGINT');
		child.stdout?.destroy();
		child.stderr?.destroy();
		const { code } = await exited(child, 30_000);
		// Whichever arrives first ends it (both are documented endings); neither loops.
		expect([130, 141]).toContain(code);
		await expectAllGone('rehearse', run);
	}, 120_000);
});
