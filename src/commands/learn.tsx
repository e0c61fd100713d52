// `natslab learn`: the course. With a terminal: the lesson picker, or straight
// into a lesson on the live dashboard. With --auto: lessons run unattended and
// print what the cluster measured (workshop laptop check, regression test).

import { parseArgs } from 'node:util';
import { render } from 'ink';
import { UserError } from '../base/errors.js';
import { DEFAULT_FROM_VERSION, DEFAULT_TO_VERSION, normalizeVersion } from '../base/versions.js';
import type { CreateLabOptions } from '../lab/lab.js';
import type { Lab } from '../lab/types.js';
import { runAuto } from '../lessons/auto.js';
import { courseDir, findLesson, loadCourse } from '../lessons/course.js';
import type { Lesson } from '../lessons/load.js';
import { readProgress, resetLesson, saveStep } from '../lessons/progress.js';
import { labOptionsFor, type VersionChoice } from '../lessons/run-lab.js';
import { makeLessonHost } from '../ui/lesson/LessonHost.js';
import { LessonPicker, type PickerChoice } from '../ui/lesson/LessonPicker.js';
import { runScreen, type ScreenIo, terminalProblem } from '../ui/run.js';
import { colorEnabled, ThemeProvider } from '../ui/theme.js';

const HELP = `natslab learn — the course, on a real local three-node NATS cluster

Usage:
  natslab learn                     pick a lesson (needs a terminal)
  natslab learn <id|number>         open a lesson (resumes where you left off)
  natslab learn <id> --auto         run one lesson unattended, print what was measured
  natslab learn --all --auto        run the whole course unattended (laptop check)
  natslab learn --reset <id>        forget your progress in a lesson

Options:
  --json            with --auto: one JSON report on stdout instead of progress lines
  --version V       nats-server version for the lessons (default ${DEFAULT_TO_VERSION})
  --from V --to V2  versions for the upgrade lesson (default ${DEFAULT_FROM_VERSION} → ${DEFAULT_TO_VERSION})
  --base-port N     client ports N..N+2, routes N+2000.., monitoring N+4000.. (default 14222)

--auto exits 1 with a one-line reason when a step does not happen in time, and
always stops every server it started. Progress is kept in natslab's state folder.`;

export interface LearnDeps {
	createLab?: (opts: CreateLabOptions) => Promise<Lab>;
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

function version(flag: string, value: string | undefined): string | undefined {
	if (value === undefined) return undefined;
	const v = normalizeVersion(value);
	if (!v) throw new UserError(`${flag} ${value}: not a nats-server release version like 2.10.27`, 2);
	return v;
}

export function parseLearnArgs(args: string[]): LearnArgs {
	let parsed: ReturnType<
		typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true; args: string[] }>
	>;
	try {
		parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
	} catch (err) {
		throw new UserError(err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err), 2);
	}
	const { values, positionals } = parsed;
	if (positionals.length > 1) throw new UserError(`one lesson at a time (got ${positionals.join(' ')})`, 2);
	let basePort: number | undefined;
	if (values['base-port'] !== undefined) {
		basePort = Number(values['base-port']);
		if (!Number.isInteger(basePort) || basePort < 1024 || basePort + 4002 > 65535)
			throw new UserError(`--base-port ${values['base-port']}: needs a whole number from 1024 to 61533`, 2);
	}
	return {
		id: positionals[0],
		all: values.all === true,
		auto: values.auto === true,
		json: values.json === true,
		reset: values.reset,
		help: values.help === true,
		choice: {
			version: version('--version', values.version),
			from: version('--from', values.from),
			to: version('--to', values.to),
		},
		basePort,
	};
}

const OPTIONS = {
	all: { type: 'boolean' },
	auto: { type: 'boolean' },
	json: { type: 'boolean' },
	reset: { type: 'string' },
	help: { type: 'boolean', short: 'h' },
	version: { type: 'string' },
	from: { type: 'string' },
	to: { type: 'string' },
	'base-port': { type: 'string' },
} as const;

export async function learnCommand(args: string[], io: ScreenIo, deps: LearnDeps = {}): Promise<number> {
	try {
		return await learn(args, io, deps);
	} catch (err) {
		if (err instanceof UserError) {
			io.stderr.write(`natslab learn: ${err.message}\n`);
			return err.exitCode;
		}
		throw err;
	}
}

async function learn(args: string[], io: ScreenIo, deps: LearnDeps): Promise<number> {
	const a = parseLearnArgs(args);
	if (a.help) {
		io.stdout.write(`${HELP}\n`);
		return 0;
	}
	const lessons = await loadCourse(courseDir(io.env));
	if (a.reset !== undefined) {
		const lesson = findLesson(lessons, a.reset);
		await resetLesson(io.env, lesson.id);
		io.stdout.write(`progress in “${lesson.title}” (${lesson.id}) forgotten\n`);
		return 0;
	}
	if (a.json && !a.auto) throw new UserError('--json goes with --auto', 2);
	if (a.all && !a.auto) throw new UserError('--all runs the course unattended: add --auto', 2);
	if (a.all && a.id) throw new UserError('give a lesson id or --all, not both', 2);
	if (a.auto) {
		if (!a.all && !a.id) throw new UserError('--auto needs a lesson id or --all', 2);
		const chosen = a.all ? lessons : [findLesson(lessons, a.id ?? '')];
		return auto(chosen, lessons.length, a, io, deps);
	}
	const problem = terminalProblem(io);
	if (problem) throw new UserError(`${problem}: the course needs an interactive terminal (or use --auto)`, 2);
	if (a.id) return interactive(findLesson(lessons, a.id), lessons, a, io, deps);
	return picker(lessons, a, io, deps);
}

async function createLabDefault(opts: CreateLabOptions): Promise<Lab> {
	return (await import('../lab/lab.js')).createLab(opts);
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
		createLab: deps.createLab ?? createLabDefault,
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
	if (!report.ok) {
		io.stderr.write(`natslab learn: ${report.failure ?? 'failed'}\n`);
		return 1;
	}
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
	let lab: Lab | null = null;
	const create = deps.createLab ?? createLabDefault;
	const saves: Promise<void>[] = [];
	const host = makeLessonHost({
		getLab: () => {
			if (!lab) throw new Error('lesson started before its lab');
			return lab;
		},
		lesson,
		total: lessons.length,
		startAt,
		onProgress: (next, measurements) => {
			saves.push(saveStep(io.env, lesson.id, next, lesson.steps.length, measurements).catch(() => {}));
		},
		onFinished: () => {},
	});
	const code = await runScreen({
		mode: `lesson ${lesson.order}`,
		io,
		source: 'learner',
		lesson: host,
		lab: labOptionsFor(lesson, a.choice, a.basePort),
		createLab: async (opts) => {
			lab = await create(opts);
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
		void instance.waitUntilExit().then(
			() => resolve(chosen),
			() => resolve({ kind: 'quit' }),
		);
	});
}
