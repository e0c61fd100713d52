// The recording format (docs/recording.md): JSON lines. The first line is a header
// (what was recorded, on which versions, nodes and terminal); every other line is
// one thing the screen was built from, stamped with natslab's clock (`t`, ms since
// the epoch) when it happened: a LabEvent as emitted (before the reducer folds it),
// a lesson view (only the fields that changed), a lesson event, the probes' start-up
// and the link proxies' state, a key press, a mark, the end. Version 1.

import type { PairStatus } from '../cluster/links/pairs.js';
import type { ProbeStartup } from '../lab/types.js';
import type { LessonEvent, LessonResult } from '../lessons/results.js';
import type { LessonView } from '../lessons/view.js';
import type { LabEvent } from '../observe/events.js';

export const RECORDING_FORMAT = 1;

/** Stop writing past this many bytes of JSON (docs/recording.md "Secrets and size": ~14 hours of a sandbox). */
export const RECORDING_LIMIT_BYTES = 200 * 1024 * 1024;

export interface RecordingHeader {
	/** The format version; a reader refuses versions it does not know. */
	natslabRecording: number;
	natslab: string;
	/** sandbox, learn, rehearse, watch. */
	command: string;
	/** The screen's mode line ("sandbox", "lesson 6"). */
	mode: string;
	recordedAt: string;
	/** The lab's nodes and client address book: the reducer's initial state (observe/reducer.ts). */
	nodes: string[];
	addressBook: Record<string, string>;
	/** The cluster's name as the live screen showed it (a watched cluster's own; absent before 0.x: "lab"). */
	clusterName?: string;
	versions: { initial: string; upgradeTo: string | null };
	/** The recording terminal's size (null without one, e.g. learn --auto). */
	terminal: { cols: number; rows: number } | null;
	lesson: { id: string; title: string; order: number; total: number } | null;
	/** Set when the recorded lab could not act either (a watched cluster). */
	readOnly?: string;
}

/** One line after the header, as written. */
export type RecordLine =
	| { t: number; lab: LabEvent }
	/** A poll that answered exactly what the previous one of that node and endpoint did: [node, endpoint, at]. */
	| { t: number; same: [string, string, number] }
	/** The lesson panel: the first is whole, the next ones carry only the fields that changed. */
	| { t: number; view: Partial<LessonView> }
	| { t: number; lesson: LessonEvent }
	| { t: number; result: LessonResult }
	| { t: number; probes: ProbeStartup }
	| { t: number; links: PairStatus[] | null }
	| { t: number; key: string }
	| { t: number; mark: string }
	| { t: number; end: string };

/** A line as the reader gives it back: polls and views made whole again. */
export type RecordEntry =
	| { t: number; kind: 'lab'; event: LabEvent }
	| { t: number; kind: 'view'; view: LessonView }
	| { t: number; kind: 'lesson'; event: LessonEvent }
	| { t: number; kind: 'result'; result: LessonResult }
	| { t: number; kind: 'probes'; state: ProbeStartup }
	| { t: number; kind: 'links'; state: PairStatus[] | null }
	| { t: number; kind: 'key'; key: string }
	| { t: number; kind: 'mark'; text: string }
	| { t: number; kind: 'end'; reason: string };

export interface Recording {
	file: string;
	header: RecordingHeader;
	entries: RecordEntry[];
}
