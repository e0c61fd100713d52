// The course: every lesson file shipped in `lessons/`, in order. The shipped
// course, once parsed and found valid, is kept as JSON in natslab's cache, keyed
// by every lesson file's size and mtime and by the parser's own files: the
// picker then shows without loading YAML and the lesson schema or parsing nine
// files (issue #12). Anything changed, and it is parsed and checked again.

import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../base/errors.js';
import { natslabPaths } from '../base/paths.js';
import type { Lesson } from './load.js';
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
	const { loadLessonFile } = await import('./load.js');
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
	const files = await lessonFiles(dir);
	const key = await cacheKey(files);
	const cached = key ? await readCached(key) : null;
	if (cached) return cached;
	const { lessons, problems } = await loadLessons(files);
	const first = problems[0];
	if (first) {
		throw new UserError(
			`lesson file problem: ${first.file}:${first.line}: ${first.message} (run natslab lessons validate)`,
		);
	}
	if (key) await writeCached(key, lessons);
	return lessons;
}

/** The parser: a change to any of these makes the cached course stale. */
const PARSER_FILES = ['load', 'schema', 'markdown', 'yaml-lines', 'template', 'course'];
const cacheFile = () => join(natslabPaths().cache, 'course.json');

/** Sizes and mtimes of the lesson files and the parser's files; null when one cannot be read. */
async function cacheKey(files: string[]): Promise<string | null> {
	const self = fileURLToPath(import.meta.url);
	// .js in dist/, .ts when run from source (tests, npm run dev). In the bundle (dist/app/,
	// scripts/build.mjs) they are not files of their own: this file stands for them, as
	// every build writes it anew.
	const beside = PARSER_FILES.map((f) => join(dirname(self), `${f}${extname(self)}`));
	const parser = existsSync(beside[0] ?? '') ? beside : [self];
	try {
		const stats = await Promise.all([...files, ...parser].map((f) => stat(f)));
		return JSON.stringify(stats.map((st, i) => [[...files, ...parser][i], st.size, st.mtimeMs]));
	} catch {
		return null;
	}
}

async function readCached(key: string): Promise<Lesson[] | null> {
	try {
		const cached = JSON.parse(await readFile(cacheFile(), 'utf8')) as { key?: string; lessons?: Lesson[] };
		return cached.key === key && Array.isArray(cached.lessons) ? cached.lessons : null;
	} catch {
		return null;
	}
}

async function writeCached(key: string, lessons: Lesson[]): Promise<void> {
	const file = cacheFile();
	const tmp = `${file}.${process.pid}.tmp`;
	try {
		await mkdir(dirname(file), { recursive: true });
		await writeFile(tmp, JSON.stringify({ key, lessons }));
		await rename(tmp, file);
	} catch {
		// No cache (read-only home): the next start parses again, nothing worse.
	}
}

export function findLesson(lessons: Lesson[], id: string): Lesson {
	const found = lessons.find((l) => l.id === id) ?? lessons.find((l) => String(l.order) === id);
	if (!found) throw new UserError(`no lesson "${id}" (natslab lessons list shows them)`);
	return found;
}
