// Lesson progress in the state folder: saved per step, resumed, reset; a
// damaged file counts as no progress rather than an error.

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	progressFileOf,
	progressLabel,
	progressPath,
	readProgress,
	resetLesson,
	saveStep,
} from '../../../src/lessons/progress.js';

const envWithHome = () => ({ NATSLAB_HOME: mkdtempSync(join(tmpdir(), 'natslab-progress-')) });
const m = { name: 'election', label: 'SIGKILL → new meta leader', text: '5.2 s', value: 5200 };

describe('lesson progress', () => {
	it('lives in the state folder as JSON', () => {
		const env = envWithHome();
		expect(progressPath(env)).toBe(join(env.NATSLAB_HOME, 'state', 'lessons', 'progress.json'));
	});

	it('records the next step, then done with the measurements; resets', async () => {
		const env = envWithHome();
		expect(await readProgress(env)).toEqual({ version: 1, lessons: {} });
		await saveStep(env, 'stop-the-meta-leader', 2, 4, [m], new Date('2026-11-26T10:00:00Z'));
		let p = (await readProgress(env)).lessons['stop-the-meta-leader'];
		expect(p).toEqual({ step: 2, done: false, updatedAt: '2026-11-26T10:00:00.000Z', measurements: [m] });
		expect(progressLabel(p, 4)).toBe('step 3/4');

		await saveStep(env, 'stop-the-meta-leader', 4, 4, [m], new Date('2026-11-26T10:01:00Z'));
		p = (await readProgress(env)).lessons['stop-the-meta-leader'];
		expect(p).toMatchObject({ step: 0, done: true, completedAt: '2026-11-26T10:01:00.000Z' });
		expect(progressLabel(p, 4)).toBe('done');

		// Starting it again keeps "done" while the new run is under way.
		await saveStep(env, 'stop-the-meta-leader', 1, 4, []);
		p = (await readProgress(env)).lessons['stop-the-meta-leader'];
		expect(progressLabel(p, 4)).toBe('step 2/4 (done before)');

		await resetLesson(env, 'stop-the-meta-leader');
		expect((await readProgress(env)).lessons).toEqual({});
		expect(progressLabel(undefined, 4)).toBe('new');
	});

	it('a step skipped past keeps the lesson from being done; it resumes at the skipped step', async () => {
		const env = envWithHome();
		const t = new Date('2026-11-26T10:00:00Z');
		await saveStep(env, 'lose-quorum', 3, 5, [m], t, [1]);
		let p = (await readProgress(env)).lessons['lose-quorum'];
		expect(p).toEqual({ step: 1, done: false, updatedAt: t.toISOString(), measurements: [m], skipped: [1] });
		expect(progressLabel(p, 5)).toBe('step 2/5 (skipped step 2)');
		// Reaching the end with a skipped step is not done, and sets no completedAt.
		await saveStep(env, 'lose-quorum', 5, 5, [m], t, [1, 3]);
		p = (await readProgress(env)).lessons['lose-quorum'];
		expect(p).toMatchObject({ step: 1, done: false, skipped: [1, 3] });
		expect(p?.completedAt).toBeUndefined();
		// Redone without skipping: done, and the skipped list is gone.
		await saveStep(env, 'lose-quorum', 5, 5, [m], t);
		p = (await readProgress(env)).lessons['lose-quorum'];
		expect(p).toMatchObject({ step: 0, done: true, completedAt: t.toISOString() });
		expect(p?.skipped).toBeUndefined();
		expect(progressLabel(p, 5)).toBe('done');
	});

	it('saves made close together all land (one read-modify-write at a time)', async () => {
		const env = envWithHome();
		await Promise.all(['a', 'b', 'c', 'd'].map((id, i) => saveStep(env, id, i + 1, 9, [])));
		expect(Object.keys((await readProgress(env)).lessons).sort()).toEqual(['a', 'b', 'c', 'd']);
		expect(JSON.parse(readFileSync(progressPath(env), 'utf8')).version).toBe(1);
	});

	it('a damaged or foreign file is no progress, not an error', async () => {
		const env = envWithHome();
		mkdirSync(dirname(progressPath(env)), { recursive: true });
		writeFileSync(progressPath(env), '{not json');
		expect(await readProgress(env)).toEqual({ version: 1, lessons: {} });
		writeFileSync(progressPath(env), JSON.stringify({ version: 7, lessons: [] }));
		expect(await readProgress(env)).toEqual({ version: 1, lessons: {} });
	});

	it('one wrong entry makes the file no progress; unknown keys are dropped, no measurements is none', () => {
		const ok = { step: 1, done: false, updatedAt: 't', extra: 'x' };
		expect(progressFileOf({ version: 1, lessons: { a: ok }, other: 1 })).toEqual({
			version: 1,
			lessons: { a: { step: 1, done: false, updatedAt: 't', measurements: [] } },
		});
		expect(
			progressFileOf({ version: 1, lessons: { a: { ...ok, measurements: [{ ...m, why: 1 }] } } }),
		).toEqual({
			version: 1,
			lessons: { a: { step: 1, done: false, updatedAt: 't', measurements: [m] } },
		});
		for (const wrong of [
			{ ...ok, step: -1 },
			{ ...ok, step: 1.5 },
			{ ...ok, done: 'no' },
			{ ...ok, completedAt: 3 },
			{ ...ok, measurements: [{ name: 'x' }] },
			{ ...ok, measurements: [{ ...m, value: '5' }] },
			{ ...ok, skipped: [0, -2] },
			{ ...ok, skipped: 1 },
			[],
		]) {
			expect(progressFileOf({ version: 1, lessons: { a: ok, b: wrong } })).toBeNull();
		}
		expect(progressFileOf({ version: 1, lessons: [] })).toBeNull();
		expect(progressFileOf(null)).toBeNull();
	});

	it('skips a "__proto__" lesson key: the lessons object keeps its plain prototype', () => {
		const text =
			'{"version":1,"lessons":{"__proto__":{"step":3,"done":true,"updatedAt":"t"},"a":{"step":1,"done":false,"updatedAt":"t"}}}';
		const lessons = progressFileOf(JSON.parse(text))?.lessons;
		if (!lessons) throw new Error('the file with a "__proto__" key was refused whole');
		expect(Object.getPrototypeOf(lessons)).toBe(Object.prototype);
		expect(Object.keys(lessons)).toEqual(['a']);
		expect((lessons as Record<string, unknown>).step).toBeUndefined();
	});
});
