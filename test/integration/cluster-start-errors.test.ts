// Nodes that cannot start, and ports that are taken: one clear line each,
// the right ProcessEvent, and nothing left running.
import { chmodSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../src/cluster/cluster.js';
import { isUserError } from '../../src/errors.js';
import { TEST_BASE_PORTS } from '../support/ports.js';
import { asyncBinaryFor, EventLog, tempState } from './cluster-support.js';

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
		await occupy(BASE + 4001);
		const err = await open({ basePort: BASE }).catch((e) => e);
		expect(isUserError(err)).toBe(true);
		expect(err.message).toBe(
			`port ${BASE + 4001} (n2 monitoring) is already in use on 127.0.0.1: choose another base port`,
		);
	});

	it('without an explicit base port the next free block is used, and the user is told', async () => {
		await occupy(BASE);
		const log = new EventLog();
		const c = await open({ defaultBasePort: BASE }, log);
		expect(c.ports('n1')).toEqual({ client: BASE + 10, cluster: BASE + 2010, http: BASE + 4010 });
		expect(log.notices).toEqual([
			`port ${BASE} (n1 client) is in use, so the cluster uses client ports ${BASE + 10}-${BASE + 12} (base port ${BASE + 10})`,
		]);
		await c.startAll();
		expect(await c.waitForMetaLeader(30_000)).toMatch(/^n[123]$/);
	});

	it('a port taken after open makes start() fail with spawnFailed and a clear line', async () => {
		const log = new EventLog();
		const c = await open({ basePort: BASE + 20 }, log);
		await occupy(BASE + 20 + 2000);
		const err = await c.start('n1').catch((e) => e);
		expect(err.message).toBe(
			`n1 cannot start: port ${BASE + 2020} (n1 cluster) is already in use on 127.0.0.1`,
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
				basePort: BASE + 30,
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
			{ basePort: BASE + 40, stateDir: state, binaryFor: async () => join(state, 'nope') },
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
		const c2 = await open({ basePort: BASE + 40, binaryFor: async () => script });
		await expect(c2.start('n3')).rejects.toThrow(
			'n3 exited with code 3 during start: nats-server: this is not a server',
		);
	});
});
