// The end of a lesson: its result (for --auto, progress and the recorder) and
// the recap the panel shows (everything measured, and which steps were skipped).

import type { Lesson } from './load.js';
import type { Measurement } from './measures.js';
import type { LessonResult, StepResult } from './results.js';
import type { LessonView } from './view.js';

export function lessonResult(
	lesson: Lesson,
	ms: number,
	steps: StepResult[],
	recorded: Measurement[],
	status: LessonResult['status'],
	failure?: string,
): LessonResult {
	return {
		id: lesson.id,
		title: lesson.title,
		status,
		ms,
		steps,
		measurements: [...recorded],
		...(failure ? { failure } : {}),
		...(steps.at(-1)?.diagnoses ? { diagnoses: steps.at(-1)?.diagnoses } : {}),
	};
}

/** The panel once every step ran: the recap, and a skipped step is named (it is not done). */
export function recapView(lesson: Lesson, steps: StepResult[], recorded: Measurement[]): Partial<LessonView> {
	const skippedSteps = steps.filter((x) => x.status === 'skipped').map((x) => x.index + 1);
	return {
		phase: 'finished',
		stepTitle: `Recap: ${lesson.title}`,
		prose: '',
		waits: [],
		check: null,
		prompt: null,
		hint: null,
		message:
			skippedSteps.length > 0
				? `skipped step ${skippedSteps.join(', ')}: not marked done; it resumes at step ${skippedSteps[0]}`
				: null,
		measurements: [],
		recap: [...recorded],
	};
}
