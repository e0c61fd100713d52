// Lesson 12's machinery without servers: a lab that starts part of its nodes
// (front matter `start`), a lesson on its own version (`versions.fallback`), the
// readiness rule without a meta leader, and `learn --auto` skipping a lesson whose
// own version cannot be had (said why, the course going on). The lesson against
// real servers is in test/integration/lessons-auto.test.ts.

import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/base/errors.js';
import { runCommand } from '../../../src/commands/main.js';
import { startedNodes } from '../../../src/lab/lab.js';
import { VersionUnavailable } from '../../../src/lab/version-unavailable.js';
import { type AutoOptions, runAuto } from '../../../src/lessons/auto.js';
import { courseLine, lessonLine } from '../../../src/lessons/auto-quiet.js';
import { findLesson, loadCourse } from '../../../src/lessons/course.js';
import { type Lesson, parseLesson } from '../../../src/lessons/load.js';
import { labOptionsFor, labVersionsFor, ownVersionNote } from '../../../src/lessons/run-lab.js';
import { readySpecs } from '../../../src/lessons/wait.js';
import { initialLabState } from '../../../src/observe/reducer.js';
import { processLook } from '../../../src/ui/format.js';
import { io } from './command-io.js';

const lessonText = (front: string) => `---
id: sample
title: A sample
order: 1
summary: A lesson used by the tests.
${front}
---

Intro.

## Wait

wait:
  - { for: no-meta-leader, steady: 1s, timeout: 5s }
record:
  - { name: quiet, measure: duration }
`;

const problems = (front: string) =>
	parseLesson(lessonText(front), 'x.md').problems.map((p) => `${p.line}: ${p.message}`);

describe('front matter: start and versions.fallback', () => {
	it('start names the nodes the lab starts with; without it, every node', () => {
		expect(parseLesson(lessonText('start: [n1, n2]'), 'x.md').lesson?.start).toEqual(['n1', 'n2']);
		expect(parseLesson(lessonText(''), 'x.md').lesson?.start).toBeUndefined();
	});

	it('start refuses an unknown node, a node twice and an empty list, each with its line', () => {
		expect(problems('start: [n1, n4]')).toEqual([
			'6: start.1: start lists nodes of the lesson cluster: n1, n2, n3',
		]);
		expect(problems('start: [n1, n1]')).toEqual(['6: start: start names a node twice']);
		expect(problems('start: []')).toEqual(['6: start: start needs at least one node']);
	});

	it('a fallback outside min..max could never run the lesson: a problem on its line', () => {
		expect(problems('versions: { min: "2.12.0", fallback: "2.10.27" }')).toEqual([
			'6: versions.fallback (2.10.27) is older than versions.min (2.12.0)',
		]);
		expect(problems('versions: { min: "2.12.0", fallback: "2.15.1" }')).toEqual([]);
	});
});

describe('a lesson on its own version', () => {
	const lesson = parseLesson(
		lessonText('versions: { min: "2.12.0", fallback: "2.15.1" }\nstart: [n1, n2]'),
		'x.md',
	).lesson;
	if (!lesson) throw new Error('sample lesson did not parse');

	it('runs on its fallback when the course version is too old, and says it is its own', () => {
		expect(labVersionsFor(lesson, {})).toEqual({ version: '2.15.1', upgradeTo: null, ownVersion: true });
		expect(labVersionsFor(lesson, { version: '2.10.27' })).toEqual({
			version: '2.15.1',
			upgradeTo: null,
			ownVersion: true,
			asked: '2.10.27',
		});
		// A course version the lesson accepts is used as it is: not the lesson's own.
		expect(labVersionsFor(lesson, { version: '2.14.0' })).toEqual({ version: '2.14.0', upgradeTo: null });
	});

	it('an explicit --version it cannot use is not replaced silently: one line says so', () => {
		expect(ownVersionNote(lesson, { version: '2.10.27' })).toBe(
			'sample runs on its own nats-server 2.15.1 (asked 2.10.27: it needs another)',
		);
		// The course default (no --version) is not an ask; a version it accepts needs no word.
		expect(ownVersionNote(lesson, {})).toBeNull();
		expect(ownVersionNote(lesson, { version: '2.14.0' })).toBeNull();
	});

	it('hands the lab the nodes to start with', () => {
		expect(labOptionsFor(lesson, { version: '2.10.27' }, 26200)).toMatchObject({
			version: '2.15.1',
			start: ['n1', 'n2'],
			ownVersion: true,
		});
	});

	it('the shipped lesson 12 starts n1 and n2 on 2.12+ (2.15.1 while the course runs 2.10.27)', async () => {
		const twelve = findLesson(await loadCourse(), '12');
		expect(twelve.id).toBe('missing-node');
		expect(twelve.start).toEqual(['n1', 'n2']);
		expect(labVersionsFor(twelve, { version: '2.10.27' }).version).toBe('2.15.1');
	});
});

describe('a lab started with part of its nodes', () => {
	it('starts the asked nodes in the cluster order; an unknown node is a one-line error', () => {
		expect(startedNodes(['n1', 'n2', 'n3'], undefined)).toEqual(['n1', 'n2', 'n3']);
		expect(startedNodes(['n1', 'n2', 'n3'], ['n2', 'n1'])).toEqual(['n1', 'n2']);
		expect(() => startedNodes(['n1', 'n2', 'n3'], ['n5'])).toThrow(
			'cannot start n5: the cluster has n1, n2, n3',
		);
	});

	it('is ready before step 1 without a meta leader; a whole lab still waits for one', () => {
		const partial = readySpecs([{ kind: 'core' }], 60_000, { metaLeader: false }).map((s) => s.for);
		expect(partial).toEqual(['full-mesh', 'clients-connected']);
		expect(readySpecs([{ kind: 'core' }], 60_000).map((s) => s.for)).toEqual([
			'meta-leader',
			'full-mesh',
			'clients-connected',
		]);
	});

	it('shows a node that never started as not started, not as exited', () => {
		const n3 = initialLabState({ nodes: ['n1', 'n2', 'n3'] }).cluster.nodes.n3;
		if (!n3) throw new Error('no n3');
		expect(processLook(n3)).toMatchObject({ label: 'not started', symbol: '○' });
		const exited = { ...n3, process: 'exited' as const, exit: { code: 1, signal: null, at: 1 } };
		expect(processLook(exited).label).toBe('exited code 1');
	});
});

const unavailable = (version: string) =>
	new VersionUnavailable(version, new UserError(`nats-server ${version} is not available: no source had it`));

/** runAuto on the 2.10.27 course, quietly, with a lab factory that never starts servers. */
async function autoRun(lessons: Lesson[], createLab: AutoOptions['createLab']) {
	return runAuto({ lessons, total: 12, choice: { version: '2.10.27' }, env: io().env, createLab });
}

describe('learn --auto when a lesson’s own version cannot be had', () => {
	it('skips that lesson with the reason on its line and goes on with the course', async () => {
		const course = await loadCourse();
		const lessons = [findLesson(course, 'missing-node'), findLesson(course, 'meet-the-cluster')];
		const lines: string[] = [];
		const asked: string[] = [];
		const report = await runAuto({
			lessons,
			total: course.length,
			choice: { version: '2.10.27' },
			env: io().env,
			print: (l) => lines.push(l),
			createLab: async (opts) => {
				asked.push(opts.version);
				if (opts.version === '2.15.1') throw unavailable('2.15.1');
				throw new Error('boom');
			},
		});
		// No second try for a binary no source had; the next lesson still ran (and failed on its own).
		expect(asked).toEqual(['2.15.1', '2.10.27', '2.10.27']);
		expect(report.lessons.map((l) => l.status)).toEqual(['skipped', 'failed']);
		expect(lines).toContain(
			'  – skipped: missing-node: needs nats-server 2.15.1, which cannot be had here: nats-server 2.15.1 is not available: no source had it',
		);
		expect(report.failure).toBe('meet-the-cluster: could not start the cluster: boom');
		// --version 2.10.27 was asked: the lesson that runs on its own version says so, once.
		expect(lines.filter((l) => l.includes('runs on its own'))).toEqual([
			'missing-node runs on its own nats-server 2.15.1 (asked 2.10.27: it needs another)',
		]);
	});

	it('a skipped lesson does not fail the course; the quiet lines say it was skipped', async () => {
		const course = await loadCourse();
		const twelve = findLesson(course, 'missing-node');
		const report = await autoRun([twelve], async () => {
			throw unavailable('2.15.1');
		});
		expect(report.ok).toBe(true);
		const [skipped] = report.lessons;
		if (!skipped) throw new Error('no report');
		expect(lessonLine(skipped, { order: 12, total: 12 })).toMatch(
			/^– 12\/12 missing-node {2}\d+\.\d s {2}— skipped: needs nats-server 2\.15\.1, which cannot be had here: nats-server 2\.15\.1 is not available: no source had it$/,
		);
		expect(courseLine(report, 1)).toMatch(/^natslab course: 0\/1 passed, skipped missing-node in /);
	});

	it('a course-version lesson whose binary cannot be had still fails (it is the course’s own version)', async () => {
		const course = await loadCourse();
		const report = await autoRun([findLesson(course, 'meet-the-cluster')], async () => {
			throw unavailable('2.10.27');
		});
		expect(report.ok).toBe(false);
		expect(report.lessons[0]?.status).toBe('failed');
	});

	it('learn 12 --auto alone: exit 1 with the reason in one line', async () => {
		const t = io();
		const code = await runCommand(['learn', '12', '--auto'], t.io, {
			createLab: async () => {
				throw unavailable('2.15.1');
			},
		});
		expect(code).toBe(1);
		expect(t.out.stderr).toBe(
			'natslab: missing-node: needs nats-server 2.15.1, which cannot be had here: nats-server 2.15.1 is not available: no source had it\n',
		);
	});
});
