// "The moment each side notices" a partition (issue #14), replayed from a real run: nats-server
// 2.10.27 through natslab's pair proxies, n3 isolated for 100 s and healed
// (test/fixtures/partitions/README.md). Every LabEvent of that run goes through the real reducer;
// the timeline must say when each node's own /jsz and /routez noticed, and nothing of the kind
// outside the cut.

import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../src/observe/events.js';
import { cutInEffect } from '../../../src/observe/notice.js';
import type { LabState, TimelineEntry } from '../../../src/observe/state.js';
import { noteAt, replayPartitionRun } from '../../support/partition-run.js';

describe('the moment each side notices a partition (real 2.10.27 run)', () => {
	const final = replayPartitionRun().at(-1) as LabState;
	const { timeline } = final;
	const cutAt = noteAt(final, /n3 isolated/);
	const healAt = noteAt(final, /n3 healed/);
	const noticed = timeline.filter((e) => /^n\d noticed: its \/(jsz|routez) /.test(e.text));

	it('the cut-off node says, in its own /jsz, that it lost the meta leader, seconds after the cut', () => {
		const meta = noticed.filter((e) => e.text.includes('/jsz'));
		expect(meta.map((e) => e.node)).toEqual(['n3']);
		const entry = meta[0] as TimelineEntry;
		expect(entry.kind).toBe('leader');
		expect(entry.text).toMatch(
			/^n3 noticed: its \/jsz names no meta leader \(named n\d; \d+(\.\d)? s after the cut\)$/,
		);
		// JetStream notices within an election timeout or two; the routes take far longer (below).
		expect(entry.at - cutAt).toBeGreaterThan(1000);
		expect(entry.at - cutAt).toBeLessThan(30_000);
	});

	it('each side’s /routez drops the route only after its stale timeout, and names the peer it dropped', () => {
		const routes = noticed.filter((e) => e.text.includes('/routez'));
		expect(new Set(routes.map((e) => e.node))).toEqual(new Set(['n1', 'n2', 'n3']));
		for (const e of routes) {
			expect(e.kind).toBe('route');
			expect(e.at - cutAt, e.text).toBeGreaterThan(30_000);
			expect(e.at, e.text).toBeLessThan(healAt);
			expect(e.text).toMatch(e.node === 'n3' ? /dropped n[12]/ : /dropped n3 /);
		}
	});

	it('says nothing of the kind before the cut or after the heal', () => {
		for (const e of noticed) {
			expect(e.at, e.text).toBeGreaterThan(cutAt);
			expect(e.at, e.text).toBeLessThan(healAt);
		}
	});
});

describe('a cut and heal of n1–n2 while n3 is isolated (review B #9, the real run with two notes added)', () => {
	const plain = replayPartitionRun().at(-1) as LabState;
	const isolatedAt = noteAt(plain, /n3 isolated/);
	const withLinkOps = replayPartitionRun((events) => {
		const i = events.findIndex((e) => e.kind === 'note' && /n3 isolated/.test(e.text));
		const note = (at: number, text: string): LabEvent => ({ kind: 'note', at, text });
		return [
			...events.slice(0, i + 1),
			note(isolatedAt + 300, 'link n1–n2 cut, both directions (learner)'),
			note(isolatedAt + 600, 'link n1–n2 open again (learner)'),
			...events.slice(i + 1),
		];
	}).at(-1) as LabState;
	const jszNotice = (s: LabState) => s.timeline.find((e) => /^n3 noticed: its \/jsz /.test(e.text));

	it('n3 still notices in its own /jsz, timed from its isolation, as without the n1–n2 ops', () => {
		const plainEntry = jszNotice(plain);
		const entry = jszNotice(withLinkOps);
		expect(plainEntry).toBeDefined();
		expect(entry?.text).toBe(plainEntry?.text);
	});

	it('the routes n1 and n2 drop to n3 are still noticed', () => {
		const routes = withLinkOps.timeline.filter((e) =>
			/^n[12] noticed: its \/routez dropped n3 /.test(e.text),
		);
		expect(new Set(routes.map((e) => e.node))).toEqual(new Set(['n1', 'n2']));
	});
});

describe('cutInEffect', () => {
	const note = (at: number, text: string): TimelineEntry => ({
		at,
		text,
		kind: 'note',
		evidence: { source: 'natslab' } as never,
	});
	const nodes = ['n1', 'n2', 'n3'];
	const isolate3 = note(1, 'n3 isolated: every link of it cut, both directions (lesson)');
	const cut12 = note(2, 'link n1–n2 cut, both directions (learner)');
	const heal12 = note(3, 'link n1–n2 open again (learner)');

	it('is the note that cut one of the node’s links, unless a heal of that link came after it', () => {
		expect(cutInEffect([isolate3], nodes, 'n3')).toBe(isolate3);
		expect(cutInEffect([isolate3], nodes, 'n1')).toBe(isolate3);
		expect(
			cutInEffect([isolate3, note(2, 'n3 healed: every link of it open again (lesson)')], nodes, 'n3'),
		).toBeNull();
		expect(cutInEffect([isolate3, note(2, 'every link open again (learner)')], nodes, 'n1')).toBeNull();
		expect(cutInEffect([note(1, 'outside the lesson’s plan: learner stop n2')], nodes, 'n2')).toBeNull();
	});

	it('a heal of n1–n2 does not end n3’s isolation (review B #9)', () => {
		expect(cutInEffect([isolate3, cut12, heal12], nodes, 'n3')).toBe(isolate3);
		expect(cutInEffect([isolate3, cut12, heal12], nodes, 'n3', { anyCut: true })).toBe(isolate3);
		// n1's link to n3 is still cut; its link to n2 is open again.
		expect(cutInEffect([isolate3, cut12, heal12], nodes, 'n1', { peers: ['n3'] })).toBe(isolate3);
		expect(cutInEffect([isolate3, cut12, heal12], nodes, 'n1', { peers: ['n2'] })).toBeNull();
	});

	it('n3 is timed from its own isolation, not from a later cut of n1–n2', () => {
		expect(cutInEffect([isolate3, cut12], nodes, 'n3')).toBe(isolate3);
		expect(cutInEffect([isolate3, cut12], nodes, 'n1', { peers: ['n2'] })).toBe(cut12);
	});

	it('a cut between others counts for a node only when asked (anyCut) and none of its own stands', () => {
		expect(cutInEffect([cut12], nodes, 'n3')).toBeNull();
		expect(cutInEffect([cut12], nodes, 'n3', { anyCut: true })).toBe(cut12);
		expect(cutInEffect([cut12, heal12], nodes, 'n3', { anyCut: true })).toBeNull();
	});
});
