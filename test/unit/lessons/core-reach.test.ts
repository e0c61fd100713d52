// natslab's core reach check in lessons (issue #14): the action, the wait and the measure in
// the lesson format, the check's result folded by the real reducer into the real partition run
// (test/fixtures/partitions: 2.10.27, n3 isolated), the wait that holds only once a check of
// this step is in, and the measure's words. The counts are the ones the real check measured
// (test/integration/core-reach.test.ts: from n3 while cut, n3's own 20, n1's and n2's 0).

import { describe, expect, it } from 'vitest';
import type { NodeName } from '../../../src/base/names.js';
import type { Lab } from '../../../src/lab/types.js';
import { actionText, performAction } from '../../../src/lessons/actions.js';
import { type CondContext, evaluateWait } from '../../../src/lessons/conditions.js';
import { parseLesson } from '../../../src/lessons/load.js';
import { takeMeasurement } from '../../../src/lessons/measures.js';
import { RecordSchema, WaitSchema } from '../../../src/lessons/schema.js';
import type { CoreReachResult, LabEvent } from '../../../src/observe/events.js';
import { reduce } from '../../../src/observe/reducer.js';
import type { LabState } from '../../../src/observe/state.js';
import { noteAt, replayPartitionRun } from '../../support/partition-run.js';

const result = (from: NodeName, received: Record<NodeName, number | null>): CoreReachResult => ({
	from,
	subject: 'natslab.reach.TEST',
	sent: 20,
	published: 120,
	rounds: 6,
	tookMs: 3100,
	received,
});

// The real run with a check from n3 folded in 5 s after the cut.
const plain = replayPartitionRun();
const cutAt = noteAt(plain.at(-1) as LabState, /n3 isolated/);
const checkAt = cutAt + 5000;
const cutCheck: LabEvent = {
	kind: 'core-reach',
	at: checkAt,
	result: result('n3', { n1: 0, n2: 0, n3: 20 }),
};
const all = replayPartitionRun((events) => {
	const i = events.findIndex((e) => e.at > checkAt);
	return [...events.slice(0, i), cutCheck, ...events.slice(i)];
});
const atCut = all.find((s) => s.now >= cutAt) as LabState;
const last = all.at(-1) as LabState;

const ctx = (s: LabState, atStart: LabState): CondContext => ({
	now: s.now,
	startedAt: atStart.now,
	actionAt: atStart.now,
	atStart,
	atAction: atStart,
	atLesson: atStart,
});
const measure = (s: LabState) =>
	takeMeasurement(s, RecordSchema.parse({ name: 'reach', measure: 'core-reach' }), {
		...ctx(s, atCut),
		metAt: s.now,
		waitAt: [],
	});

describe('the core reach check in the state', () => {
	it('is kept, and the timeline notes it as natslab’s own check with its clients as evidence', () => {
		expect(last.coreReach?.at(-1)).toMatchObject({
			from: 'n3',
			at: checkAt,
			received: { n1: 0, n2: 0, n3: 20 },
		});
		const note = last.timeline.find((e) => e.at === checkAt && e.text.startsWith('natslab check:'));
		expect(note?.text).toBe(
			"natslab check: a client on n3 sent 20: n3's own subscriber got 20, n1's 0, n2's 0 (120 publishes in 6 rounds)",
		);
		expect(note?.kind).toBe('note');
		expect(note?.node).toBe('n3');
		expect(note?.evidence).toMatchObject({ source: 'client', probe: 'natslab-reach' });
	});

	it('keeps only the last few checks', () => {
		let s = last;
		for (let i = 0; i < 12; i++)
			s = reduce(s, { kind: 'core-reach', at: last.now + i, result: result('n1', { n1: i, n2: 0, n3: 0 }) });
		expect(s.coreReach).toHaveLength(10);
		expect(s.coreReach?.at(-1)?.received.n1).toBe(11);
	});
});

describe('wait for: core-reach-checked', () => {
	const wait = WaitSchema.parse({ for: 'core-reach-checked' });
	it('holds once a check newer than the step’s start is in, at the check’s time', () => {
		const beforeCheck = all.filter((s) => s.now >= cutAt && s.now < checkAt);
		expect(beforeCheck.length).toBeGreaterThan(0);
		for (const s of beforeCheck) expect(evaluateWait(s, wait, ctx(s, atCut)).met).toBe(false);
		const r = evaluateWait(last, wait, ctx(last, atCut));
		expect(r).toMatchObject({ met: true, at: checkAt });
		expect(r.text).toContain("n3's own subscriber got 20");
	});

	it('does not take a check from before the step', () => {
		expect(evaluateWait(last, wait, ctx(last, last)).met).toBe(false);
	});
});

describe('measure: core-reach', () => {
	it('says what each node’s subscriber got; its value is what reached the other nodes', () => {
		expect(measure(last)).toMatchObject({
			text: "a client on n3 sent 20: n3's own subscriber got 20, n1's 0, n2's 0",
			value: 0,
			node: 'n3',
		});
		const healed = reduce(last, {
			kind: 'core-reach',
			at: last.now + 1,
			result: result('n3', { n1: 20, n2: 20, n3: 20 }),
		});
		expect(measure(healed)).toMatchObject({ value: 40 });
	});

	it('names a node that took no client, and says so when no check ran', () => {
		const s = reduce(last, {
			kind: 'core-reach',
			at: last.now + 1,
			result: { ...result('n1', { n1: 20, n2: null, n3: 0 }), noClient: { n2: 'not running' } },
		});
		expect(measure(s).text).toBe(
			"a client on n1 sent 20: n1's own subscriber got 20, n2 had no client (not running), n3's 0",
		);
		expect(measure(plain.at(-1) as LabState).text).toBe('no core reach check ran');
	});
});

describe('do: core-reach', () => {
	const lesson = (action: string, target = 'target: n3\n') => `---
id: reach
title: Reach
order: 1
summary: A lesson used by the tests.
---

Intro.

## Check

Prose.

${target}action: ${action}
wait:
  - { for: core-reach-checked, timeout: 20s }
record:
  - { name: reach, measure: core-reach }
`;
	const problems = (text: string) => parseLesson(text, 'x.md').problems.map((p) => p.message);

	it('is a valid action on the step’s target, with its wait and measure', () => {
		const r = parseLesson(lesson('{ do: core-reach }'), 'x.md');
		expect(r.problems).toEqual([]);
		expect(r.lesson?.steps[0]?.actions[0]?.do).toBe('core-reach');
	});

	it('needs a target', () => {
		expect(problems(lesson('{ do: core-reach }', ''))).toContain(
			"do: core-reach needs a target (here or as the step's target)",
		);
	});

	it('runs the lab’s check from the target node and says so', async () => {
		const asked: NodeName[] = [];
		const lab = {
			checkCoreReach: async (from: NodeName) => {
				asked.push(from);
				return result(from, { n1: 20, n2: 20, n3: 20 });
			},
		} as unknown as Lab;
		await performAction(lab, { do: 'core-reach', by: 'natslab' }, 'n3', 'lesson');
		expect(asked).toEqual(['n3']);
		expect(actionText({ do: 'core-reach', by: 'natslab' }, 'n3', null)).toMatch(
			/^check core NATS from n3: a client on n3 publishes/,
		);
		await expect(
			performAction({} as Lab, { do: 'core-reach', by: 'natslab' }, 'n3', 'lesson'),
		).rejects.toThrow(/cannot run the core reach check/);
	});
});
