// The shipped course is kept parsed in natslab's cache (course.ts, issue #12): a second load
// reads it back equal to a fresh parse, and a changed lesson file is parsed and checked again.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courseDir, lessonFiles, loadCourse, loadLessons } from '../../../src/lessons/course.js';

const root = mkdtempSync(join(tmpdir(), 'natslab-course-cache-'));
const lessons = join(root, 'lessons');
const home = process.env.NATSLAB_HOME;
beforeAll(() => {
	process.env.NATSLAB_HOME = join(root, 'home');
	cpSync(courseDir(), lessons, { recursive: true });
});
afterAll(() => {
	if (home === undefined) delete process.env.NATSLAB_HOME;
	else process.env.NATSLAB_HOME = home;
	rmSync(root, { recursive: true, force: true });
});

const cacheFile = () => join(root, 'home', 'cache', 'course.json');
const plain = (x: unknown) => JSON.parse(JSON.stringify(x));

describe('loadCourse', () => {
	it('keeps the parsed course and reads it back equal to a fresh parse', async () => {
		const first = await loadCourse(lessons);
		expect(existsSync(cacheFile())).toBe(true);
		const again = await loadCourse(lessons);
		const fresh = await loadLessons(await lessonFiles(lessons));
		expect(plain(again)).toEqual(plain(fresh.lessons));
		expect(plain(again)).toEqual(plain(first));
		expect(again.length).toBeGreaterThan(5);
	});

	it('parses a changed lesson file again (a broken one fails as before)', async () => {
		await loadCourse(lessons);
		const [file] = await lessonFiles(lessons);
		if (!file) throw new Error('no lesson file');
		const text = readFileSync(file, 'utf8');
		writeFileSync(file, text.replace(/^title: .*$/m, 'title: A title changed after the cache'));
		expect((await loadCourse(lessons))[0]?.title).toBe('A title changed after the cache');
		writeFileSync(file, text.replace(/^id: .*$/m, 'id: 7'));
		await expect(loadCourse(lessons)).rejects.toThrow(/lesson file problem/);
		writeFileSync(file, text);
	});
});
