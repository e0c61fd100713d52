// Reads a recording (./format.ts), gzipped or not, back into whole entries: a
// repeated poll becomes its event again and a lesson view change a whole view.
// A file that is not a recording, or of a format this natslab does not know,
// is refused with one line (exit 2, bad input).

import { readFile } from 'node:fs/promises';
import { gunzipSync, constants as zlib } from 'node:zlib';
import { EXIT, UserError, withFsErrors } from '../base/errors.js';
import type { LessonView } from '../lessons/view.js';
import type { PollEvent } from '../observe/events.js';
import {
	RECORDING_FORMAT,
	type RecordEntry,
	type Recording,
	type RecordingHeader,
	type RecordLine,
} from './format.js';
import { applyViewChange } from './view-diff.js';

export async function readRecording(file: string): Promise<Recording> {
	const bytes = await withFsErrors('replay', file, () => readFile(file));
	return parseRecording(file, bytes);
}

export function parseRecording(file: string, bytes: Buffer): Recording {
	const bad = (why: string) => new UserError(`replay: ${file} ${why}`, EXIT.usage);
	let text: string;
	try {
		// Z_SYNC_FLUSH: a gzip cut short (natslab killed before its trailer) gives what it holds.
		const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
		text = (gz ? gunzipSync(bytes, { finishFlush: zlib.Z_SYNC_FLUSH }) : bytes).toString('utf8');
	} catch (err) {
		throw new UserError(`replay: ${file} is not a readable gzip file`, { exitCode: EXIT.usage, cause: err });
	}
	const lines = text.split('\n').filter((l) => l.trim() !== '');
	const header = parseHeader(lines[0], bad);
	const entries: RecordEntry[] = [];
	const lastPoll = new Map<string, PollEvent>();
	let view: LessonView | null = null;
	for (const [i, raw] of lines.slice(1).entries()) {
		let line: RecordLine;
		try {
			line = JSON.parse(raw) as RecordLine;
		} catch (err) {
			// The last line of a recording cut short (natslab killed mid-write) is left out.
			if (i === lines.length - 2) break;
			throw new UserError(`replay: ${file} line ${i + 2} is not JSON`, { exitCode: EXIT.usage, cause: err });
		}
		const entry = toEntry(line, lastPoll, view);
		if (!entry) throw bad(`line ${i + 2} is not a recording line`);
		if (entry.kind === 'view') view = entry.view;
		if (entry.kind === 'lab' && entry.event.kind === 'poll' && entry.event.ok) {
			lastPoll.set(`${entry.event.node} ${entry.event.endpoint}`, entry.event);
		}
		entries.push(entry);
	}
	return { file, header, entries };
}

function parseHeader(first: string | undefined, bad: (why: string) => UserError): RecordingHeader {
	let header: Partial<RecordingHeader>;
	try {
		header = JSON.parse(first ?? '') as Partial<RecordingHeader>;
	} catch {
		throw bad('is not a natslab recording (its first line is not JSON)');
	}
	if (typeof header?.natslabRecording !== 'number') throw bad('is not a natslab recording (no header line)');
	if (header.natslabRecording > RECORDING_FORMAT) {
		throw bad(
			`is recording format ${header.natslabRecording}, made by natslab ${header.natslab ?? '?'}; this natslab reads format ${RECORDING_FORMAT} (update natslab)`,
		);
	}
	if (!Array.isArray(header.nodes) || !header.versions) throw bad('has a header without nodes or versions');
	return header as RecordingHeader;
}

function toEntry(
	line: RecordLine,
	lastPoll: Map<string, PollEvent>,
	view: LessonView | null,
): RecordEntry | null {
	const { t } = line;
	if (typeof t !== 'number') return null;
	if ('lab' in line) return { t, kind: 'lab', event: line.lab };
	if ('same' in line) {
		const [node, endpoint, at] = line.same;
		const previous = lastPoll.get(`${node} ${endpoint}`);
		return previous ? { t, kind: 'lab', event: { ...previous, at } } : null;
	}
	if ('view' in line) return { t, kind: 'view', view: applyViewChange(view, line.view) };
	if ('lesson' in line) return { t, kind: 'lesson', event: line.lesson };
	if ('result' in line) return { t, kind: 'result', result: line.result };
	if ('probes' in line) return { t, kind: 'probes', state: line.probes };
	if ('links' in line) return { t, kind: 'links', state: line.links };
	if ('key' in line) return { t, kind: 'key', key: line.key };
	if ('mark' in line) return { t, kind: 'mark', text: line.mark };
	if ('end' in line) return { t, kind: 'end', reason: line.end };
	return null;
}
