// A rehearsal step that gives up beside a named server condition says so: the
// step failure, the report's reasons and its diagnoses, the text and Markdown.
// The states: the recorded upgrade's end, then n2's real /routez answer
// without n1 for 15 s (test/unit/observe/diagnosis-states.ts).

import { describe, expect, it } from 'vitest';
import { reduce } from '../../../src/observe/reducer.js';
import type { LabState } from '../../../src/observe/state.js';
import { evaluateNode } from '../../../src/rehearse/gates.js';
import { renderMarkdown, renderText } from '../../../src/rehearse/render.js';
import { buildReport } from '../../../src/rehearse/report.js';
import { finishStep, observeStep, startStep } from '../../../src/rehearse/step.js';
import { poll, routezWithout, streamWithN1Behind, upgraded } from '../observe/diagnosis-states.js';

function stepOver(seconds: number, oneWay: boolean) {
	const first = upgraded.final;
	let state: LabState = first;
	let p = startStep(first, {
		node: 'n2',
		toVersion: '2.10.27',
		signal: 'SIGTERM',
		actionAt: first.now,
		streams: ['ORDERS'],
	});
	for (let i = 1; i <= seconds; i++) {
		const at = first.now + i * 1000;
		const data = oneWay ? routezWithout(['n1']) : { peers: ['n1', 'n3'], connections: 8 };
		state = reduce(state, poll('n2', at, { endpoint: 'routez', data }));
		state = reduce(
			state,
			poll('n1', at, { endpoint: 'routez', data: { peers: ['n2', 'n3'], connections: 8 } }),
		);
		// The rehearsal's publisher keeps the stream growing: every stream poll is news.
		const stream = streamWithN1Behind(0);
		state = reduce(
			state,
			poll('n2', at, { endpoint: 'stream', data: { ...stream, lastSeq: stream.lastSeq + i } }),
		);
		p = observeStep(p, state);
	}
	const end = first.now + seconds * 1000;
	// What the progress line prints while the gate still waits (gates as evaluated for n2).
	const waiting = observeStep(
		{ ...p, gates: evaluateNode(state, 'n2', { version: '2.10.27', streams: [] }) },
		state,
	);
	const record = finishStep(p, end, {
		gate: 'mesh',
		reason: 'not reached 90 s after the start (no route to n1)',
	});
	return { record, state, missing: waiting.gates?.missing ?? [] };
}

describe('a rehearsal failure beside a one-way route', () => {
	it('names the diagnosis in the step, the reasons, the report and both renderings', () => {
		const { record, state, missing } = stepOver(15, true);
		expect(missing.at(-1)).toBe('one-way-route on n2 (restart n2: kill + start fixed it at once)');
		expect(record.failure?.diagnoses?.map((d) => [d.kind, d.node])).toEqual([['one-way-route', 'n2']]);
		const report = buildReport({
			from: '2.9.10',
			to: '2.10.27',
			strategy: 'restart',
			order: 'followers-first',
			startedAt: upgraded.final.now - 60_000,
			endedAt: state.now,
			steps: [record],
			state,
			initialVersions: { n1: '2.9.10', n2: '2.9.10', n3: '2.9.10' },
			verify: { acked: 10, stored: 10, ackedMissing: 0, timedOutButStored: 0 },
			failure: null,
		});
		expect(report.verdict).toBe('fail');
		expect(report.reasons[0]).toBe(
			'n2: back in the mesh: not reached 90 s after the start (no route to n1); diagnosis one-way-route: n1 lists a route to n2 but n2 does not list n1 → restart n2: kill + start fixed it at once',
		);
		expect(report.diagnoses?.map((d) => d.kind)).toEqual(['one-way-route']);
		const text = renderText(report);
		expect(text).toContain(
			'Diagnosis:\n  one-way-route on n2: n1 lists a route to n2 but n2 does not list n1',
		);
		expect(text).toContain('    evidence: n1 /routez: n2, n3 · n2 /routez: n3 · held 14 s');
		expect(text).toContain('    recovery: restart n2: kill + start fixed it at once');
		expect(renderMarkdown(report)).toContain('## Diagnosis');
	});

	it('names nothing when the routes were fine (the failure is another one)', () => {
		const { record, missing } = stepOver(15, false);
		expect(missing.join('; ')).not.toContain('one-way-route');
		expect(record.failure).toEqual({
			gate: 'mesh',
			reason: 'not reached 90 s after the start (no route to n1)',
		});
	});
});
