// When the meta group, ORDERS and C1 each have their leader on another node, no node leads
// nothing; natslab then steps C1's leader down and picks the node it left, once the
// servers' /jsz shows the new leader. States: a real run plus the real 2.10.27 /jsz sample
// (meta n3, ORDERS n2, C1 n1) folded through the real reducer.

import { describe, expect, it } from 'vitest';
import type { Lab } from '../../../src/lab/types.js';
import { findOrFreeFollower, STEPDOWN_ATTEMPTS } from '../../../src/lessons/free-follower.js';
import { consumerLeaderToFree, resolveNode } from '../../../src/lessons/targets.js';
import type { StreamSnapshot } from '../../../src/monitoring/types.js';
import type { LabEvent } from '../../../src/observe/events.js';
import type { LabState } from '../../../src/observe/state.js';
import { streamSample } from '../../support/fixtures.js';
import { at, fold, stateAt } from './support.js';

const RUN = 'core-2.10.27';
const POLL_AT = '00:47:33.300';
const spread = streamSample('2.10.27', 'jsz-leader.json', 'ORDERS', 'n2');

const poll = (snap: StreamSnapshot, time: number): LabEvent => ({
	kind: 'poll',
	node: snap.leader ?? 'n1',
	at: time,
	ok: true,
	endpoint: 'stream',
	data: snap,
});

/** The stream leader's /jsz after C1's leadership moved to `to`. */
const movedTo = (to: string): StreamSnapshot => ({
	...spread,
	consumers: (spread.consumers ?? []).map((c) => (c.name === 'C1' ? { ...c, leader: to } : c)),
});

/** A Lab double over a real state; a stepdown answers as `onStepDown` says (a new /jsz poll, or nothing). */
function fakeLab(state: LabState, onStepDown: (calls: number) => LabEvent | Error | null) {
	let s = state;
	const listeners = new Set<(st: LabState) => void>();
	const stepDowns: string[] = [];
	const notes: string[] = [];
	const emit = (e: LabEvent) => {
		if (e.kind === 'note') notes.push(e.text);
		s = fold(s, [{ ...e, at: Math.max(e.at, s.now) } as LabEvent]);
		for (const l of listeners) l(s);
	};
	const lab = {
		getState: () => s,
		subscribe: (l: (st: LabState) => void) => {
			listeners.add(l);
			return () => listeners.delete(l);
		},
		emit,
		async stepDownConsumerLeader(stream: string, consumer: string) {
			stepDowns.push(`${stream} > ${consumer}`);
			const answer = onStepDown(stepDowns.length);
			if (answer instanceof Error) throw answer;
			// The servers' /jsz shows the new leader a moment later, not in the request's answer.
			if (answer) setTimeout(() => emit(answer), 20);
		},
	} as unknown as Lab;
	return { lab, stepDowns, notes };
}

/** A clock that runs 1 s per reading, so bounded waits end fast without real sleeps mattering. */
function fastClock(): () => number {
	let t = 0;
	return () => {
		t += 1000;
		return t;
	};
}

describe('a-follower when each node leads one thing (meta n3, ORDERS n2, C1 n1)', () => {
	const s = stateAt(RUN, POLL_AT, [poll(spread, at(POLL_AT))]);

	it('the layout has no follower, and C1’s leader n1 is the one to free', () => {
		expect(resolveNode(s, 'a-follower').node).toBeNull();
		expect(consumerLeaderToFree(s)).toEqual({ node: 'n1', consumer: 'ORDERS > C1' });
	});

	it('steps C1 down once, waits for /jsz to show the new leader, then picks n1 and says why', async () => {
		const { lab, stepDowns, notes } = fakeLab(s, () => poll(movedTo('n2'), at(POLL_AT) + 2000));
		const found = await findOrFreeFollower(lab, { timeoutMs: 30_000, everyMs: 10 });
		expect(stepDowns).toEqual(['ORDERS > C1']);
		expect(notes).toEqual([
			"natslab moved C1's leader off n1 (consumer leader stepdown) so that one server leads nothing",
		]);
		expect(found).toEqual({
			node: 'n1',
			why:
				'a follower: it leads nothing; n2 leads ORDERS and ORDERS > C1, n3 leads the meta group; ' +
				"natslab moved C1's leader off n1 to n2 first (consumer leader stepdown)",
		});
		// The timeline shows it as natslab's own doing, on n1's row.
		expect(lab.getState().timeline.some((t) => t.text.startsWith("natslab moved C1's leader off n1"))).toBe(
			true,
		);
	});

	it('a stepdown the servers refuse is retried, a bounded number of times, then gives up', async () => {
		const { lab, stepDowns, notes } = fakeLab(s, () => new Error('consumer leader stepdown refused (10014)'));
		const found = await findOrFreeFollower(lab, { timeoutMs: 30_000, everyMs: 10, clock: fastClock() });
		expect(found).toBeNull();
		expect(stepDowns).toHaveLength(STEPDOWN_ATTEMPTS);
		expect(notes.filter((n) => n.includes('refused (10014)'))).toHaveLength(STEPDOWN_ATTEMPTS);
	});

	it('a stepdown that leaves C1 on n1 per /jsz is tried again; the second one frees n1', async () => {
		const { lab, stepDowns } = fakeLab(s, (call) =>
			call === 1 ? null : poll(movedTo('n3'), at(POLL_AT) + 2000),
		);
		const found = await findOrFreeFollower(lab, { timeoutMs: 30_000, everyMs: 10, clock: fastClock() });
		expect(stepDowns).toHaveLength(2);
		expect(found?.node).toBe('n1');
		expect(found?.why).toContain("natslab moved C1's leader off n1 to n3 first");
	});

	it('a lab without stepdowns (a test double) never guesses: null', async () => {
		const { lab } = fakeLab(s, () => null);
		delete (lab as { stepDownConsumerLeader?: unknown }).stepDownConsumerLeader;
		expect(await findOrFreeFollower(lab, { timeoutMs: 30_000, everyMs: 10 })).toBeNull();
	});
});

describe('a-follower when one node already leads nothing', () => {
	it('2.9.10 sample (ORDERS and C1 on n2, meta n3): n1 at once, no stepdown', async () => {
		const s = stateAt(RUN, POLL_AT, [
			poll(streamSample('2.9.10', 'jsz-leader.json', 'ORDERS', 'n2'), at(POLL_AT)),
		]);
		expect(consumerLeaderToFree(s)).toBeNull();
		const { lab, stepDowns } = fakeLab(s, () => null);
		const found = await findOrFreeFollower(lab, { timeoutMs: 30_000, everyMs: 10 });
		expect(found?.node).toBe('n1');
		expect(found?.why).not.toContain('natslab moved');
		expect(stepDowns).toEqual([]);
	});
});
