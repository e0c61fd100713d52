// The recordings natslab ships (assets/recordings/<lesson id>.jsonl.gz, made with
// scripts/make-recordings.mjs on a real `learn <id> --auto --record` run): a lesson
// can be watched with no nats-server binary at all (`natslab replay --lesson ID`).

import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** assets/recordings/ (src/record and dist/app are both two levels below the package). */
export function shippedRecordingsDir(): string {
	return fileURLToPath(new URL('../../assets/recordings/', import.meta.url));
}

export function shippedRecording(lessonId: string): string | null {
	const path = `${shippedRecordingsDir()}${lessonId}.jsonl.gz`;
	return existsSync(path) ? path : null;
}

/** Lesson ids with a shipped recording. */
export function shippedRecordingIds(): string[] {
	try {
		return readdirSync(shippedRecordingsDir())
			.filter((f) => f.endsWith('.jsonl.gz'))
			.map((f) => f.slice(0, -'.jsonl.gz'.length))
			.sort();
	} catch {
		return [];
	}
}
