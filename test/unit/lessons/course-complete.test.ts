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

	it('ends an --auto run that included the last lesson, and no other', () => {
		expect(courseCompleteLine([{ order: 9 }], 9)).toMatch(
			/^★ Course complete: .* What next: `natslab rehearse/,
		);
		expect(courseCompleteLine([{ order: 1 }, { order: 9 }], 9)).not.toBeNull();
		expect(courseCompleteLine([{ order: 8 }], 9)).toBeNull();
	});
});
