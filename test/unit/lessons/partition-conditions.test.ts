// Lesson 10's waits and measures held against a real partition (test/fixtures/partitions: 2.10.27
// through natslab's pair proxies, n3 isolated for 100 s, healed). Every LabEvent goes through the
// real reducer; each condition is evaluated on every state, as the engine does.

import { describe, expect, it } from 'vitest';
import { type CondContext, evaluateWait } from '../../../src/lessons/conditions.js';
import { takeMeasurement } from '../../../src/lessons/measures.js';
import { RecordSchema, WaitSchema } from '../../../src/lessons/schema.js';
import type { LabState, NodeState } from '../../../src/observe/state.js';
import { noteAt as noteIn, replayPartitionRun } from '../../support/partition-run.js';

const all = replayPartitionRun();
const noteAt = (re: RegExp) => noteIn(all.at(-1) as LabState, re);
const cutAt = noteAt(/n3 isolated/);
const healAt = noteAt(/n3 healed/);
const during = all.filter((s) => s.now > cutAt && s.now < healAt);
const before = all.filter((s) => s.now < cutAt && s.cluster.meta.leader !== null);
const ctx = (s: LabState): CondContext => ({
	now: s.now,
	startedAt: cutAt,
	actionAt: cutAt,
	atStart: s,
	atAction: s,
	atLesson: s,
});
const holds = (spec: unknown, s: LabState) => evaluateWait(s, WaitSchema.parse(spec), ctx(s)).met;

describe('partition waits on a real cut', () => {
	it('sees-meta-leader: n3 names a leader before the cut, names none during it after a few seconds', () => {
		expect(before.some((s) => holds({ for: 'sees-meta-leader', node: 'n3' }, s))).toBe(true);
		const firstNone = during.find((s) => holds({ for: 'sees-meta-leader', node: 'n3', present: false }, s));
		expect(firstNone).toBeDefined();
		expect((firstNone?.now ?? 0) - cutAt).toBeGreaterThan(1000);
		// The other side keeps naming one.
		expect(during.every((s) => holds({ for: 'sees-meta-leader', node: 'n1' }, s))).toBe(true);
	});

	it('majority-meta-leader: n1 and n2 agree on a leader that is not n3, all through the cut', () => {
		const late = during.filter((s) => s.now - cutAt > 15_000);
		expect(late.length).toBeGreaterThan(0);
		expect(late.every((s) => holds({ for: 'majority-meta-leader', without: 'n3' }, s))).toBe(true);
		// Without n1, the view of n2 and n3 disagrees once n3 names none.
		expect(late.some((s) => holds({ for: 'majority-meta-leader', without: 'n1' }, s))).toBe(false);
	});

	it('replica-behind: another node reports n3 behind during the cut, never before it', () => {
		expect(before.some((s) => holds({ for: 'replica-behind', node: 'n3' }, s))).toBe(false);
		expect(during.some((s) => holds({ for: 'replica-behind', node: 'n3' }, s))).toBe(true);
	});
});

describe('partition measures on a real cut', () => {
	const late = during.filter((s) => s.now - cutAt > 20_000);
	const measure = (spec: unknown, s: LabState) =>
		takeMeasurement(s, RecordSchema.parse(spec), { ...ctx(s), metAt: s.now, waitAt: [] });

	it('meta-views: each node in its own words', () => {
		const s = late.at(-1) as LabState;
		expect(measure({ name: 'v', measure: 'meta-views' }, s).text).toMatch(
			/^n1 → n\d · n2 → n\d · n3 → none$/,
		);
	});

	it('replica: the lag another node reports, and whose view it is', () => {
		const behind = late.find((s) => holds({ for: 'replica-behind', node: 'n3' }, s)) as LabState;
		const m = measure({ name: 'lag', measure: 'replica', node: 'n3' }, behind);
		expect(m.text).toMatch(
			/^n3: \d+ messages behind, (not current|current) \(as n[12]'s \/jsz reports it\)$/,
		);
		expect(m.value).toBeGreaterThan(0);
	});
});

describe("the node's own word, not natslab's reading (review B #7)", () => {
	// natslab holds `seesMetaLeader` back while a fresh log line disagrees (reduce-poll.ts); the
	// condition and the measure read the node's last /jsz answer itself.
	const s = before.at(-1) as LabState;
	const n3 = s.cluster.nodes.n3;
	const named = n3?.metaView?.metaLeader ?? null;
	const saysNone: LabState = {
		...s,
		cluster: {
			...s.cluster,
			nodes: {
				...s.cluster.nodes,
				n3: {
					...(n3 as NodeState),
					seesMetaLeader: named,
					metaView: { ...(n3?.metaView as NonNullable<NodeState['metaView']>), metaLeader: null },
				},
			},
		},
	};

	it('the fixture state before the cut has n3 naming a leader', () => {
		expect(named).not.toBeNull();
	});

	it('sees-meta-leader follows the /jsz answer', () => {
		expect(holds({ for: 'sees-meta-leader', node: 'n3', present: false }, saysNone)).toBe(true);
		expect(holds({ for: 'sees-meta-leader', node: 'n3' }, saysNone)).toBe(false);
	});

	it('meta-views shows the /jsz answer', () => {
		const m = takeMeasurement(saysNone, RecordSchema.parse({ name: 'v', measure: 'meta-views' }), {
			...ctx(saysNone),
			metAt: saysNone.now,
			waitAt: [],
		});
		expect(m.text).toMatch(/n3 → none$/);
	});
});
