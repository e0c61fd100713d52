// The JetStream publisher gives a msgID up only after an unbroken run of "in process" answers
// (docs/nats-behavior.md §14.5b); a timeout in between means a stalled leader whose proposal may
// still commit, so it starts the run again.
import { describe, expect, it } from 'vitest';
import { IN_PROCESS_GIVE_UP_MS, InProcessRun, isInProcessText } from '../../../src/probes/in-process.js';

describe('InProcessRun', () => {
	it('is exhausted after IN_PROCESS_GIVE_UP_MS of nothing but "in process" answers', () => {
		const run = new InProcessRun();
		for (let t = 0; t < IN_PROCESS_GIVE_UP_MS; t += 50) run.answer(true, t);
		expect(run.exhausted(IN_PROCESS_GIVE_UP_MS - 1)).toBe(false);
		expect(run.exhausted(IN_PROCESS_GIVE_UP_MS)).toBe(true);
	});

	it('a timeout in between starts the run again; a new msgID has none', () => {
		const run = new InProcessRun();
		run.answer(true, 0);
		run.answer(false, 5_000);
		run.answer(true, 10_000);
		expect(run.exhausted(IN_PROCESS_GIVE_UP_MS + 1)).toBe(false);
		expect(run.exhausted(10_000 + IN_PROCESS_GIVE_UP_MS)).toBe(true);
		run.reset();
		expect(run.exhausted(100_000)).toBe(false);
	});

	it('knows both versions’ words for it', () => {
		expect(
			isInProcessText('duplicate with sequence 0: an earlier attempt of this msgID is not committed yet'),
		).toBe(true);
		expect(isInProcessText('duplicate message id is in process')).toBe(true);
		expect(isInProcessText('TimeoutError: timeout')).toBe(false);
	});
});
