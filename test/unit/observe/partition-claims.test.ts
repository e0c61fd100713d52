// A cut-off former leader keeps naming itself in its own /jsz (test/fixtures/partitions: 2.10.27,
// n3 led ORDERS and C1 when it was isolated for 100 s). Replayed through the real reducer, the
// timeline must show one leader change to the majority's side and n3's claim as a claim, not
// "ORDERS leader n2 → n3 → n2…" every poll (the poller picked n3's and n2's views in turn), nor
// move the meta leader to it when its /jsz names itself.

import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../src/observe/events.js';
import { reduce } from '../../../src/observe/reducer.js';
import type { LabState } from '../../../src/observe/state.js';
import { noteAt, replayPartitionRun } from '../../support/partition-run.js';

describe('a cut-off former leader’s own view during a cut (real 2.10.27 run)', () => {
	const states = replayPartitionRun();
	const final = states.at(-1) as LabState;
	const cutAt = noteAt(final, /n3 isolated/);
	const healAt = noteAt(final, /n3 healed/);
	const duringCut = final.timeline.filter((e) => e.at > cutAt && e.at < healAt);
	const changes = (re: RegExp) => duringCut.filter((e) => e.kind === 'leader' && re.test(e.text));

	it('ORDERS and C1 each change leader once, to the majority side, and stay there', () => {
		const stream = changes(/^stream ORDERS leader /);
		expect(stream.map((e) => e.text)).toEqual(['stream ORDERS leader n3 → n2']);
		const consumer = changes(/^consumer ORDERS > C1 leader /);
		expect(consumer.map((e) => e.text)).toEqual(['consumer ORDERS > C1 leader n3 → n2']);
		const lateInCut = states.filter((s) => s.now > cutAt + 20_000 && s.now < healAt);
		expect(lateInCut.length).toBeGreaterThan(0);
		expect(lateInCut.every((s) => s.cluster.streams.ORDERS?.leader === 'n2')).toBe(true);
	});

	it('n3’s claim is said once, as n3’s claim', () => {
		const claims = duringCut.filter((e) => /^n3 claims ORDERS leadership in its own \/jsz/.test(e.text));
		expect(claims).toHaveLength(1);
		expect(claims[0]?.node).toBe('n3');
		expect(claims[0]?.text).toMatch(/the others follow meta leader n\d and n2 leads ORDERS$/);
	});

	it('a meta leader claim of the cut-off node does not move the meta leader', () => {
		const late = states.filter((s) => s.now > cutAt + 20_000 && s.now < healAt).at(-1) as LabState;
		const leader = late.cluster.meta.leader;
		expect(leader).not.toBeNull();
		expect(leader).not.toBe('n3');
		const claim: LabEvent = {
			kind: 'poll',
			node: 'n3',
			at: late.now + 1,
			ok: true,
			endpoint: 'jsz',
			data: { metaLeader: 'n3', clusterSize: 3, replicas: [], quorumNeeded: 2 },
		};
		expect(reduce(late, claim).cluster.meta.leader).toBe(leader);
	});
});
