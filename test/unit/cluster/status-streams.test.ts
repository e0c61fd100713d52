// `cluster status` from the recorded /jsz answers of 2.9.10, 2.10.27 and
// 2.15.1 (test/fixtures/samples: R3 stream ORDERS, durable C1): every stream
// once, as its leader sees it, each consumer's leader, and the meta quorum
// (2.9.10 and 2.10.27 do not report `quorum_needed`: a majority of 3 is 2).

import { describe, expect, it } from 'vitest';
import { clusterStatusOf, jszFacts, type NodeStatus } from '../../../src/cluster/status.js';
import { sample } from '../../support/fixtures.js';

/** The samples' viewers (each folder's README): the meta leader's and a follower's answer. */
const VIEWERS = {
	'2.9.10': { leader: 'n2', follower: 'n1', streamLeader: 'n2', consumerLeader: 'n2' },
	'2.10.27': { leader: 'n2', follower: 'n1', streamLeader: 'n2', consumerLeader: 'n1' },
	'2.15.1': { leader: 'n3', follower: 'n1', streamLeader: 'n1', consumerLeader: 'n3' },
} as const;

function node(name: string, json: unknown): NodeStatus {
	const ports = { client: 0, cluster: 0, http: 0 };
	const base = {
		name,
		pid: 1,
		running: true,
		paused: false,
		version: '',
		ports,
		clientUrl: '',
		httpUrl: '',
		logFile: '',
	};
	return { ...base, ...jszFacts(name, json) };
}

describe.each(Object.entries(VIEWERS))('cluster status from %s /jsz answers', (version, v) => {
	const answers = [
		node(v.follower, sample(version, 'jsz-follower.json')),
		node(v.leader, sample(version, 'jsz-leader.json')),
	];
	const where = { workspace: 'w', workspaceDir: '/w', detached: true };

	it('names the stream leader, from its own view, with every replica current', () => {
		const s = clusterStatusOf(where, answers);
		expect(s.streams).toHaveLength(1);
		const [orders] = s.streams;
		expect(orders?.stream).toBe('ORDERS');
		expect(orders?.leader).toBe(v.streamLeader);
		expect(orders?.replicas.map((r) => r.name).sort()).toEqual(['n1', 'n2', 'n3']);
		// Only the leader's own answer knows the others are current.
		if (orders?.viewFrom === orders?.leader) expect(orders?.replicas.every((r) => r.current)).toBe(true);
		expect(orders?.consumers).toEqual([{ name: 'C1', leader: v.consumerLeader }]);
	});

	it('gives the meta group size and quorum, and drops the per-node stream views', () => {
		const s = clusterStatusOf(where, answers);
		expect(s.metaLeader).toBe(v.leader);
		expect(s.metaClusterSize).toBe(3);
		expect(s.metaQuorumNeeded).toBe(2);
		for (const n of s.nodes) {
			expect(n.jsz?.quorumNeeded).toBe(2);
			expect('streams' in n).toBe(false);
		}
	});

	it('prefers the stream leader’s answer whichever order the answers come in', () => {
		const a = clusterStatusOf(where, answers).streams[0];
		const b = clusterStatusOf(where, [...answers].reverse()).streams[0];
		expect(a).toEqual(b);
	});
});
