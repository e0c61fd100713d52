// `natslab replay FILE`: a recording (--record, docs/recording.md) on the same
// screen, with no server started: the recorded events folded by the same reducer
// at the recorded pace. `--lesson ID` plays the recording natslab ships of a
// lesson; `--to-markdown` prints the timeline instead of showing it.

import { EXIT, UserError } from '../base/errors.js';
import { commandHelp, flag, parseOptions, usageError, valueOption } from '../base/options.js';
import type { ScreenIo } from '../ui/run.js';
import { showPlaceholder, terminalProblem } from '../ui/terminal.js';

const OPTIONS = {
	lesson: valueOption('ID', 'the recording natslab ships of a lesson (id or number): needs no nats-server'),
	'to-markdown': flag('print the timeline, lesson steps and measurements as Markdown on stdout'),
	paused: flag('start paused at the beginning (space plays)'),
};

export const REPLAY_HELP = commandHelp(
	`natslab replay — a recording on the live screen again, with no server started

Usage:
  natslab replay FILE                a recording made with --record (sandbox, learn, rehearse, watch)
  natslab replay --lesson ID         a lesson as natslab recorded it (ships with natslab)
  natslab replay FILE --to-markdown  the timeline as text (for a bug report)`,
	OPTIONS,
	`Keys: space play/pause · + - speed 0.5x–8x · n next change (a leader, a node, a client) ·
b 10 s back · < > lesson step · 1-3 (1-5 on 5 nodes) tab a v as on the dashboard ·
q quit.
Nothing acts on a cluster: there is none. The format: docs/recording.md.`,
);

export async function replayCommand(args: string[], io: ScreenIo): Promise<number> {
	const { values, positionals, help } = parseOptions('replay', OPTIONS, args, { maxPositionals: 1 });
	if (help) {
		io.stdout.write(`${REPLAY_HELP}\n`);
		return EXIT.ok;
	}
	const file = await recordingFile(positionals[0], values.lesson, io.env);
	const { readRecording } = await import('../record/read.js');
	const recording = await readRecording(file);
	if (values['to-markdown']) {
		const { recordingMarkdown } = await import('../record/markdown.js');
		io.stdout.write(recordingMarkdown(recording));
		return EXIT.ok;
	}
	const problem = terminalProblem(io);
	if (problem)
		throw new UserError(`replay: ${problem}; the screen needs one (or use --to-markdown)`, EXIT.usage);
	showPlaceholder(io.stdout, 'natslab replay · loading the screen…');
	process.env.NODE_ENV ??= 'production';
	const [{ createReplay }, { runScreen }, { makeLessonHost }] = await Promise.all([
		import('../record/replay-lab.js'),
		import('../ui/run.js'),
		import('../ui/lesson/LessonHost.js'),
	]);
	const replay = createReplay(recording);
	const lesson = replay.lesson;
	const { header } = recording;
	return runScreen({
		mode: header.mode,
		io,
		versions: [header.versions.initial, ...(header.versions.upgradeTo ? [header.versions.upgradeTo] : [])],
		lesson: lesson ? makeLessonHost({ getSession: () => lesson, onFinished: () => {} }) : undefined,
		replay: replay.replayer,
		createLab: async () => {
			if (!values.paused) replay.replayer.play();
			return replay.lab;
		},
	});
}

/** FILE, or the shipped recording of --lesson's lesson (one of the two). */
async function recordingFile(
	file: string | undefined,
	lessonRef: string | undefined,
	env: NodeJS.ProcessEnv,
): Promise<string> {
	if (file && lessonRef) throw usageError('replay', 'give a FILE or --lesson, not both');
	if (file) return file;
	if (!lessonRef) throw usageError('replay', 'which recording? give a FILE or --lesson ID');
	const [{ courseDir, findLesson, loadCourse }, { shippedRecording, shippedRecordingIds }] =
		await Promise.all([import('../lessons/course.js'), import('../record/shipped.js')]);
	const lesson = findLesson(await loadCourse(courseDir(env)), lessonRef);
	const path = shippedRecording(lesson.id);
	if (!path) {
		const ids = shippedRecordingIds();
		throw new UserError(
			`replay: natslab ships no recording of ${lesson.id}${ids.length > 0 ? ` (it has: ${ids.join(', ')})` : ''}`,
			EXIT.failed,
		);
	}
	return path;
}
