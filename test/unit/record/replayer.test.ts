// The replayer on a real recording (a shipped one: lesson 4 on 2.10.27): the state
// at any moment is the events before it folded by the reducer, whichever way the
// replay got there (played, seeked back, stepped); `n` stops where a leader, a node
// or a client changed; `<` `>` land on lesson steps; the clock is the recording's.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initialLabState, reduce } from '../../../src/observe/reducer.js';
import type { LabState } from '../../../src/observe/state.js';
import type { Recording } from '../../../src/record/format.js';
import { readRecording } from '../../../src/record/read.js';
import { Replayer } from '../../../src/record/replayer.js';
import { shippedRecordingsDir } from '../../../src/record/shipped.js';

const recording = await readRecording(join(shippedRecordingsDir(), 'stop-the-meta-leader.jsonl.gz'));

function foldUntil(rec: Recording, at: number): LabState {
	let s = initialLabState({ nodes: rec.header.nodes, addressBook: rec.header.addressBook });
	for (const e of rec.entries) if (e.t <= at && e.kind === 'lab') s = reduce(s, e.event);
	return s;
}

describe('Replayer', () => {
	it('seeking forward and back gives the state the events up to then fold into', () => {
		const r = new Replayer(recording);
		const mid = r.start + (r.end - r.start) / 2;
		r.seek(r.end);
		expect(r.state).toEqual(foldUntil(recording, r.end));
		r.seek(mid);
		expect(r.clock()).toBe(mid);
		expect(r.state).toEqual(foldUntil(recording, mid));
		r.back();
		expect(r.clock()).toBe(Math.max(r.start, mid - 10_000));
		expect(r.state).toEqual(foldUntil(recording, r.clock()));
		expect(r.getStatus()).toMatchObject({ at: r.clock() - r.start, playing: false, speed: 1 });
	});

	it('n stops at each change of a leader, a node or a client, in order, to the end', () => {
		const r = new Replayer(recording);
		const leaders: (string | null)[] = [];
		let stops = 0;
		while (r.nextChange()) {
			stops++;
			leaders.push(r.state.cluster.meta.leader);
			expect(r.getStatus().playing).toBe(false);
		}
		expect(stops).toBeGreaterThan(5);
		// Lesson 4 stops the meta leader twice: the replay stops at each new leader.
		expect(new Set(leaders.filter(Boolean)).size).toBeGreaterThanOrEqual(2);
		expect(r.clock()).toBe(r.end);
	});

	it('> and < move between lesson steps; the recap is the last stop', () => {
		const r = new Replayer(recording);
		const seen: string[] = [];
		while (r.step(1))
			seen.push(r.view?.phase === 'finished' ? 'recap' : `step ${(r.view?.stepIndex ?? -1) + 1}`);
		const steps = recording.header.lesson ? [...Array(4).keys()].map((i) => `step ${i + 1}`) : [];
		expect(seen).toEqual([...steps, 'recap']);
		expect(r.step(-1)).toBe(true);
		expect(r.view?.stepIndex).toBe(3);
		expect(r.view?.phase).not.toBe('finished');
	});

	it('plays at the recorded pace times the speed, within 0.5x–8x', async () => {
		const r = new Replayer(recording);
		for (let i = 0; i < 6; i++) r.changeSpeed(1);
		expect(r.getStatus().speed).toBe(8);
		for (let i = 0; i < 6; i++) r.changeSpeed(-1);
		expect(r.getStatus().speed).toBe(0.5);
		r.changeSpeed(1);
		r.changeSpeed(1);
		const from = r.clock();
		const began = performance.now();
		r.play();
		await new Promise((resolve) => setTimeout(resolve, 300));
		r.pause();
		const real = performance.now() - began;
		// 2x: the recording's clock moved about twice the real time (timers only ever run late).
		expect(r.clock() - from).toBeGreaterThan(0);
		expect(r.clock() - from).toBeLessThanOrEqual(2 * real + 1);
		expect(r.state).toEqual(foldUntil(recording, r.clock()));
	});
});
