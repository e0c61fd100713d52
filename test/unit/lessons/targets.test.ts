// Roles are resolved from the live state when a step starts, so a step never
// depends on where leaders landed. States from REAL runs through the reducer.

import { describe, expect, it } from 'vitest';
import { resolveNode } from '../../../src/lessons/targets.js';
import type { StreamSnapshot } from '../../../src/monitoring/types.js';
import { streamSample } from '../../support/fixtures.js';
import { at, fold, stateAt, status } from './support.js';

const RUN = 'core-2.10.27';

describe('roles on core-2.10.27 at 00:47:32 (meta n3, ORDERS n2, C1 n3)', () => {
	const s = stateAt(RUN, '00:47:32.000');

	it('leaders by role', () => {
		expect(resolveNode(s, 'meta-leader')).toEqual({ node: 'n3', why: 'the meta leader' });
		expect(resolveNode(s, 'stream-leader')).toEqual({ node: 'n2', why: 'the ORDERS stream leader' });
		expect(resolveNode(s, 'consumer-leader')).toEqual({ node: 'n3', why: 'the ORDERS > C1 consumer leader' });
	});

	it('a-follower leads nothing: not the meta group, not ORDERS, not C1', () => {
		expect(resolveNode(s, 'a-follower')).toEqual({
			node: 'n1',
			why: 'a follower: it leads nothing; n2 leads ORDERS, n3 leads the meta group and ORDERS > C1',
		});
	});

	it('a-stream-follower avoids the stream leader (and the meta leader when it can)', () => {
		expect(resolveNode(s, 'a-stream-follower').node).toBe('n1');
	});

	it('a-running-node prefers a node that leads nothing', () => {
		expect(resolveNode(s, 'a-running-node').node).toBe('n1');
	});

	it('a-stopped-node waits while every node runs', () => {
		expect(resolveNode(s, 'a-stopped-node')).toEqual({ node: null, waitingFor: 'a stopped node' });
	});

	it('client-of:<probe> is where that client is connected (from its host:port)', () => {
		expect(resolveNode(s, 'client-of:core-pub')).toEqual({
			node: null,
			waitingFor: 'core-pub to be connected',
		});
		const withClient = fold(s, [status('core-pub', at('00:47:32.000'), 'connected', '127.0.0.1:4223')]);
		expect(resolveNode(withClient, 'client-of:core-pub').node).toBe('n2');
	});

	it('$target and $previous come from the step context; names stay names', () => {
		expect(resolveNode(s, '$target', { target: 'n2' }).node).toBe('n2');
		expect(resolveNode(s, '$previous', { previous: 'n1' }).node).toBe('n1');
		expect(resolveNode(s, '$previous')).toEqual({ node: null, waitingFor: 'a previous target' });
		expect(resolveNode(s, 'n3').node).toBe('n3');
		expect(resolveNode(s, 'n9')).toEqual({ node: null, waitingFor: 'a node named n9' });
	});
});

describe('roles follow the state', () => {
	it('after the follower n1 stopped: no follower is left to pick, n1 is the stopped node', () => {
		const s = stateAt(RUN, '00:47:34.000');
		expect(resolveNode(s, 'a-follower')).toEqual({
			node: null,
			waitingFor:
				'a running node that leads nothing (now n2 leads ORDERS, n3 leads the meta group and ORDERS > C1)',
		});
		expect(resolveNode(s, 'a-stopped-node')).toEqual({ node: 'n1', why: 'a stopped node' });
	});

	it('during the SIGKILL election there is no meta leader to target', () => {
		const s = stateAt(RUN, '00:47:50.000');
		expect(resolveNode(s, 'meta-leader')).toEqual({ node: null, waitingFor: 'an agreed meta leader' });
	});

	it('after the SIGKILL election the meta leader role moved to n2', () => {
		expect(resolveNode(stateAt(RUN, '00:47:54.000'), 'meta-leader').node).toBe('n2');
	});
});

describe('an-old-node during the upgrade run (2.9.10 → 2.10.27)', () => {
	const RUN_UP = 'upgrade-2.9.10-to-2.10.27-to-2.15.1';

	it('picks a node not yet on the target version, the meta leader last', () => {
		const start = stateAt(RUN_UP, '00:58:14.000');
		const meta = resolveNode(start, 'meta-leader').node;
		const first = resolveNode(start, 'an-old-node', { upgradeTo: '2.10.27' });
		expect(first.node).not.toBeNull();
		expect(first.node).not.toBe(meta);
		// After n1 and n2 run 2.10.27 only n3 is left, whatever it leads.
		const later = stateAt(RUN_UP, '00:58:25.000');
		expect(later.cluster.nodes.n1?.version).toBe('2.10.27');
		expect(later.cluster.nodes.n2?.version).toBe('2.10.27');
		expect(resolveNode(later, 'an-old-node', { upgradeTo: '2.10.27' }).node).toBe('n3');
		// Once every node runs the target version there is nothing left to upgrade.
		const done = stateAt(RUN_UP, '00:58:30.000');
		expect(resolveNode(done, 'an-old-node', { upgradeTo: '2.10.27' })).toEqual({
			node: null,
			waitingFor: 'a running node not yet on 2.10.27',
		});
	});

	it('needs an upgrade version', () => {
		expect(resolveNode(stateAt(RUN_UP, '00:58:14.000'), 'an-old-node')).toEqual({
			node: null,
			waitingFor: 'an upgrade version (the lab has none)',
		});
	});
});

describe('a-follower against the real /jsz leader samples (meta n3 from the core-2.10.27 run)', () => {
	// The run elected C1's leader at 00:47:31.694; a poll 1.6 s later may move it (FRESH_MS).
	const POLL_AT = '00:47:33.300';
	/** The run's state once the stream leader's /jsz answered with `snap` (as the stream poller reports it). */
	const withStream = (snap: StreamSnapshot) =>
		stateAt(RUN, POLL_AT, [
			{ kind: 'poll', node: snap.leader ?? 'n1', at: at(POLL_AT), ok: true, endpoint: 'stream', data: snap },
		]);

	it('2.10.27 sample: ORDERS on n2, C1 on n1, meta on n3 → no node leads nothing, and it says who leads what', () => {
		const s = withStream(streamSample('2.10.27', 'jsz-leader.json', 'ORDERS', 'n2'));
		expect(resolveNode(s, 'meta-leader').node).toBe('n3');
		expect(resolveNode(s, 'consumer-leader').node).toBe('n1');
		expect(['n1', 'n2', 'n3'].every((n) => s.cluster.nodes[n]?.process === 'up')).toBe(true);
		expect(resolveNode(s, 'a-follower')).toEqual({
			node: null,
			waitingFor:
				'a running node that leads nothing (now n1 leads ORDERS > C1, n2 leads ORDERS, n3 leads the meta group)',
		});
	});

	it('an-old-node and a-running-node never call a node that leads C1 one that leads nothing', () => {
		const spread = withStream(streamSample('2.10.27', 'jsz-leader.json', 'ORDERS', 'n2'));
		expect(resolveNode(spread, 'an-old-node', { upgradeTo: '2.15.1' })).toEqual({
			node: 'n1',
			why: 'not yet on 2.15.1, leads ORDERS > C1',
		});
		expect(resolveNode(spread, 'a-running-node').node).toBe('n1');
		const together = withStream(streamSample('2.9.10', 'jsz-leader.json', 'ORDERS', 'n2'));
		expect(resolveNode(together, 'an-old-node', { upgradeTo: '2.15.1' })).toEqual({
			node: 'n1',
			why: 'not yet on 2.15.1, and leads nothing',
		});
	});

	it('2.9.10 sample: ORDERS and C1 both on n2 → n1', () => {
		const s = withStream(streamSample('2.9.10', 'jsz-leader.json', 'ORDERS', 'n2'));
		expect(resolveNode(s, 'a-follower')).toEqual({
			node: 'n1',
			why: 'a follower: it leads nothing; n2 leads ORDERS and ORDERS > C1, n3 leads the meta group',
		});
	});

	it('2.15.1 sample: ORDERS on n1, C1 on n3 → n2', () => {
		const s = withStream(streamSample('2.15.1', 'jsz-leader.json', 'ORDERS', 'n1'));
		expect(resolveNode(s, 'stream-leader').node).toBe('n1');
		expect(resolveNode(s, 'a-follower').node).toBe('n2');
	});

	it('a consumer whose leader is not known yet is waited for, never guessed around', () => {
		const snap = streamSample('2.9.10', 'jsz-leader.json', 'ORDERS', 'n2');
		// A second consumer as /jsz lists one before its group has elected a leader.
		const s = withStream({ ...snap, consumers: [...(snap.consumers ?? []), { name: 'C2', leader: null }] });
		expect(resolveNode(s, 'a-follower')).toEqual({
			node: null,
			waitingFor: 'the leaders of ORDERS > C2 to be known',
		});
	});
});
