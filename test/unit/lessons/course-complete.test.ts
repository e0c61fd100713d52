// The course's end is said once the last lesson is done: on its recap (see
// test/unit/ui/long-log-line.test.tsx) and as `learn --auto`'s last line.

import { describe, expect, it } from 'vitest';
import { loadCourse } from '../../../src/lessons/course.js';
import { courseCompleteLine, isLastLesson } from '../../../src/lessons/view.js';

describe('course complete', () => {
	it('belongs to the shipped course’s last lesson only', async () => {
		const lessons = await loadCourse();
		const total = lessons.length;
		const last = lessons.filter((l) => isLastLesson({ order: l.order, total }));
		expect(last.map((l) => l.id)).toEqual([lessons.at(-1)?.id]);
	});

	it('ends an --auto run whose last lesson passed, and no other', () => {
		const first = { id: 'first', order: 1 };
		const last = { id: 'last', order: 9 };
		const done = (id: string) => ({ id, status: 'done' });
		expect(courseCompleteLine([last], [done('last')], 9)).toMatch(
			/^★ Course complete: .* What next: `natslab rehearse/,
		);
		expect(courseCompleteLine([first, last], [done('first'), done('last')], 9)).not.toBeNull();
		expect(courseCompleteLine([{ id: 'eighth', order: 8 }], [done('eighth')], 9)).toBeNull();
	});

	it('is not said when the last lesson was skipped (its own version cannot be had)', () => {
		const ran = [
			{ id: 'first', order: 1 },
			{ id: 'last', order: 9 },
		];
		const results = [
			{ id: 'first', status: 'done' },
			{ id: 'last', status: 'skipped' },
		];
		expect(courseCompleteLine(ran, results, 9)).toBeNull();
	});
});
