// `natslab learn`: the course. With a terminal: the lesson picker, or straight
// into a lesson on the live dashboard. With --auto: lessons run unattended and
// print what the cluster measured (workshop laptop check, regression test).

import { render } from 'ink';
import { EXIT, UserError } from '../base/errors.js';
import {
	commandHelp,
	flag,
	parseOptions,
	parseVersionValue,
	usageError,
	valueOption,
} from '../base/options.js';
import { DEFAULT_FROM_VERSION, DEFAULT_TO_VERSION } from '../base/versions.js';
import { BASE_PORT_OPTION } from '../cluster/ports.js';
import { registerCleanup } from '../lab/cleanup.js';
import { runAuto } from '../lessons/auto.js';
import { courseDir, findLesson, loadCourse } from '../lessons/course.js';
import { LessonSession } from '../lessons/engine.js';
import type { Lesson } from '../lessons/load.js';
import { readProgress, resetLesson, saveStep } from '../lessons/progress.js';
import { labOptionsFor, type VersionChoice } from '../lessons/run-lab.js';
import { makeLessonHost } from '../ui/lesson/LessonHost.js';
import { LessonPicker, type PickerChoice } from '../ui/lesson/LessonPicker.js';
import { runScreen, type ScreenIo, terminalProblem } from '../ui/run.js';
import { colorEnabled, ThemeProvider } from '../ui/theme.js';
import { type CreateLab, createLabLazily } from './engine.js';

const OPTIONS = {
	auto: flag('run unattended and print what the cluster measured'),
	all: flag('with --auto: every lesson of the course'),
	json: flag('with --auto: one JSON report on stdout instead of progress lines'),
	reset: valueOption('ID', 'forget your progress in a lesson'),
	version: valueOption('V', 'nats-server version for the lessons', parseVersionValue, DEFAULT_TO_VERSION),
	from: valueOption('V', 'start version of the upgrade lesson', parseVersionValue, DEFAULT_FROM_VERSION),
	to: valueOption('V2', 'target version of the upgrade lesson', parseVersionValue, DEFAULT_TO_VERSION),
	'base-port': BASE_PORT_OPTION,
};

export const LEARN_HELP = commandHelp(
	`natslab learn — the course, on a real local three-node NATS cluster

Usage:
  natslab learn                     pick a lesson (needs a terminal)
  natslab learn <id|number>         open a lesson (resumes where you left off)
  natslab learn <id> --auto         run one lesson unattended, print what was measured
  natslab learn --all --auto        run the whole course unattended (laptop check)
  natslab learn --reset <id>        forget your progress in a lesson`,
	OPTIONS,
	`--auto exits 1 with a one-line reason when a step does not happen in time, and
always stops every server it started. Progress is kept in natslab's state folder.`,
);

export interface LearnDeps {
	createLab?: CreateLab;
}

interface LearnArgs {
	id?: string;
	all: boolean;
	auto: boolean;
	json: boolean;
	reset?: string;
	help: boolean;
	choice: VersionChoice;
	basePort?: number;
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
		reset: values.reset,
		help,
		choice: { version: values.version, from: values.from, to: values.to },
		basePort: values['base-port'],
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
	if (a.all && !a.auto) throw usageError('learn', '--all runs the course unattended: add --auto');
	if (a.all && a.id) throw usageError('learn', 'give a lesson id or --all, not both');
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
	if (a.id) return interactive(findLesson(lessons, a.id), lessons, a, io, deps);
	return picker(lessons, a, io, deps);
}

async function auto(
	chosen: Lesson[],
	total: number,
	a: LearnArgs,
	io: ScreenIo,
	deps: LearnDeps,
): Promise<number> {
	// Fail before any server starts if a lesson cannot run on the asked versions.
	for (const l of chosen) labOptionsFor(l, a.choice, a.basePort);
	const print = a.json ? undefined : (line: string) => io.stdout.write(`${line}\n`);
	const report = await runAuto({
		lessons: chosen,
		total,
		createLab: deps.createLab ?? createLabLazily,
		choice: a.choice,
		basePort: a.basePort,
		env: io.env,
		print,
		onLesson: async (lesson, result) => {
			if (result.status === 'done')
				await saveStep(io.env, lesson.id, lesson.steps.length, lesson.steps.length, result.measurements);
		},
	});
	if (a.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
	else if (report.ok) {
		const n = report.lessons.length;
		io.stdout.write(
			`course check passed: ${n} lesson${n === 1 ? '' : 's'} in ${(report.ms / 1000).toFixed(1)} s\n`,
		);
	}
	// A check that ran and failed: one line through the command line's handler, exit 1.
	if (!report.ok) throw new UserError(report.failure ?? 'the course check failed', EXIT.failed);
	return 0;
}

/** One lesson on the dashboard; resolves when the learner leaves it. */
async function interactive(
	lesson: Lesson,
	lessons: Lesson[],
	a: LearnArgs,
	io: ScreenIo,
	deps: LearnDeps,
): Promise<number> {
	const progress = await readProgress(io.env);
	const startAt = progress.lessons[lesson.id]?.step ?? 0;
	const create = deps.createLab ?? createLabLazily;
	const saves: Promise<void>[] = [];
	// The command builds the engines: the Lab (behind the setup view) and then the lesson's session.
	let session: LessonSession | null = null;
	const host = makeLessonHost({
		getSession: () => {
			if (!session) throw new Error('lesson shown before its session was built');
			return session;
		},
		onFinished: () => {},
	});
	const labOptions = labOptionsFor(lesson, a.choice, a.basePort);
	const code = await runScreen({
		mode: `lesson ${lesson.order}`,
		io,
		source: 'learner',
		lesson: host,
		versions: [labOptions.version, ...(labOptions.upgradeTo ? [labOptions.upgradeTo] : [])],
		createLab: async (hooks) => {
			const lab = await create({ ...labOptions, ...hooks });
			session = new LessonSession({
				lab,
				lesson,
				total: lessons.length,
				mode: 'interactive',
				startAt,
				onProgress: (next, measurements) => {
					saves.push(saveStep(io.env, lesson.id, next, lesson.steps.length, measurements).catch(() => {}));
				},
			});
			return lab;
		},
	});
	await Promise.all(saves);
	return code;
}

async function picker(lessons: Lesson[], a: LearnArgs, io: ScreenIo, deps: LearnDeps): Promise<number> {
	let last: string | undefined;
	for (;;) {
		const progress = await readProgress(io.env);
		const choice = await pick(lessons, progress.lessons, last, io);
		if (choice.kind === 'quit') return 0;
		if (choice.kind === 'reset') {
			await resetLesson(io.env, choice.id);
			last = choice.id;
			continue;
		}
		last = choice.id;
		const code = await interactive(findLesson(lessons, choice.id), lessons, a, io, deps);
		if (code !== 0) return code;
	}
}

function pick(
	lessons: Lesson[],
	progress: Awaited<ReturnType<typeof readProgress>>['lessons'],
	initialId: string | undefined,
	io: ScreenIo,
): Promise<PickerChoice> {
	return new Promise((resolve) => {
		let chosen: PickerChoice = { kind: 'quit' };
		const instance = render(
			<ThemeProvider color={colorEnabled(io.env)}>
				<LessonPicker
					lessons={lessons}
					progress={progress}
					initialId={initialId}
					width={Math.min(100, io.stdout.columns ?? 80)}
					onChoice={(c) => {
						chosen = c;
						instance.unmount();
					}}
				/>
			</ThemeProvider>,
			{ stdout: io.stdout, stdin: io.stdin, stderr: io.stderr, exitOnCtrlC: false },
		);
		// Ended under the picker (SIGTERM, a closed terminal): give the terminal back first.
		const unregister = registerCleanup(() => instance.unmount(), { screen: true });
		void instance
			.waitUntilExit()
			.then(
				() => resolve(chosen),
				() => resolve({ kind: 'quit' }),
			)
			.finally(unregister);
	});
}
