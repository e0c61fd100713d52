// Several `natslab cluster node` commands at once on one detached cluster: the
// real CLI in separate processes, real 2.10.27 servers. Each command reads and
// rewrites run.json (attach, the stop, the new process); without the lock one
// command's write can carry another's stale record for a node, and the cluster
// then "loses" a running server (status shows it stopped, `down` leaves it
// running). After every round, run.json must name each node's live process, and
// no lock file may be left behind.
// The window between a command's read and its write is microseconds, so this
// passed on the unlocked code too (2 of 2 runs): it checks that the lock works
// in the real commands (no lost record, no deadlock, no leftover lock). The lost
// update itself is reproduced in test/unit/cluster/run-file-lock.test.ts.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSameProcess } from '../../src/cluster/process-info.js';
import { readRunFile } from '../../src/cluster/run-file.js';
import { binaryDir } from '../support/binaries.js';
import { natslabCli } from '../support/natslab-cli.js';
import { TEST_BASE_PORTS } from '../support/ports.js';

const VERSION = '2.10.27';

let home: string;
let env: NodeJS.ProcessEnv;
let runFile: string;

const natslab = (...args: string[]) => natslabCli(args, env);

type Recorded = Record<string, { pid: number; startTime: string | null }>;

/** Each node's process as run.json records it; each must be the live process it names. */
function recordedLive(): Recorded {
	const run = readRunFile(runFile);
	if (run === null || run === 'invalid') throw new Error(`run.json is ${run}`);
	const found: Recorded = {};
	for (const [node, rec] of Object.entries(run.nodes)) {
		expect(rec.pid, `${node} has no pid in run.json`).not.toBeNull();
		expect(isSameProcess(rec.pid as number, rec.startTime), `${node}'s recorded process is not running`).toBe(
			true,
		);
		found[node] = { pid: rec.pid as number, startTime: rec.startTime };
	}
	expect(Object.keys(found).sort()).toEqual(['n1', 'n2', 'n3']);
	return found;
}

beforeAll(async () => {
	home = mkdtempSync(join(tmpdir(), 'natslab-concurrent-'));
	const servers = join(home, 'cache', 'servers');
	mkdirSync(servers, { recursive: true });
	symlinkSync(join(binaryDir(), VERSION), join(servers, VERSION));
	env = { ...process.env, NATSLAB_HOME: home, NO_COLOR: '1' };
	runFile = join(home, 'state', 'clusters', 'default', 'run.json');
	const up = await natslab(
		'cluster',
		'up',
		'--version',
		VERSION,
		'--base-port',
		String(TEST_BASE_PORTS.clusterConcurrentNodes),
	);
	expect(up.code, up.stderr).toBe(0);
}, 180_000);

afterAll(async () => {
	if (existsSync(runFile)) await natslab('cluster', 'down');
	rmSync(home, { recursive: true, force: true });
}, 120_000);

describe('concurrent cluster node commands (real CLI, real servers)', () => {
	it('three restarts at once, three rounds: run.json names every new process, and down stops them all', async () => {
		let before = recordedLive();
		for (let round = 0; round < 3; round++) {
			const results = await Promise.all(
				['n1', 'n2', 'n3'].map((node) => natslab('cluster', 'node', node, 'restart')),
			);
			for (const r of results) expect(r.code, r.stderr).toBe(0);
			const after = recordedLive();
			for (const node of ['n1', 'n2', 'n3']) expect(after[node]?.pid).not.toBe(before[node]?.pid);
			before = after;
		}
		const down = await natslab('cluster', 'down');
		expect(down.code, down.stderr).toBe(0);
		// Every process run.json named was stopped: none was lost to a stale record.
		for (const { pid, startTime } of Object.values(before)) expect(isSameProcess(pid, startTime)).toBe(false);
		expect(
			readdirSync(join(home, 'state', 'clusters', 'default')).filter((n) => n.startsWith('run.json')),
		).toEqual([]);
	}, 300_000);
});
