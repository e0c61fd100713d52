// `natslab learn`: the course. With a terminal: the lesson picker, or straight
// into a lesson on the live dashboard (learn-screen.tsx). With --auto: lessons
// run unattended and print what the cluster measured (workshop laptop check,
// regression test).

import { mkdirSync } from 'node:fs';
import { EXIT, isUserError, UserError, withFsErrors } from '../base/errors.js';
import {
	commandHelp,
	flag,
	parseOptions,
	parseVersionValue,
	usageError,
	valueOption,
} from '../base/options.js';
import { DEFAULT_FROM_VERSION, DEFAULT_TO_VERSION } from '../base/versions.js';
import { BASE_PORT_OPTION, BLOCK_STEP } from '../cluster/ports.js';
import type { AutoReport, LessonReport } from '../lessons/auto.js';
import { courseDir, findLesson, loadCourse } from '../lessons/course.js';
import type { Lesson } from '../lessons/load.js';
import { resetLesson, saveStep } from '../lessons/progress.js';
import type { VersionChoice } from '../lessons/run-lab.js';
import { closeRecorder } from '../record/recorded-lab.js';
import type { ScreenIo } from '../ui/run.js';
import { terminalProblem } from '../ui/terminal.js';
import { type CreateLab, createLabLazily } from './engine.js';
import { type CourseScreen, pickAndPlay, playLesson } from './learn-screen.js';

/** The most lanes `--jobs` runs: each is a three-node cluster with its probes. */
export const MAX_JOBS = 4;

function parseJobs(raw: string, flagName: string): number {
	const n = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
	if (!(n >= 1 && n <= MAX_JOBS))
		throw usageError('learn', `${flagName} needs a whole number from 1 to ${MAX_JOBS}, not "${raw}"`);
	return n;
}

const OPTIONS = {
	auto: flag('run unattended and print what the cluster measured'),
	all: flag('with --auto: every lesson of the course'),
	json: flag('with --auto: one JSON report on stdout instead of progress lines'),
	quiet: flag('with --auto: ports and binaries checked first, then a ✓/✗ line per lesson'),
	reset: valueOption('ID', 'forget your progress in a lesson'),
	version: valueOption('V', 'nats-server version for the lessons', parseVersionValue, DEFAULT_TO_VERSION),
	from: valueOption('V', 'start version of the upgrade lesson', parseVersionValue, DEFAULT_FROM_VERSION),
	to: valueOption('V2', 'target version of the upgrade lesson', parseVersionValue, DEFAULT_TO_VERSION),
	'base-port': BASE_PORT_OPTION,
	jobs: valueOption(
		'N',
		`with --all --auto: lessons run at a time (1-${MAX_JOBS}), each on its own\ncluster, workspace and port block (N blocks ${BLOCK_STEP} ports apart)`,
		parseJobs,
		'1',
	),
	record: valueOption(
		'PATH',
		'record the lesson for natslab replay (.gz: gzipped); with --all, a folder (made if missing): <id>.jsonl.gz each',
	),
};

export const LEARN_HELP = commandHelp(
	`natslab learn — the course, on a real local three-node NATS cluster

Usage:
  natslab learn                     pick a lesson (needs a terminal)
  natslab learn <id|number>         open a lesson (resumes where you left off)
  natslab learn <id> --auto         run one lesson unattended, print what was measured
  natslab learn --all --auto        run the whole course unattended (laptop check)
  natslab learn --all --auto --quiet  the laptop check for a room: a line per lesson
  natslab learn --all --auto --jobs 3  three lessons at a time (~2 min)
  natslab learn --reset <id>        forget your progress in a lesson
  natslab learn <id> --record FILE  also record it (natslab replay FILE; docs/recording.md)`,
	OPTIONS,
	`--auto exits 1 with a one-line reason when a step does not happen in time, and
always stops every server it started. A lesson that runs on its own nats-server
version (lesson 12: 2.15.1) is skipped by --all, its reason on its line, when that
binary cannot be had; the course still passes (alone, the lesson exits 1). --quiet first checks that the ports are free
and the nats-server binaries are cached, and refuses (exit 1) with each problem's fix.
With --jobs N the lessons' lines still come out in course order (a later lesson's
once every lesson before it has ended); after a failure no further lesson starts.
Side by side, the lessons share the machine: their timings move with its load.
Progress is kept in natslab's state folder.`,
);

export interface LearnDeps {
	createLab?: CreateLab;
}

interface LearnArgs {
	id?: string;
	all: boolean;
	auto: boolean;
	json: boolean;
	quiet: boolean;
	reset?: string;
	help: boolean;
	choice: VersionChoice;
	basePort?: number;
	jobs: number;
	record?: string;
}

export function parseLearnArgs(args: string[]): LearnArgs {
	const { values, positionals, help } = parseOptions('learn', OPTIONS, args);
	if (positionals.length > 1)
		throw usageError('learn', `one lesson at a time (got ${positionals.join(' ')})`);
	return {
		id: positionals[0],
		all: values.all === true,
		auto: values.auto === true,
		json: values.json === true,
		quiet: values.quiet === true,
		reset: values.reset,
		help,
		choice: { version: values.version, from: values.from, to: values.to },
		basePort: values['base-port'],
		jobs: values.jobs ?? 1,
		record: values.record,
	};
}

export async function learnCommand(args: string[], io: ScreenIo, deps: LearnDeps = {}): Promise<number> {
	const a = parseLearnArgs(args);
	if (a.help) {
		io.stdout.write(`${LEARN_HELP}\n`);
		return 0;
	}
	return learn(a, io, deps);
}

async function learn(a: LearnArgs, io: ScreenIo, deps: LearnDeps): Promise<number> {
	const lessons = await loadCourse(courseDir(io.env));
	if (a.reset !== undefined) {
		const lesson = findLesson(lessons, a.reset);
		await resetLesson(io.env, lesson.id);
		io.stdout.write(`progress in “${lesson.title}” (${lesson.id}) forgotten\n`);
		return 0;
	}
	if (a.json && !a.auto) throw usageError('learn', '--json goes with --auto');
	if (a.quiet && !a.auto) throw usageError('learn', '--quiet goes with --auto');
	if (a.all && !a.auto) throw usageError('learn', '--all runs the course unattended: add --auto');
	if (a.all && a.id) throw usageError('learn', 'give a lesson id or --all, not both');
	if (a.jobs > 1 && !a.all)
		throw usageError('learn', '--jobs runs lessons of the course side by side: add --all --auto');
	if (a.record !== undefined && !a.id && !a.all)
		throw usageError('learn', '--record records one lesson: give its id (or --all --auto and a folder)');
	if (a.auto) {
		if (!a.all && !a.id) throw usageError('learn', '--auto needs a lesson id or --all');
		const chosen = a.all ? lessons : [findLesson(lessons, a.id ?? '')];
		return auto(chosen, lessons.length, a, io, deps);
	}
	const problem = terminalProblem(io);
	if (problem) {
		throw new UserError(
			`learn: ${problem}: the course needs an interactive terminal (or use --auto)`,
			EXIT.usage,
		);
	}
	const course: CourseScreen = {
		lessons,
		choice: a.choice,
		basePort: a.basePort,
		io,
		createLab: deps.createLab,
		record: a.record,
	};
	if (a.id) {
		const lesson = findLesson(lessons, a.id);
		return playLesson(lesson, course).catch(async (err: unknown) => {
			// A lesson that cannot start here (no binary to be had, a busy port) can still be watched.
			const { shippedRecording } = await import('../record/shipped.js');
			if (!isUserError(err) || !shippedRecording(lesson.id)) throw err;
			const watch = `natslab replay --lesson ${lesson.id} shows natslab's recording of it, no nats-server needed`;
			throw new UserError(`${err.message} (${watch})`, { exitCode: err.exitCode, cause: err });
		});
	}
	return pickAndPlay(course);
}

async function auto(
	chosen: Lesson[],
	total: number,
	a: LearnArgs,
	io: ScreenIo,
	deps: LearnDeps,
): Promise<number> {
	// Loaded here: the picker (natslab with no arguments) never pays for them (issue #12).
	const { labOptionsFor } = await import('../lessons/run-lab.js');
	const { runAuto } = await import('../lessons/auto.js');
	// Fail before any server starts if a lesson cannot run on the asked versions.
	for (const l of chosen) labOptionsFor(l, a.choice, a.basePort);
	// --all --record FOLDER: made like `mkdir -p`, so a folder that cannot be made fails before any server starts.
	const folder = a.all ? a.record : undefined;
	if (folder) await withFsErrors('--record', folder, () => mkdirSync(folder, { recursive: true }));
	const quiet = a.quiet ? await quietRun(chosen, a, io) : null;
	if (quiet?.refused !== undefined) return quiet.refused;
	const print = a.json || a.quiet ? undefined : (line: string) => io.stdout.write(`${line}\n`);
	const report = await runAuto({
		lessons: chosen,
		total,
		createLab: deps.createLab ?? createLabLazily,
		choice: a.choice,
		basePort: a.basePort,
		jobs: a.jobs,
		env: io.env,
		print,
		record: a.record ? lessonRecorder(a.record, a.all, total, io) : undefined,
		onLesson: async (lesson, result) => {
			if (result.status === 'done')
				await saveStep(io.env, lesson.id, lesson.steps.length, lesson.steps.length, result.measurements);
		},
		onLessonShown: (lesson, result) => quiet?.lessonEnded(lesson, result, total),
	});
	// One lesson asked for and skipped (its own version cannot be had) did not run: exit 1, saying why.
	const skippedAlone = !a.all ? report.lessons.find((l) => l.status === 'skipped') : undefined;
	if (a.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
	if (skippedAlone) throw new UserError(skippedAlone.failure ?? 'the lesson was skipped', EXIT.failed);
	if (!a.json && quiet) return quiet.courseEnded(report, chosen.length);
	if (!a.json && report.ok) {
		const n = report.lessons.filter((l) => l.status === 'done').length;
		const skipped = report.lessons.filter((l) => l.status === 'skipped').map((l) => l.id);
		io.stdout.write(
			`course check passed: ${n} lesson${n === 1 ? '' : 's'} in ${(report.ms / 1000).toFixed(1)} s${report.jobs ? ` (${report.jobs} at a time)` : ''}${skipped.length > 0 ? ` (skipped: ${skipped.join(', ')})` : ''}\n`,
		);
		// The last lesson passed: the course's end is the last line, as on its recap screen.
		const end = (await import('../lessons/view.js')).courseCompleteLine(chosen, report.lessons, total);
		if (end) io.stdout.write(`${end}\n`);
	}
	// A check that ran and failed: one line through the command line's handler, exit 1.
	if (!report.ok) throw new UserError(report.failure ?? 'the course check failed', EXIT.failed);
	return 0;
}

/** learn --auto --record: the lesson's file (or <folder>/<id>.jsonl.gz with --all). */
function lessonRecorder(path: string, all: boolean, total: number, io: ScreenIo) {
	return async (lesson: Lesson) => {
		const [{ Recorder }, { join }] = await Promise.all([
			import('../record/recorder.js'),
			import('node:path'),
		]);
		const file = all ? join(path, `${lesson.id}.jsonl.gz`) : path;
		const recorder = await Recorder.open(file, {
			command: 'learn',
			mode: `lesson ${lesson.order}`,
			lesson: { id: lesson.id, title: lesson.title, order: lesson.order, total },
		});
		return {
			labEvent: recorder.labEvent,
			attachLab: (lab: Parameters<typeof recorder.attachLab>[0]) => recorder.attachLab(lab),
			attachLesson: (s: Parameters<typeof recorder.attachLesson>[0]) => recorder.attachLesson(s),
			lessonEvent: recorder.lessonEvent,
			lessonResult: recorder.lessonResult,
			close: () => closeRecorder(recorder, io),
		};
	};
}

/**
 * --quiet: the pre-check (ports, binaries) before anything starts; refused with every
 * problem and its fix (exit 1), else the hooks that print a line per lesson and the last line.
 */
async function quietRun(chosen: Lesson[], a: LearnArgs, io: ScreenIo) {
	const { precheck, problemLine } = await import('../lessons/precheck.js');
	const { courseLine, lessonLine } = await import('../lessons/auto-quiet.js');
	const color = io.stdout.isTTY === true && !io.env.NO_COLOR;
	const say = (line: string) => io.stdout.write(`${line}\n`);
	const problems = await precheck({
		lessons: chosen,
		choice: a.choice,
		basePort: a.basePort,
		lanes: Math.min(a.jobs, chosen.length),
		env: io.env,
	});
	if (problems.length > 0) {
		if (a.json) say(JSON.stringify({ ok: false, problems }, null, 2));
		else {
			for (const p of problems) say(problemLine(p));
			say(`natslab course: not started — ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
		}
		return { refused: EXIT.failed };
	}
	return {
		refused: undefined,
		lessonEnded: (lesson: Lesson, report: LessonReport, total: number) => {
			if (!a.json) say(lessonLine(report, { order: lesson.order, total }, color));
		},
		courseEnded: (report: AutoReport, planned: number): number => {
			say(courseLine(report, planned, color));
			return report.ok ? 0 : EXIT.failed;
		},
	};
}
