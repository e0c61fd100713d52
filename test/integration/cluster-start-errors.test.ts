// Nodes that cannot start, and ports that are taken: one clear line each,
// the right ProcessEvent, and nothing left running.
import { chmodSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isUserError } from '../../src/base/errors.js';
import { Cluster } from '../../src/cluster/cluster.js';
import { BLOCK_STEP } from '../../src/cluster/ports.js';
import { TEST_BASE_PORTS } from '../support/ports.js';
import { asyncBinaryFor, EventLog, freeBase, tempState } from './cluster-support.js';

const BASE = TEST_BASE_PORTS.clusterPorts;
const held: Server[] = [];
const clusters: Cluster[] = [];

function occupy(port: number): Promise<void> {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.once('error', reject);
		s.listen({ port, host: '127.0.0.1' }, () => {
			held.push(s);
			resolve();
		});
	});
}

async function open(
	opts: Partial<Parameters<typeof Cluster.open>[0]>,
	log = new EventLog(),
): Promise<Cluster> {
	const c = await Cluster.open({
		version: '2.10.27',
		binaryFor: asyncBinaryFor,
		stateDir: tempState('start-errors'),
		onEvent: log.onEvent,
		onNotice: log.onNotice,
		...opts,
	});
	clusters.push(c);
	return c;
}

afterEach(async () => {
	await Promise.all(clusters.splice(0).map((c) => c.down({ purge: true })));
	await Promise.all(held.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe('busy ports', () => {
	it('an explicit base port that is busy is a one-line UserError naming the port', async () => {
		// n1's client port is the first one checked, so the message names it whatever else is busy.
		await occupy(BASE);
		const err = await open({ basePort: BASE }).catch((e) => e);
		expect(isUserError(err)).toBe(true);
		expect(err.message).toBe(
			`port ${BASE} (n1 client) is already in use on 127.0.0.1: choose another base port`,
		);
	});

	it('without an explicit base port the next free block is used, and the user is told', async () => {
		await occupy(BASE);
		const log = new EventLog();
		const c = await open({ defaultBasePort: BASE }, log);
		// The next block up (BASE+BLOCK_STEP), or a later one when the machine happens to hold that one too.
		const chosen = c.ports('n1').client;
		expect(chosen).toBeGreaterThanOrEqual(BASE + BLOCK_STEP);
		expect((chosen - BASE) % BLOCK_STEP).toBe(0);
		expect(c.ports('n3')).toEqual({ client: chosen + 2, cluster: chosen + 2002, http: chosen + 4002 });
		expect(log.notices).toEqual([
			`port ${BASE} (n1 client) is in use, so the cluster uses client ports ${chosen}-${chosen + 2} (base port ${chosen})`,
		]);
		await c.startAll();
		expect(await c.waitForMetaLeader(30_000)).toMatch(/^n[123]$/);
	});

	it('a port taken after open makes start() fail with spawnFailed and a clear line', async () => {
		const log = new EventLog();
		const base = await freeBase(BASE + 20);
		const c = await open({ basePort: base }, log);
		await occupy(base + 2000);
		const err = await c.start('n1').catch((e) => e);
		expect(err.message).toBe(
			`n1 cannot start: port ${base + 2000} (n1 cluster) is already in use on 127.0.0.1`,
		);
		expect(log.of('n1', 'spawnFailed')).toHaveLength(1);
		expect(c.isRunning('n1')).toBe(false);
	});
});

describe('nodes that will not start', () => {
	it('a server that exits at once: exited event and its own last log line in the error', async () => {
		// Gating bypassed on purpose: a 2.10 key in the config of a real 2.9.10 binary.
		const log = new EventLog();
		const c = await open(
			{
				basePort: await freeBase(BASE + 30),
				binaryFor: async () => asyncBinaryFor('2.9.10'),
				serverOptions: { 'cluster.pool_size': 3 },
			},
			log,
		);
		const err = await c.start('n2').catch((e) => e);
		expect(isUserError(err)).toBe(true);
		expect(err.message).toMatch(
			/^n2 exited with code 1 during start: nats-server: .*n2\.conf:\d+:\d+: unknown field "pool_size"$/,
		);
		const [spawned] = log.of('n2', 'spawned');
		expect(log.of('n2', 'exited')).toEqual([
			expect.objectContaining({ pid: (spawned as { pid: number }).pid, code: 1, signal: null }),
		]);
		expect(c.isRunning('n2')).toBe(false);
	});

	it('a binary that is not there, or not a server: spawnFailed or exited, one line', async () => {
		const state = tempState('bad-binary');
		const missing = new EventLog();
		const c1 = await open(
			{ basePort: await freeBase(BASE + 40), stateDir: state, binaryFor: async () => join(state, 'nope') },
			missing,
		);
		await expect(c1.start('n1')).rejects.toThrow(
			`n1 cannot start: nats-server binary not found at ${join(state, 'nope')}`,
		);
		expect(missing.of('n1', 'spawnFailed')).toHaveLength(1);
		await c1.down({ purge: true });

		const script = join(tempState('fake'), 'nats-server');
		writeFileSync(script, '#!/bin/sh\necho "nats-server: this is not a server" >&2\nexit 3\n');
		chmodSync(script, 0o755);
		const c2 = await open({ basePort: await freeBase(BASE + 40), binaryFor: async () => script });
		await expect(c2.start('n3')).rejects.toThrow(
			'n3 exited with code 3 during start: nats-server: this is not a server',
		);
	});
});
