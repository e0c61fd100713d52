// learn --all --auto --jobs N without servers: lanes take lessons in course order,
// each on its own workspace and port block, as many at a time as asked; the lines
// and the report come out in course order whatever ends first; after a failure no
// further lesson starts. The lab factory never starts a server (lesson N runs on
// its own version 2.15.N, which "cannot be had", so it is skipped); the same lanes on
// real servers: test/integration/learn-jobs.test.ts.

import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/base/errors.js';
import { BLOCK_STEP } from '../../../src/cluster/ports.js';
import { runCommand } from '../../../src/commands/main.js';
import type { CreateLabOptions } from '../../../src/lab/lab.js';
import { VersionUnavailable } from '../../../src/lab/version-unavailable.js';
import { type AutoOptions, runAuto } from '../../../src/lessons/auto.js';
import { type Lesson, parseLesson } from '../../../src/lessons/load.js';
import { io } from './command-io.js';

function lesson(order: number): Lesson {
	const text = `---
id: lesson-${order}
title: Lesson ${order}
order: ${order}
summary: A lesson used by the tests.
versions: { min: "2.12.0", fallback: "2.15.${order}" }
---

Intro.

## Wait

wait:
  - { for: no-meta-leader, steady: 1s, timeout: 5s }
`;
	const parsed = parseLesson(text, `${order}.md`).lesson;
	if (!parsed) throw new Error('test lesson did not parse');
	return parsed;
}

const lessons = [1, 2, 3, 4, 5].map(lesson);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A factory that records what each lesson asked for and how many ran at once; lesson N takes `ms(N)`. */
function labs(ms: (order: number) => number, fail?: number) {
	const asked: { order: number; workspace?: string; basePort?: number }[] = [];
	let running = 0;
	let most = 0;
	const createLab = async (opts: CreateLabOptions) => {
		// Lesson N runs on its own 2.15.N: the version tells the lessons apart.
		const order = Number(opts.version.split('.')[2]);
		asked.push({ order, workspace: opts.workspace, basePort: opts.basePort });
		running += 1;
		most = Math.max(most, running);
		await sleep(ms(order));
		running -= 1;
		if (order === fail) throw new Error('boom');
		throw new VersionUnavailable(opts.version, new UserError(`nats-server ${opts.version} is not available`));
	};
	return { asked, createLab, most: () => most };
}

/** runAuto on the 2.10.27 course from base port 20000, with what a test sets on top. */
function autoRun(createLab: AutoOptions['createLab'], more: Partial<AutoOptions> = {}) {
	return runAuto({
		lessons,
		total: lessons.length,
		choice: { version: '2.10.27' },
		basePort: 20_000,
		env: io().env,
		createLab,
		...more,
	});
}

describe('runAuto with lanes', () => {
	it('three lanes: three at a time, own workspaces and blocks, lines and report in course order', async () => {
		// Later lessons end first: 1 takes longest.
		const f = labs((order) => 60 - order * 10);
		const lines: string[] = [];
		const saved: string[] = [];
		const shown: string[] = [];
		const report = await autoRun(f.createLab, {
			jobs: 3,
			print: (l) => lines.push(l),
			onLesson: (l) => {
				saved.push(l.id);
			},
			onLessonShown: (l) => {
				shown.push(l.id);
			},
		});
		expect(f.most()).toBe(3);
		expect(new Set(f.asked.map((a) => `${a.workspace}@${a.basePort}`))).toEqual(
			new Set(['lessons@20000', `lessons-2@${20_000 + BLOCK_STEP}`, `lessons-3@${20_000 + 2 * BLOCK_STEP}`]),
		);
		expect(report.jobs).toBe(3);
		expect(report.ok).toBe(true);
		expect(report.lessons.map((l) => `${l.id}:${l.status}`)).toEqual(lessons.map((l) => `${l.id}:skipped`));
		expect(report.lessons.every((l) => l.lane !== undefined && l.lane >= 1 && l.lane <= 3)).toBe(true);
		// Progress is saved as each lesson ends (lesson 3 before lesson 1: a Ctrl-C then loses nothing);
		// what is shown comes in course order.
		expect(saved.indexOf('lesson-3')).toBeLessThan(saved.indexOf('lesson-1'));
		expect([...saved].sort()).toEqual(lessons.map((l) => l.id));
		expect(shown).toEqual(lessons.map((l) => l.id));
		// Each lesson's lines together, in course order: its heading, then its skip line.
		const headings = lines.filter((l) => l.startsWith('['));
		expect(headings.map((l) => l.slice(0, 5))).toEqual(['[1/5]', '[2/5]', '[3/5]', '[4/5]', '[5/5]']);
		for (const [i, l] of lessons.entries()) {
			const at = lines.indexOf(headings[i] as string);
			expect(lines.slice(at + 1, at + 3)).toEqual([
				expect.stringMatching(`runs on its own nats-server 2.15.${l.order}`),
				expect.stringMatching(new RegExp(`^ {2}– skipped: ${l.id}: needs nats-server 2\\.15\\.${l.order}`)),
			]);
		}
	});

	it('after a failure no further lesson starts; the ones already running end and are reported', async () => {
		// Lesson 2 fails fast (twice: its one retry) while lesson 1 still runs.
		const f = labs((order) => (order === 2 ? 5 : 60), 2);
		const report = await autoRun(f.createLab, { jobs: 2 });
		expect(report.ok).toBe(false);
		expect(report.failure).toBe('lesson-2: could not start the cluster: boom');
		// Lesson 1 ended and is reported; no lane took lesson 3 after lesson 2 failed.
		expect(report.lessons.map((l) => `${l.id}:${l.status}`)).toEqual(['lesson-1:skipped', 'lesson-2:failed']);
		expect(f.asked.map((a) => a.order)).toEqual([1, 2, 2]);
	});

	it('an error no report holds (a recording that cannot be opened) stops the other lanes too, then is thrown', async () => {
		const f = labs(() => 30);
		const run = autoRun(f.createLab, {
			jobs: 2,
			record: async (l) => {
				if (l.order === 2) throw new Error('recording folder is read-only');
				return {
					labEvent: () => {},
					attachLab: () => {},
					attachLesson: () => {},
					lessonEvent: () => {},
					lessonResult: () => {},
					close: async () => {},
				};
			},
		});
		await expect(run).rejects.toThrow('recording folder is read-only');
		// Lesson 1 ran to its end beside it; no lane took lesson 3.
		expect(f.asked.map((a) => a.order)).toEqual([1]);
	});

	it('one lane is the course as before: the lessons workspace and the base port as given', async () => {
		const f = labs(() => 1);
		const report = await autoRun(f.createLab, { lessons: lessons.slice(0, 2), total: 2 });
		expect(f.most()).toBe(1);
		expect(f.asked.map((a) => `${a.workspace}@${a.basePort}`)).toEqual(['lessons@20000', 'lessons@20000']);
		expect(report.jobs).toBeUndefined();
		expect(report.lessons.map((l) => l.lane)).toEqual([undefined, undefined]);
	});
});

describe('learn --jobs', () => {
	it.each([
		[['--all', '--auto', '--jobs', '0'], '--jobs needs a whole number from 1 to 4, not "0"'],
		[['--all', '--auto', '--jobs', 'x'], '--jobs needs a whole number from 1 to 4, not "x"'],
		[['meet-the-cluster', '--auto', '--jobs', '2'], '--jobs runs lessons of the course side by side'],
	])('refuses %j as a usage error', async (args, message) => {
		const t = io();
		const code = await runCommand(['learn', ...args], t.io);
		expect(code).toBe(2);
		expect(t.out.stderr).toContain(message);
		expect(t.out.stderr.trim().split('\n')).toHaveLength(1);
	});
});
