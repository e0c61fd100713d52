// Servers must not outlive natslab by accident. A child natslab-like script
// opens a cluster and is then SIGKILLed: its servers die by their
// parent-death signal, or (spawned without one, as on macOS) are reaped by the
// next Cluster.open. A deliberately detached cluster survives its starter and
// is controlled later through Cluster.attach.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../src/cluster/cluster.js';
import { processState } from '../../src/cluster/process-info.js';
import { readRunFile } from '../../src/cluster/run-file.js';
import { binaryDir, TEST_VERSIONS } from '../support/binaries.js';
import { TEST_BASE_PORTS } from '../support/ports.js';
import { asyncBinaryFor, EventLog, freeBase, isDead, tempState, waitUntil } from './cluster-support.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SCRIPT_DIR = mkdtempSync(join(tmpdir(), 'natslab-owner-'));
const SCRIPT = join(SCRIPT_DIR, 'owner.mts');
writeFileSync(
	SCRIPT,
	`import { join } from 'node:path';
import { Cluster } from ${JSON.stringify(join(ROOT, 'src', 'cluster', 'cluster.ts'))};
const [version, stateDir, basePort, mode, binDir] = process.argv.slice(2);
const cluster = await Cluster.open({
	version, stateDir, basePort: Number(basePort),
	binaryFor: async (v) => join(binDir, v, 'nats-server'),
	detached: mode === 'detached',
	pdeathsig: mode === 'pdeathsig',
});
await cluster.startAll();
process.stdout.write(JSON.stringify(cluster.nodes.map((n) => cluster.pidOf(n))) + '\\n');
if (mode === 'detached') process.exit(0);
setInterval(() => {}, 1 << 30);
`,
);

const owners: ChildProcess[] = [];
const everyServer: number[] = [];
afterAll(() => {
	for (const o of owners) o.kill('SIGKILL');
	// Last resort, so that a failed assertion never leaves a server behind.
	for (const pid of everyServer) if (!isDead(pid)) process.kill(pid, 'SIGKILL');
});

/** Run the owner script (`node --import tsx`, no wrapper process) until it reports its servers' PIDs. */
async function runOwner(args: {
	version: string;
	stateDir: string;
	basePort: number;
	mode: 'pdeathsig' | 'plain' | 'detached';
}): Promise<{ owner: ChildProcess; pids: number[] }> {
	const owner = spawn(
		process.execPath,
		['--import', 'tsx', SCRIPT, args.version, args.stateDir, String(args.basePort), args.mode, binaryDir()],
		{ cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
	);
	owners.push(owner);
	const pids = await new Promise<number[]>((resolvePids, reject) => {
		let out = '';
		owner.stdout?.on('data', (d: Buffer) => {
			out += d.toString();
			if (out.includes('\n')) resolvePids(JSON.parse(out.split('\n')[0] as string) as number[]);
		});
		owner.once('exit', (code) => reject(new Error(`owner script exited with ${code} before starting`)));
	});
	everyServer.push(...pids);
	return { owner, pids };
}

function killAndWait(owner: ChildProcess): Promise<void> {
	return new Promise((r) => {
		owner.once('exit', () => r());
		owner.kill('SIGKILL');
	});
}

describe.each(TEST_VERSIONS.map((v, i) => [v, TEST_BASE_PORTS.clusterReaper + 10 * i] as const))(
	'no orphans on nats-server %s',
	(version, fileBase) => {
		it('servers die with their owner when it is SIGKILLed (parent-death signal)', async () => {
			const stateDir = tempState('reaper-pdeathsig');
			const basePort = await freeBase(fileBase);
			const { owner, pids } = await runOwner({ version, stateDir, basePort, mode: 'pdeathsig' });
			expect(pids.every((p) => processState(p) === 'running')).toBe(true);
			await killAndWait(owner);
			await waitUntil(() => pids.every(isDead), 'servers to die by pdeathsig', 10_000);
			// The next start finds the crashed run: nothing left to stop, the workspace is usable again.
			const log = new EventLog();
			const next = await Cluster.open({
				version,
				binaryFor: asyncBinaryFor,
				stateDir,
				basePort,
				onNotice: log.onNotice,
			});
			expect(log.notices.filter((n) => n.startsWith('stopped'))).toEqual([]);
			await next.down({ purge: true });
		});

		it('servers without a parent-death signal are reaped by the next Cluster.open (PID + start time)', async () => {
			const stateDir = tempState('reaper-orphans');
			const basePort = await freeBase(fileBase);
			const { owner, pids } = await runOwner({ version, stateDir, basePort, mode: 'plain' });
			const ownerPid = owner.pid as number;
			await killAndWait(owner);
			// Orphaned: the owner is gone, its servers are not (re-parented, still running).
			expect(pids.map((p) => processState(p))).toEqual(['running', 'running', 'running']);
			const run = readRunFile(join(stateDir, 'clusters', 'default', 'run.json'));
			expect(run !== null && run !== 'invalid' && run.owner?.pid).toBe(ownerPid);

			const log = new EventLog();
			const next = await Cluster.open({
				version,
				binaryFor: asyncBinaryFor,
				stateDir,
				basePort,
				onNotice: log.onNotice,
			});
			expect(pids.every(isDead)).toBe(true);
			expect(log.notices).toEqual([
				`stopped 3 nats-server(s) left by natslab pid ${ownerPid} (workspace default: n1 pid ${pids[0]}, n2 pid ${pids[1]}, n3 pid ${pids[2]})`,
			]);
			// Their ports are free again: the new cluster starts on the same ones.
			await next.startAll();
			await next.waitForMetaLeader(30_000);
			await next.down({ purge: true });
		});

		it('a detached cluster outlives its starter and is controlled through Cluster.attach', async () => {
			const stateDir = tempState('reaper-detached');
			const basePort = await freeBase(fileBase);
			const { owner, pids } = await runOwner({ version, stateDir, basePort, mode: 'detached' });
			await new Promise((r) => (owner.exitCode !== null ? r(null) : owner.once('exit', r)));
			expect(owner.exitCode).toBe(0);
			expect(pids.map((p) => processState(p))).toEqual(['running', 'running', 'running']);
			// Not an orphan: a new open refuses to take the workspace over.
			await expect(Cluster.open({ version, binaryFor: asyncBinaryFor, stateDir, basePort })).rejects.toThrow(
				/already up in workspace default/,
			);
			const attached = await Cluster.attach({ stateDir, binaryFor: asyncBinaryFor });
			if (!attached) throw new Error('attach found no cluster');
			expect(attached.nodes.map((n) => attached.pidOf(n))).toEqual(pids);
			await attached.waitForMetaLeader(30_000);
			await attached.stop('n2');
			expect(isDead(pids[1] as number)).toBe(true);
			await attached.start('n2');
			everyServer.push(attached.pidOf('n2') as number);
			await attached.down();
			expect(pids.every(isDead)).toBe(true);
			expect(existsSync(attached.runFile)).toBe(false);
			expect(await Cluster.attach({ stateDir, binaryFor: asyncBinaryFor })).toBeNull();
		});
	},
);
