// One format: a recording `learn <id> --auto --record` writes (here the shipped one of
// lesson 6) is also a fixture for the measurement tests (test/support/lesson-run.ts,
// test/unit/lessons/measures-replay.test.ts): its steps, their states and the lesson's
// result come back, and a measurement holds against the recorded log lines.
import { describe, expect, it } from 'vitest';
import type { LogLineEvent } from '../../../src/observe/events.js';
import { measurement, replayLessonRun, stepRecording } from '../../support/lesson-run.js';

describe('a shipped recording read as a lesson-run fixture', () => {
	const run = replayLessonRun('../../../assets/recordings/lame-duck.jsonl.gz', 0);

	it('has every step, the result, and the lame duck handover as the servers logged it', () => {
		expect(run.result.status).toBe('done');
		expect(run.steps.map((s) => s.index)).toEqual([0, 1, 2, 3]);
		const step = stepRecording(run, 'ldmHandover');
		const logs = step.events.filter((e): e is LogLineEvent => e.kind === 'log');
		const ldm = logs.find((l) => l.node === step.result.target && l.raw.includes('Entering lame duck mode'));
		const elected = logs.find(
			(l) => ldm && l.at >= ldm.at && l.raw.includes('Self is new JetStream cluster metadata leader'),
		);
		expect(ldm && elected).toBeTruthy();
		expect(measurement(step, 'ldmHandover').value).toBe((elected?.at ?? 0) - (ldm?.at ?? 0));
	});
});
