// Back from a finished lesson the picker's cursor is on the next lesson to do,
// and with every lesson done the course is complete (said at the top).

import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLesson } from '../../../src/lessons/load.js';
import type { LessonProgress } from '../../../src/lessons/progress.js';
import { LessonPicker, startIndex } from '../../../src/ui/lesson/LessonPicker.js';
import { ThemeProvider } from '../../../src/ui/theme.js';

afterEach(() => cleanup());

const lesson = (order: number, id: string) => {
	const r = parseLesson(
		`---\nid: ${id}\ntitle: Lesson ${id}\norder: ${order}\nsummary: About ${id}.\n---\n\n## One\n\nprose\n`,
		`${id}.md`,
	);
	if (!r.lesson) throw new Error(JSON.stringify(r.problems));
	return r.lesson;
};
const LESSONS = [lesson(1, 'one'), lesson(2, 'two'), lesson(3, 'three')];
const done: LessonProgress = { step: 0, done: true, updatedAt: '', measurements: [] };

function picker(progress: Record<string, LessonProgress>, initialId?: string) {
	return render(
		<ThemeProvider color={false}>
			<LessonPicker
				lessons={LESSONS}
				progress={progress}
				initialId={initialId}
				width={100}
				onChoice={() => {}}
			/>
		</ThemeProvider>,
	);
}

describe('picker after a lesson', () => {
	it('moves the cursor from the finished lesson to the next unfinished one', () => {
		expect(startIndex(LESSONS, { one: done }, 'one')).toBe(1);
		// Wraps around to an earlier lesson left undone.
		expect(startIndex(LESSONS, { two: done, three: done }, 'three')).toBe(0);
		// A lesson left half way keeps the cursor.
		expect(startIndex(LESSONS, { one: { ...done, step: 1, done: false } }, 'one')).toBe(0);
		const frame = picker({ one: done }, 'one').lastFrame() ?? '';
		expect(frame.split('\n').find((l) => l.startsWith('›'))).toContain('Lesson two');
	});

	it('says the course is complete when every lesson is done', () => {
		const some = picker({ one: done, two: done }, 'two').lastFrame() ?? '';
		expect(some).not.toContain('course complete');
		cleanup();
		const all = picker({ one: done, two: done, three: done }, 'three').lastFrame() ?? '';
		expect(all).toContain('★ course complete: all 3 lessons done');
		expect(all).toContain('3/3 done');
	});
});
