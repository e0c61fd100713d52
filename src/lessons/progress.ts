// Lesson progress, saved as JSON in the state folder: which step each lesson
// reached, whether it was finished, and what the learner's cluster measured.
// Written atomically (temp file + rename) so a crash never leaves half a file.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { natslabPaths } from '../base/paths.js';

export interface Measurement {
	name: string;
	label: string;
	text: string;
	value?: number;
	node?: string;
}

export interface LessonProgress {
	/** Index of the next step to do. */
	step: number;
	done: boolean;
	updatedAt: string;
	completedAt?: string;
	measurements: Measurement[];
	/** Steps (0-based) the learner skipped past after their wait failed, in the latest run. */
	skipped?: number[];
}

export interface ProgressFile {
	version: 1;
	lessons: Record<string, LessonProgress>;
}

// The file is checked by hand, not with zod: zod is the largest module natslab loads, and the
// picker reads this file before its first frame (issue #12: ~0.2 s of the picker's start).
// The rules are those of the zod schema it replaces: one entry wrong makes the whole file no
// progress, unknown keys are dropped, a missing measurements list is an empty one.
type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStep = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const optional = <T>(v: unknown, is: (x: unknown) => x is T): v is T | undefined => v === undefined || is(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function measurementOf(v: unknown): Measurement | null {
	if (!isObject(v) || !isString(v.name) || !isString(v.label) || !isString(v.text)) return null;
	if (!optional(v.value, isNumber) || !optional(v.node, isString)) return null;
	return {
		name: v.name,
		label: v.label,
		text: v.text,
		...(v.value !== undefined ? { value: v.value } : {}),
		...(v.node !== undefined ? { node: v.node } : {}),
	};
}

function lessonProgressOf(v: unknown): LessonProgress | null {
	if (!isObject(v) || !isStep(v.step) || typeof v.done !== 'boolean' || !isString(v.updatedAt)) return null;
	if (!optional(v.completedAt, isString)) return null;
	const rawMeasurements = v.measurements ?? [];
	if (!Array.isArray(rawMeasurements)) return null;
	const measurements = rawMeasurements.map(measurementOf);
	if (measurements.some((m) => m === null)) return null;
	if (v.skipped !== undefined && !(Array.isArray(v.skipped) && v.skipped.every(isStep))) return null;
	return {
		step: v.step,
		done: v.done,
		updatedAt: v.updatedAt,
		...(v.completedAt !== undefined ? { completedAt: v.completedAt } : {}),
		measurements: measurements as Measurement[],
		...(v.skipped !== undefined ? { skipped: v.skipped as number[] } : {}),
	};
}

/** The file's content when it is a progress file (version 1), else null. */
export function progressFileOf(v: unknown): ProgressFile | null {
	if (!isObject(v) || v.version !== 1 || !isObject(v.lessons)) return null;
	const lessons: Record<string, LessonProgress> = {};
	for (const [id, entry] of Object.entries(v.lessons)) {
		// JSON.parse makes "__proto__" an own key; assigned here it would set the object's prototype.
		if (id === '__proto__') continue;
		const progress = lessonProgressOf(entry);
		if (!progress) return null;
		lessons[id] = progress;
	}
	return { version: 1, lessons };
}

export function progressPath(env: NodeJS.ProcessEnv = process.env): string {
	return join(natslabPaths(env).state, 'lessons', 'progress.json');
}

/** The saved progress; an unreadable or foreign file counts as no progress (never an error). */
export async function readProgress(env: NodeJS.ProcessEnv = process.env): Promise<ProgressFile> {
	try {
		const parsed = progressFileOf(JSON.parse(await readFile(progressPath(env), 'utf8')));
		if (parsed) return parsed;
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
