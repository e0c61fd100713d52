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

export function saveStep(
	env: NodeJS.ProcessEnv,
	id: string,
	nextStep: number,
	stepCount: number,
	measurements: LessonProgress['measurements'],
	now = new Date(),
): Promise<void> {
	return change(env, (f) => {
		const done = nextStep >= stepCount || f.lessons[id]?.done === true;
		const stamp = now.toISOString();
		f.lessons[id] = {
			step: nextStep >= stepCount ? 0 : nextStep,
			done,
			updatedAt: stamp,
			...(nextStep >= stepCount
				? { completedAt: stamp }
				: f.lessons[id]?.completedAt
					? { completedAt: f.lessons[id]?.completedAt }
					: {}),
			measurements,
		};
	});
}

export function resetLesson(env: NodeJS.ProcessEnv, id: string): Promise<void> {
	return change(env, (f) => {
		delete f.lessons[id];
	});
}

/** "done", "step 3/6", or "new". */
export function progressLabel(p: LessonProgress | undefined, stepCount: number): string {
	if (!p) return 'new';
	if (p.step > 0) return `step ${p.step + 1}/${stepCount}${p.done ? ' (done before)' : ''}`;
	return p.done ? 'done' : 'new';
}
