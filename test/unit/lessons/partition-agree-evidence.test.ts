// Lesson 10's "isolate → the other two agree on a meta leader other than it (their /jsz)" on the
// shipped recording of a real run (assets/recordings/partition.jsonl.gz, 2.10.27). The first recording
// of it reported 14 s where both /jsz named n1 4.9 s after the cut: the condition read natslab's
// reading (set from n1's log line) with the /jsz answers' older times as evidence, before the cut, so
// the figure fell back to the step's end. Evidence older than the action now means "held at the action".

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateWait } from '../../../src/lessons/conditions.js';
import { WaitSchema } from '../../../src/lessons/schema.js';
import { initialLabState, reduce } from '../../../src/observe/reducer.js';
import type { LabState } from '../../../src/observe/state.js';
import { readRecording } from '../../../src/record/read.js';
import { shippedRecordingsDir } from '../../../src/record/shipped.js';

describe('majority-meta-leader on the shipped partition run', async () => {
	const rec = await readRecording(join(shippedRecordingsDir(), 'partition.jsonl.gz'));
	const states: LabState[] = [];
	let s = initialLabState({ nodes: rec.header.nodes, addressBook: rec.header.addressBook });
	for (const e of rec.entries) {
		if (e.kind !== 'lab') continue;
		s = reduce(s, e.event);
		states.push(s);
	}
	const last = states.at(-1) as LabState;
	const cut = last.timeline.find((t) => /n3 isolated/.test(t.text));
	const spec = WaitSchema.parse({ for: 'majority-meta-leader', without: 'n3' });
	/** The engine's context for a state `x` of a step whose action came at `actionAt`. */
	const ctx = (x: LabState, actionAt: number, now = x.now) => ({
		now,
		startedAt: actionAt,
		actionAt,
		atStart: x,
		atAction: x,
		atLesson: x,
	});
	const firstAgreedAfter = (from: number) =>
		states.find((x) => x.now >= from && evaluateWait(x, spec, ctx(x, from)).met);

	it('holds first with evidence from after the cut: the /jsz answers that agree', () => {
		expect(cut).toBeDefined();
		const cutAt = cut?.at ?? 0;
		const first = firstAgreedAfter(cutAt);
		expect(first).toBeDefined();
		const evidence = evaluateWait(first as LabState, spec, ctx(first as LabState, cutAt)).at;
		expect(evidence).toBeDefined();
		expect(evidence as number).toBeGreaterThanOrEqual(cutAt);
		// Both /jsz name the same leader, not n3, at that moment.
		for (const n of ['n1', 'n2']) {
			const named = (first as LabState).cluster.nodes[n]?.metaView?.metaLeader;
			expect(named).toBeTruthy();
			expect(named).not.toBe('n3');
		}
	});

	it('when they already agreed at the action (the cut-off node did not lead), the evidence is the action: 0 s', () => {
		// A state where n1 and n2 name n3's rival already: the first state after the election, taken as if
		// the action came later than every /jsz answer in it.
		const cutAt = cut?.at ?? 0;
		const agreed = firstAgreedAfter(cutAt) as LabState;
		const lateAction = agreed.now + 5_000;
		const r = evaluateWait(agreed, spec, ctx(agreed, lateAction, lateAction));
		expect(r.met).toBe(true);
		expect(r.at).toBe(lateAction);
	});
});
