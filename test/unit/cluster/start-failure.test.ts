import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lastLogLines, logOffset, stripLogPrefix } from '../../../src/cluster/spawn.js';
import { metaLeaderOf, normalizeJsz } from '../../../src/monitoring/normalize.js';

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'natslab-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the log lines quoted when a node fails to start', () => {
	it('strips the pid and timestamp prefix of real server lines', () => {
		expect(
			stripLogPrefix(
				'[4068] 2026/11/26 00:39:11.723356 [ERR] Error trying to connect to route (attempt 1): dial tcp 127.0.0.1:6223: connect: connection refused',
			),
		).toBe(
			'[ERR] Error trying to connect to route (attempt 1): dial tcp 127.0.0.1:6223: connect: connection refused',
		);
	});

	it('only reads what this start wrote, preferring the error line', () => {
		const log = join(dir, 'n2.log');
		writeFileSync(log, '[13518] 2026/11/26 00:47:33.380716 [INF] Server Exiting..\n');
		const offset = logOffset(log);
		appendFileSync(log, 'nats-server: /x/conf/n2.conf:21:3: unknown field "pool_size"\n');
		expect(lastLogLines(log, offset)).toEqual([
			'nats-server: /x/conf/n2.conf:21:3: unknown field "pool_size"',
		]);
		expect(lastLogLines(log, logOffset(log))).toEqual([]);
		expect(logOffset(join(dir, 'missing.log'))).toBe(0);
	});
});

describe('/jsz meta leader (shapes from real 2.9.10 and 2.15.1 answers)', () => {
	it('reads meta_cluster.leader, absent while there is none', () => {
		const follower29 = { meta_cluster: { name: 'lab', leader: 'n2', peer: '44jzkV9D', cluster_size: 3 } };
		const noLeader = { meta_cluster: { name: 'lab', peer: 'fqA4S4SK', cluster_size: 3 } };
		expect(metaLeaderOf(follower29)).toBe('n2');
		expect(metaLeaderOf(noLeader)).toBeNull();
		expect(metaLeaderOf('filtered response: not leader')).toBeNull();
		const v215 = {
			meta_cluster: {
				name: 'lab',
				leader: 'n3',
				replicas: [{ name: 'n2', current: false, active: 0, peer: '44jzkV9D' }],
				cluster_size: 3,
				quorum_needed: 2,
			},
		};
		expect(normalizeJsz(v215)).toEqual({
			metaLeader: 'n3',
			clusterSize: 3,
			replicas: [{ name: 'n2', current: false, offline: false }],
			quorumNeeded: 2,
		});
	});
});
