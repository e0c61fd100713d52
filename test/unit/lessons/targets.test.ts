// Roles are resolved from the live state when a step starts, so a step never
// depends on where leaders landed. States from REAL runs through the reducer.

import { describe, expect, it } from 'vitest';
import { resolveNode } from '../../../src/lessons/targets.js';
import { at, fold, stateAt, status } from './support.js';

const RUN = 'core-2.10.27';

describe('roles on core-2.10.27 at 00:47:32 (meta n3, ORDERS n2, C1 n3)', () => {
	const s = stateAt(RUN, '00:47:32.000');

	it('leaders by role', () => {
		expect(resolveNode(s, 'meta-leader')).toEqual({ node: 'n3', why: 'the meta leader' });
		expect(resolveNode(s, 'stream-leader')).toEqual({ node: 'n2', why: 'the ORDERS stream leader' });
		expect(resolveNode(s, 'consumer-leader')).toEqual({ node: 'n3', why: 'the ORDERS > C1 consumer leader' });
	});

	it('a-follower is neither the meta leader nor the stream leader', () => {
		expect(resolveNode(s, 'a-follower')).toEqual({
			node: 'n1',
			why: 'a follower: neither the meta leader (n3) nor the ORDERS leader',
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
			waitingFor: 'a follower (a running node that leads nothing)',
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
