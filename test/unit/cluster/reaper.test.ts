import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAlive, processStartTime } from '../../../src/cluster/process-info.js';
import { classifyRun, reapOrphans, selfRef, terminate } from '../../../src/cluster/reaper.js';
import { type OwnerRef, type RunFile, readRunFile, writeRunFile } from '../../../src/cluster/run-file.js';

let dir: string;
const children: ChildProcess[] = [];
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'natslab-reaper-'));
});
afterEach(() => {
	for (const c of children.splice(0)) c.kill('SIGKILL');
	rmSync(dir, { recursive: true, force: true });
});

/** A stand-in for a server: a real process with a PID and a start time. */
function server(): { pid: number; startTime: string } {
	const c = spawn('sleep', ['60'], { stdio: 'ignore' });
	children.push(c);
	const pid = c.pid as number;
	return { pid, startTime: processStartTime(pid) as string };
}

/** The reference of a natslab that has died (a process that ran and exited). */
async function deadOwner(): Promise<OwnerRef> {
	const c = spawn('sleep', ['0.01'], { stdio: 'ignore' });
	const ref = { pid: c.pid as number, startTime: processStartTime(c.pid as number) ?? '1' };
	await new Promise((r) => c.once('exit', r));
	return ref;
}

function run(
	owner: OwnerRef | null,
	nodes: Record<string, { pid: number | null; startTime: string | null }>,
): RunFile {
	return {
		format: 1,
		workspace: 'w',
		basePort: 40000,
		owner,
		detached: owner === null,
		nodes: Object.fromEntries(
			Object.entries(nodes).map(([n, p]) => [
				n,
				{ version: '2.9.10', ports: { client: 1, cluster: 2, http: 3 }, ...p },
			]),
		),
	};
}

function place(workspace: string, r: RunFile): string {
	const path = join(dir, workspace, 'run.json');
	writeRunFile(path, r);
	return path;
}

describe.runIf(process.platform === 'linux')('reaper', () => {
	it('classifies runs by their owner', async () => {
		const s = server();
		expect(classifyRun(run(selfRef(), { n1: s })).kind).toBe('owned');
		expect(classifyRun(run(null, { n1: s }))).toEqual({ kind: 'detached', running: 1 });
		const dead = await deadOwner();
		expect(classifyRun(run(dead, { n1: s }))).toEqual({ kind: 'orphaned', owner: dead, running: 1 });
	});

	it('stops the servers of a dead owner and removes its run file', async () => {
		const a = server();
		const b = server();
		const owner = await deadOwner();
		const path = place('crashed', run(owner, { n1: a, n2: b, n3: { pid: null, startTime: null } }));
		const reports = await reapOrphans(dir);
		expect(reports).toEqual([
			{
				workspace: 'crashed',
				ownerPid: owner.pid,
				servers: [
					{ node: 'n1', pid: a.pid },
					{ node: 'n2', pid: b.pid },
				],
			},
		]);
		expect(isAlive(a.pid)).toBe(false);
		expect(isAlive(b.pid)).toBe(false);
		expect(existsSync(path)).toBe(false);
	});

	it('never kills a process whose start time differs (a reused PID)', async () => {
		const innocent = server();
		const owner = await deadOwner();
		place(
			'reused',
			run(owner, { n1: { pid: innocent.pid, startTime: String(Number(innocent.startTime) - 7) } }),
		);
		expect(await reapOrphans(dir)).toEqual([]);
		expect(isAlive(innocent.pid)).toBe(true);
	});

	it('leaves detached clusters and clusters of a live natslab alone', async () => {
		const d = server();
		const o = server();
		const detachedPath = place('up', run(null, { n1: d }));
		const ownedPath = place('mine', run(selfRef(), { n1: o }));
		expect(await reapOrphans(dir)).toEqual([]);
		expect(isAlive(d.pid) && isAlive(o.pid)).toBe(true);
		expect(existsSync(detachedPath) && existsSync(ownedPath)).toBe(true);
	});

	it('escalates to SIGKILL when SIGTERM is ignored', async () => {
		const c = spawn('sh', ['-c', 'trap "" TERM; echo ready; while :; do sleep 1; done'], {
			stdio: ['ignore', 'pipe', 'ignore'],
		});
		children.push(c);
		await new Promise((r) => c.stdout?.once('data', r));
		const exit = new Promise<NodeJS.Signals | null>((r) => c.once('exit', (_code, signal) => r(signal)));
		const pid = c.pid as number;
		await terminate(pid, processStartTime(pid) as string, 300);
		expect(await exit).toBe('SIGKILL');
	});

	it('reads a damaged run file as invalid, a missing one as null', () => {
		expect(readRunFile(join(dir, 'none.json'))).toBeNull();
		const path = place('x', run(null, {}));
		writeRunFile(path, { ...run(null, {}), format: 2 } as unknown as RunFile);
		expect(readRunFile(path)).toBe('invalid');
	});
});
