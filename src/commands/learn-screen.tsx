// `natslab learn` on the screen: the lesson picker, and one lesson on the live
// dashboard. The command builds the engines here (the Lab behind the setup view,
// then the lesson's session) and hands them to the screen.

import { render } from 'ink';
import { isUserError } from '../base/errors.js';
import { registerCleanup } from '../lab/cleanup.js';
import { findLesson } from '../lessons/course.js';
import type { LessonSession } from '../lessons/engine.js';
import type { Lesson } from '../lessons/load.js';
import { readProgress, resetLesson, saveStep } from '../lessons/progress.js';
import type { VersionChoice } from '../lessons/run-lab.js';
import { closeRecorder, recordedCreateLab, terminalSize } from '../record/recorded-lab.js';
import { shippedRecordingIds } from '../record/shipped.js';
import { LessonPicker, type PickerChoice } from '../ui/lesson/LessonPicker.js';
import type { ScreenIo } from '../ui/run.js';
import { colorEnabled, ThemeProvider } from '../ui/theme.js';
import type { CreateLab } from './engine.js';

/** What the screen half of `learn` needs from the command line. */
export interface CourseScreen {
	lessons: Lesson[];
	choice: VersionChoice;
	basePort: number | undefined;
	io: ScreenIo;
	createLab?: CreateLab;
	/** --record FILE: the lesson played is recorded there (docs/recording.md). */
	record?: string;
}

/** One lesson on the dashboard; resolves when the learner leaves it. */
export async function playLesson(lesson: Lesson, course: CourseScreen): Promise<number> {
	const { lessons, io } = course;
	// The dashboard, the lesson engine and the Lab are loaded when a lesson opens, not for the
	// picker: they were most of its 1.5-5 s to the first frame (issue #12).
	const [
		{ LessonSession },
		{ labOptionsFor, ownVersionNote },
		{ makeLessonHost },
		{ runScreen },
		{ createLabLazily },
	] = await Promise.all([
		import('../lessons/engine.js'),
		import('../lessons/run-lab.js'),
		import('../ui/lesson/LessonHost.js'),
		import('../ui/run.js'),
		import('./engine.js'),
	]);
	const progress = await readProgress(io.env);
	const startAt = progress.lessons[lesson.id]?.step ?? 0;
	const recorder = course.record
		? await (await import('../record/recorder.js')).Recorder.open(course.record, {
				command: 'learn',
				mode: `lesson ${lesson.order}`,
				lesson: { id: lesson.id, title: lesson.title, order: lesson.order, total: lessons.length },
				terminal: terminalSize(io.stdout),
			})
		: null;
	const create = recorder
		? recordedCreateLab(course.createLab ?? createLabLazily, recorder)
		: (course.createLab ?? createLabLazily);
	const saves: Promise<void>[] = [];
	// The command builds the engines: the Lab (behind the setup view) and then the lesson's session.
	let session: LessonSession | null = null;
	const host = makeLessonHost({
		getSession: () => {
			if (!session) throw new Error('lesson shown before its session was built');
			return session;
		},
		onFinished: (result) => recorder?.lessonResult(result),
	});
	const labOptions = labOptionsFor(lesson, course.choice, course.basePort);
	const code = await runScreen({
		onKey: recorder?.key,
		mode: `lesson ${lesson.order}`,
		io,
		source: 'learner',
		lesson: host,
		versions: [labOptions.version, ...(labOptions.upgradeTo ? [labOptions.upgradeTo] : [])],
		createLab: async (hooks) => {
			// An explicit --version this lesson cannot use: the setup view says it runs on its own.
			const note = ownVersionNote(lesson, course.choice);
			if (note) hooks.onSetup({ type: 'notice', text: note });
			const lab = await create({ ...labOptions, ...hooks });
			session = new LessonSession({
				lab,
				lesson,
				total: lessons.length,
				mode: 'interactive',
				startAt,
				onEvent: recorder?.lessonEvent,
				onProgress: (next, measurements, skipped) => {
					const save = saveStep(
						io.env,
						lesson.id,
						next,
						lesson.steps.length,
						measurements,
						new Date(),
						skipped,
					);
					saves.push(save.catch(() => {}));
				},
			});
			recorder?.attachLesson(session);
			return lab;
		},
	}).finally(() => closeRecorder(recorder, io));
	await Promise.all(saves);
	return code;
}

/** The lesson picker; a chosen lesson is played, then the picker comes back. */
export async function pickAndPlay(course: CourseScreen): Promise<number> {
	const { lessons, io } = course;
	let last: string | undefined;
	const replayable = new Set(shippedRecordingIds());
	let notice: string | null = null;
	for (;;) {
		const progress = await readProgress(io.env);
		const choice = await pick(lessons, progress.lessons, last, io, { replayable, notice });
		notice = null;
		if (choice.kind === 'quit') return 0;
		if (choice.kind === 'replay') {
			last = choice.id;
			const code = await (await import('./replay.js')).replayCommand(['--lesson', choice.id], io);
			if (code !== 0) return code;
			continue;
		}
		if (choice.kind === 'reset') {
			await resetLesson(io.env, choice.id);
			last = choice.id;
			continue;
		}
		last = choice.id;
		let code: number;
		try {
			code = await playLesson(findLesson(lessons, choice.id), course);
		} catch (err) {
			// A lesson that cannot start here (no binary to be had, a busy port) can still be watched.
			if (!isUserError(err) || !replayable.has(choice.id)) throw err;
			notice = `${err.message.split('\n')[0]} · w watches natslab's recording of this lesson (no nats-server needed)`;
			continue;
		}
		if (code !== 0) return code;
	}
}

function pick(
	lessons: Lesson[],
	progress: Awaited<ReturnType<typeof readProgress>>['lessons'],
	initialId: string | undefined,
	io: ScreenIo,
	extra: { replayable: ReadonlySet<string>; notice: string | null },
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
					replayable={extra.replayable}
					notice={extra.notice}
					onChoice={(c) => {
						chosen = c;
						// The lesson's screen starts below: leave no menu behind it.
						if (c.kind === 'open') instance.clear();
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
