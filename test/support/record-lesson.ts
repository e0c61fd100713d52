// Records one real lesson run as a fixture, in natslab's own recording format
// (docs/recording.md, src/record/recorder.ts — what `learn <id> --auto --record` writes):
// every LabEvent the lab's store folded and every LessonEvent of the engine, in the
// order they happened, and the lesson's result (what it measured) at the end.
// test/unit/lessons/measures-replay.test.ts replays such a file through the real reducer
// (test/support/lesson-run.ts) and holds each measurement to its definition
// (docs/measurements.md). Name the file .jsonl.gz.
//
//   NATSLAB_HOME=/tmp/h2-home npx tsx test/support/record-lesson.ts lose-quorum 23200 out.jsonl.gz [version]
import { createLab } from '../../src/lab/lab.js';
import { findLesson, loadCourse } from '../../src/lessons/course.js';
import { LessonSession } from '../../src/lessons/engine.js';
import { labOptionsFor } from '../../src/lessons/run-lab.js';
import { recordedCreateLab } from '../../src/record/recorded-lab.js';
import { Recorder } from '../../src/record/recorder.js';

async function main(): Promise<void> {
	const [id, port, out, version] = process.argv.slice(2);
	if (!id || !port || !out)
		throw new Error('usage: record-lesson.ts <lesson id> <base port> <out.jsonl.gz> [version]');
	const course = await loadCourse();
	const lesson = findLesson(course, id);
	const recorder = await Recorder.open(out, {
		command: 'learn',
		mode: `lesson ${lesson.order}`,
		lesson: { id: lesson.id, title: lesson.title, order: lesson.order, total: course.length },
	});
	const lab = await recordedCreateLab(
		createLab,
		recorder,
	)({ ...labOptionsFor(lesson, { version }, Number(port)), env: process.env });
	try {
		const session = new LessonSession({ lab, lesson, mode: 'auto', onEvent: recorder.lessonEvent });
		recorder.attachLesson(session);
		const result = await session.run();
		recorder.lessonResult(result);
		for (const m of result.measurements) console.log(`${m.label}: ${m.text}`);
		console.log(result.status, result.failure ?? '');
	} finally {
		await lab.shutdown();
	}
}

main().catch((err: unknown) => {
	console.error(err);
	process.exitCode = 1;
});
