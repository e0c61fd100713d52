// Replays a lesson run recorded by ./record-lesson.ts through the real reducer: the state at
// every lesson event (step start, action, step end) exactly as the engine saw it, and the raw
// events between, so a test can hold each measurement against the events that define it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { NodeName } from '../../src/base/names.js';
import type { LessonResult, StepResult } from '../../src/lessons/engine.js';
import type { Measurement } from '../../src/lessons/measures.js';
import type { LabEvent } from '../../src/observe/events.js';
import { initialLabState, reduce } from '../../src/observe/reducer.js';
import type { LabState } from '../../src/observe/state.js';
import { parseRecording } from '../../src/record/read.js';

/** A line of the first fixtures (before natslab's own recording format); a recording reads as the same. */
type RecordedLine =
	| { kind: 'lab'; event: LabEvent }
	| { kind: 'lesson'; at: number; event: import('../../src/lessons/engine.js').LessonEvent }
	| { kind: 'result'; result: LessonResult };

/** The lines of a fixture: natslab's recording format (docs/recording.md), or the first fixtures' own. */
function fixtureLines(
	file: string,
	bytes: Buffer,
): { lines: RecordedLine[]; addressBook?: Record<string, NodeName> } {
	const text = gunzipSync(bytes).toString('utf8');
	if (!text.startsWith('{"natslabRecording"')) {
		const lines = text
			.split('\n')
			.filter((l) => l.trim() !== '')
			.map((l) => JSON.parse(l) as RecordedLine);
		return { lines };
	}
	const rec = parseRecording(file, bytes);
	const lines = rec.entries.flatMap((e): RecordedLine[] => {
		if (e.kind === 'lab') return [{ kind: 'lab', event: e.event }];
		if (e.kind === 'lesson') return [{ kind: 'lesson', at: e.t, event: e.event }];
		if (e.kind === 'result') return [{ kind: 'result', result: e.result }];
		return [];
	});
	return { lines, addressBook: rec.header.addressBook };
}

export const LESSON_RUNS = join(import.meta.dirname, '..', 'fixtures', 'lesson-runs');

export interface ReplayedStep {
	index: number;
	title: string;
	startedAt: number;
	/** The lesson's action event (natslab about to act), if the step had one. */
	actionAt: number | null;
	atStart: LabState;
	/** The state the engine measured from when its action began (measurement windows start here). */
	beforeAction: LabState | null;
	atEnd: LabState;
	endedAt: number;
	/** The lab's events from the step's start to its end, in order. */
	events: LabEvent[];
	/** How many of `events` came before the action (beforeAction has them folded in). */
	eventsBeforeAction: number;
	result: StepResult;
}

export interface ReplayedRun {
	steps: ReplayedStep[];
	result: LessonResult;
	/** Every lab event of the run, in order. */
	events: LabEvent[];
	atLesson: LabState;
}

/** `<id>.jsonl.gz` in test/fixtures/lesson-runs, recorded on client ports basePort..basePort+2. */
export function replayLessonRun(file: string, basePort: number): ReplayedRun {
	const { lines, addressBook: recorded } = fixtureLines(file, readFileSync(join(LESSON_RUNS, file)));
	const nodes: NodeName[] = ['n1', 'n2', 'n3'];
	const addressBook: Record<string, NodeName> = { ...recorded };
	if (!recorded)
		nodes.forEach((n, i) => {
			addressBook[`127.0.0.1:${basePort + i}`] = n;
			addressBook[`localhost:${basePort + i}`] = n;
		});
	let state = initialLabState({ nodes, addressBook });
	const events: LabEvent[] = [];
	const steps: ReplayedStep[] = [];
	let open: Omit<ReplayedStep, 'atEnd' | 'endedAt' | 'result'> | null = null;
	let atLesson: LabState | null = null;
	let result: LessonResult | null = null;
	for (const line of lines) {
		if (line.kind === 'lab') {
			state = reduce(state, line.event);
			events.push(line.event);
			open?.events.push(line.event);
			continue;
		}
		if (line.kind === 'result') {
			result = line.result;
			continue;
		}
		const e = line.event;
		if (e.type === 'step-start') {
			atLesson ??= state;
			open = {
				index: e.index,
				title: e.title,
				startedAt: line.at,
				actionAt: null,
				atStart: state,
				beforeAction: null,
				events: [],
				eventsBeforeAction: 0,
			};
		} else if (e.type === 'action' && open) {
			open.actionAt = line.at;
			open.beforeAction = state;
			open.eventsBeforeAction = open.events.length;
		} else if (e.type === 'step-end' && open) {
			steps.push({ ...open, atEnd: state, endedAt: line.at, result: e.result });
			open = null;
		}
	}
	if (!result || !atLesson) throw new Error(`${file}: no lesson result recorded`);
	return { steps, result, events, atLesson };
}

export function measurement(step: ReplayedStep, name: string): Measurement {
	const m = step.result.measurements.find((x) => x.name === name);
	if (!m) throw new Error(`step ${step.index + 1} recorded no ${name}`);
	return m;
}

export function stepRecording(run: ReplayedRun, name: string): ReplayedStep {
	const step = run.steps.find((s) => s.result.measurements.some((m) => m.name === name));
	if (!step) throw new Error(`no step recorded ${name}`);
	return step;
}

/** "776 sent, 760 received, 0 lost, 8 missed while core-sub moved (…), 8 still in flight" → numbers; null when it says not comparable. */
export function coreCounts(text: string) {
	const m =
		/^(\d+) sent, (\d+) received, (\d+) lost(?:, (\d+) missed while core-sub (?:moved|was disconnected)[^,]*)?(?:, (\d+) still in flight)?/.exec(
			text,
		);
	if (!m) return null;
	return {
		sent: Number(m[1]),
		received: Number(m[2]),
		lost: Number(m[3]),
		away: Number(m[4] ?? 0),
		inFlight: Number(m[5] ?? 0),
	};
}
