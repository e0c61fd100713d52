// "The moment each side notices" a partition (issue #14), replayed from a real run: nats-server
// 2.10.27 through natslab's pair proxies, n3 isolated for 100 s and healed
// (test/fixtures/partitions/README.md). Every LabEvent of that run goes through the real reducer;
// the timeline must say when each node's own /jsz and /routez noticed, and nothing of the kind
// outside the cut.

import { describe, expect, it } from 'vitest';
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

describe('cutInEffect', () => {
	const note = (at: number, text: string): TimelineEntry => ({
		at,
		text,
		kind: 'note',
		evidence: { source: 'natslab' } as never,
	});
	it('is the newest cut note unless a heal came after it', () => {
		const cut = note(1, 'n3 isolated: every link of it cut, both directions (lesson)');
		expect(cutInEffect([cut])).toBe(cut);
		expect(cutInEffect([cut, note(2, 'n3 healed: every link of it open again (lesson)')])).toBeNull();
		const link = note(3, 'link n1–n2 cut, both directions (learner)');
		expect(cutInEffect([cut, note(2, 'n3 healed: every link of it open again'), link])).toBe(link);
		expect(cutInEffect([note(1, 'outside the lesson’s plan: learner stop n2')])).toBeNull();
	});
});
