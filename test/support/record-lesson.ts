// Records one real lesson run as a fixture: every LabEvent the lab's store folded in and every
// LessonEvent of the engine, one JSON object a line, in the order they happened, plus the
// lesson's result (what it measured) as the last line. test/unit/lessons/measures-replay.test.ts
// replays such a file through the real reducer and holds each measurement to its definition
// (docs/measurements.md).
//
//   NATSLAB_HOME=/tmp/h2-home npx tsx test/support/record-lesson.ts lose-quorum 23200 out.jsonl [version]
import { createWriteStream } from 'node:fs';
import { createLab } from '../../src/lab/lab.js';
import { findLesson, loadCourse } from '../../src/lessons/course.js';
import { LessonSession } from '../../src/lessons/engine.js';
import { labOptionsFor } from '../../src/lessons/run-lab.js';

export type RecordedLine =
	| { kind: 'lab'; event: import('../../src/observe/events.js').LabEvent }
	| { kind: 'lesson'; at: number; event: import('../../src/lessons/engine.js').LessonEvent }
	| { kind: 'result'; result: import('../../src/lessons/engine.js').LessonResult };

async function main(): Promise<void> {
	const [id, port, out, version] = process.argv.slice(2);
	if (!id || !port || !out)
		throw new Error('usage: record-lesson.ts <lesson id> <base port> <out.jsonl> [version]');
	const lesson = findLesson(await loadCourse(), id);
	const file = createWriteStream(out);
	const write = (line: RecordedLine) => file.write(`${JSON.stringify(line)}\n`);
	const lab = await createLab({
		...labOptionsFor(lesson, { version }, Number(port)),
		env: process.env,
		onLabEvent: (event) => write({ kind: 'lab', event }),
	});
	try {
		const session = new LessonSession({
			lab,
			lesson,
			mode: 'auto',
			onEvent: (event) => write({ kind: 'lesson', at: Date.now(), event }),
		});
		const result = await session.run();
		write({ kind: 'result', result });
		for (const m of result.measurements) console.log(`${m.label}: ${m.text}`);
		console.log(result.status, result.failure ?? '');
	} finally {
		await lab.shutdown();
		await new Promise<void>((resolve) => file.end(resolve));
	}
}

main().catch((err: unknown) => {
	console.error(err);
	process.exitCode = 1;
});
