// The course: every lesson file shipped in `lessons/`, in order.

import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../base/errors.js';
import { type Lesson, loadLessonFile } from './load.js';
import type { Problem } from './yaml-lines.js';

/** `lessons/` at the package root: ../../lessons from both src/lessons and dist/lessons. */
export function courseDir(env: NodeJS.ProcessEnv = process.env): string {
	return (
		env.NATSLAB_LESSONS_DIR ?? resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'lessons')
	);
}

export async function lessonFiles(dir = courseDir()): Promise<string[]> {
	let names: string[];
	try {
		names = await readdir(dir);
	} catch {
		throw new UserError(`lesson folder not found: ${dir}`);
	}
	return names
		.filter((n) => n.endsWith('.md') && !n.startsWith('_') && n.toLowerCase() !== 'readme.md')
		.sort()
		.map((n) => join(dir, n));
}

export interface CourseLoad {
	lessons: Lesson[];
	problems: Problem[];
}

/** Loads files and adds course-level problems (the same id or order twice). */
export async function loadLessons(files: string[]): Promise<CourseLoad> {
	const results = await Promise.all(files.map((f) => loadLessonFile(f)));
	const lessons: Lesson[] = [];
	const problems: Problem[] = [];
	for (const r of results) {
		if (r.lesson) lessons.push(r.lesson);
		else problems.push(...r.problems);
	}
	const byId = new Map<string, Lesson>();
	const byOrder = new Map<number, Lesson>();
	for (const l of lessons) {
		const sameId = byId.get(l.id);
		if (sameId)
			problems.push({ file: l.file, line: l.lines.id, message: `id ${l.id} is also used by ${sameId.file}` });
		else byId.set(l.id, l);
		const sameOrder = byOrder.get(l.order);
		if (sameOrder)
			problems.push({
				file: l.file,
				line: l.lines.order,
				message: `order ${l.order} is also used by ${sameOrder.file}`,
			});
		else byOrder.set(l.order, l);
	}
	lessons.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
	return { lessons, problems };
}

/** The shipped course; a broken lesson file is a bug in natslab, reported as one line. */
export async function loadCourse(dir = courseDir()): Promise<Lesson[]> {
	const { lessons, problems } = await loadLessons(await lessonFiles(dir));
	const first = problems[0];
	if (first) {
		throw new UserError(
			`lesson file problem: ${first.file}:${first.line}: ${first.message} (run natslab lessons validate)`,
		);
	}
	return lessons;
}

export function findLesson(lessons: Lesson[], id: string): Lesson {
	const found = lessons.find((l) => l.id === id) ?? lessons.find((l) => String(l.order) === id);
	if (!found) throw new UserError(`no lesson "${id}" (natslab lessons list shows them)`);
	return found;
}
