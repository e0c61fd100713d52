// `natslab cluster status` as text, from the recorded 2.10.27 /jsz answers:
// the meta group's quorum, the stream and consumer leaders, and a warning when
// no meta leader is agreed (a node cut off still names the leader it last knew).

import { describe, expect, it } from 'vitest';
import { clusterStatusOf, jszFacts, type NodeStatus } from '../../../src/cluster/status.js';
import { renderStatus } from '../../../src/commands/cluster-status.js';
import { sample } from '../../support/fixtures.js';

function node(name: string, file: string | null): NodeStatus {
	const ports = { client: 4222, cluster: 6222, http: 8222 };
	const base = {
		name,
		pid: file ? 100 : null,
		running: file !== null,
		paused: false,
		version: '2.10.27',
		ports,
		clientUrl: `nats://127.0.0.1:${ports.client}`,
		httpUrl: '',
		logFile: '',
	};
	return file ? { ...base, ...jszFacts(name, sample('2.10.27', file)) } : base;
}
const where = { workspace: 'default', workspaceDir: '/w', detached: true };

describe('cluster status text', () => {
	it('names the meta leader and quorum, the stream leader with its replicas, the consumer leader', () => {
		const text = renderStatus(
			clusterStatusOf(where, [node('n1', 'jsz-follower.json'), node('n2', 'jsz-leader.json')]),
		);
		expect(text).toMatch(
			/^cluster "lab" \(workspace default\): JetStream meta leader n2, meta group of 3 \(quorum needed 2\)\n/,
		);
		expect(text).toContain('\n  stream ORDERS: leader n2, replicas n1 current, n3 current, 100 messages\n');
		expect(text).toContain('\n    consumer C1: leader n1\n');
		expect(text).not.toContain('no agreed meta leader:');
	});

	it('warns that the stream lines may be stale while no meta leader is agreed', () => {
		const lone = node('n1', 'jsz-follower.json');
		// n1 names n2, which is not running: no agreed leader.
		const text = renderStatus(clusterStatusOf(where, [lone, node('n2', null), node('n3', null)]));
		expect(text).toMatch(/^cluster "lab" \(workspace default\): no agreed JetStream meta leader/);
		expect(text).toContain(
			'(no agreed meta leader: each stream is as one node reports it, which may be out of date)',
		);
		expect(text).toContain(
			'stream ORDERS: leader n2, replicas n1, n3, 100 messages (as n1 sees it: only the leader knows who is current)',
		);
	});
});
