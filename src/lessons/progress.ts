// Lesson progress, saved as JSON in the state folder: which step each lesson
// reached, whether it was finished, and what the learner's cluster measured.
// Written atomically (temp file + rename) so a crash never leaves half a file.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { natslabPaths } from '../base/paths.js';

const MeasurementSchema = z.object({
	name: z.string(),
	label: z.string(),
	text: z.string(),
	value: z.number().optional(),
	node: z.string().optional(),
});

const LessonProgressSchema = z.object({
	/** Index of the next step to do. */
	step: z.number().int().min(0),
	done: z.boolean(),
	updatedAt: z.string(),
	completedAt: z.string().optional(),
	measurements: z.array(MeasurementSchema).default([]),
	/** Steps (0-based) the learner skipped past after their wait failed, in the latest run. */
	skipped: z.array(z.number().int().min(0)).optional(),
});
export type LessonProgress = z.infer<typeof LessonProgressSchema>;

const ProgressFileSchema = z.object({
	version: z.literal(1),
	lessons: z.record(z.string(), LessonProgressSchema),
});
export type ProgressFile = z.infer<typeof ProgressFileSchema>;

export function progressPath(env: NodeJS.ProcessEnv = process.env): string {
	return join(natslabPaths(env).state, 'lessons', 'progress.json');
}

/** The saved progress; an unreadable or foreign file counts as no progress (never an error). */
export async function readProgress(env: NodeJS.ProcessEnv = process.env): Promise<ProgressFile> {
	try {
		const parsed = ProgressFileSchema.safeParse(JSON.parse(await readFile(progressPath(env), 'utf8')));
		if (parsed.success) return parsed.data;
	} catch {
		// missing or not JSON
	}
	return { version: 1, lessons: {} };
}

async function writeProgress(file: ProgressFile, env: NodeJS.ProcessEnv): Promise<void> {
	const path = progressPath(env);
	await mkdir(dirname(path), { recursive: true });
	const tmp = `${path}.${process.pid}.tmp`;
	await writeFile(tmp, `${JSON.stringify(file, null, 2)}\n`);
	await rename(tmp, path);
}

let queue: Promise<unknown> = Promise.resolve();
/** Read-modify-write, one at a time (steps can finish close together). */
function change(env: NodeJS.ProcessEnv, fn: (f: ProgressFile) => void): Promise<void> {
	const run = queue.then(async () => {
		const file = await readProgress(env);
		fn(file);
		await writeProgress(file, env);
	});
	queue = run.catch(() => {});
	return run;
}

/**
 * After a step: `nextStep` is the step to do next, `skipped` the steps of this run whose wait failed
 * and that the learner skipped past. A lesson counts as done only when it reached its end with no
 * step skipped; otherwise it resumes at the first skipped step (the steps before it are replayed).
 */
export function saveStep(
	env: NodeJS.ProcessEnv,
	id: string,
	nextStep: number,
	stepCount: number,
	measurements: LessonProgress['measurements'],
	now = new Date(),
	skipped: readonly number[] = [],
): Promise<void> {
	return change(env, (f) => {
		const owed = [...new Set(skipped)].sort((a, b) => a - b);
		const complete = nextStep >= stepCount && owed.length === 0;
		const before = f.lessons[id];
		const stamp = now.toISOString();
		const completedAt = complete ? stamp : before?.completedAt;
		f.lessons[id] = {
			step: complete ? 0 : Math.min(nextStep, owed[0] ?? nextStep),
			done: complete || before?.done === true,
			updatedAt: stamp,
			...(completedAt ? { completedAt } : {}),
			measurements,
			...(owed.length > 0 ? { skipped: owed } : {}),
		};
	});
}

export function resetLesson(env: NodeJS.ProcessEnv, id: string): Promise<void> {
	return change(env, (f) => {
		delete f.lessons[id];
	});
}

/** "done", "step 3/6", "step 3/6 (skipped step 3)", or "new". */
export function progressLabel(p: LessonProgress | undefined, stepCount: number): string {
	if (!p) return 'new';
	const skipped = p.skipped?.length ? ` (skipped step ${p.skipped.map((i) => i + 1).join(', ')})` : '';
	if (p.step > 0 || skipped)
		return `step ${p.step + 1}/${stepCount}${skipped}${p.done ? ' (done before)' : ''}`;
	return p.done ? 'done' : 'new';
}
