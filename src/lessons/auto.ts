// `natslab learn --auto`: runs lessons unattended on fresh clusters, natslab
// pressing the learner's keys itself, and prints each step with what the
// cluster measured. The instructors' laptop check and the course's regression
// test. Every lab is shut down before its lane starts the next one, pass or fail;
// with --jobs N, N lanes run lessons side by side on their own ports.

import { formatMs } from '../base/format.js';
import { DEFAULT_BASE_PORT, DEFAULT_NODES } from '../base/names.js';
import { chooseLaneBases } from '../cluster/ports.js';
import type { CreateLabOptions } from '../lab/lab.js';
import type { Lab } from '../lab/types.js';
import { unavailableVersionOf } from '../lab/version-unavailable.js';
import type { LabEvent } from '../observe/events.js';
import { type LessonEvent, type LessonResult, LessonSession } from './engine.js';
import { InOrder } from './in-order.js';
import type { Lesson } from './load.js';
import { LESSON_WORKSPACE, labOptionsFor, ownVersionNote, type VersionChoice } from './run-lab.js';

export interface AutoOptions {
	lessons: Lesson[];
	/** Lessons in the whole course (for "[4/9]"). */
	total: number;
	createLab: (opts: CreateLabOptions) => Promise<Lab>;
	choice: VersionChoice;
	basePort?: number;
	/**
	 * Lessons run at a time (`--jobs`, default 1), each lane on its own workspace and port block;
	 * the lines still come out in course order (./in-order.ts).
	 */
	jobs?: number;
	env: NodeJS.ProcessEnv;
	signal?: AbortSignal;
	/** Human progress lines; omitted for --json. */
	print?: (line: string) => void;
	/** As soon as a lesson has ended (to save progress: a Ctrl-C while a lesson beside it runs loses nothing). */
	onLesson?: (lesson: Lesson, result: LessonReport) => Promise<void> | void;
	/** After a lesson's last lines, in course order (the --quiet line). */
	onLessonShown?: (lesson: Lesson, result: LessonReport) => void;
	/** learn --auto --record: a recording per lesson (src/record/recorder.ts's Recorder). */
	record?: (lesson: Lesson) => Promise<LessonRecording>;
}

/** What runAuto tells a lesson's recording: the lab's events from the first, the lab, the session. */
export interface LessonRecording {
	labEvent(e: LabEvent): void;
	attachLab(lab: Lab): void;
	attachLesson(session: LessonSession): void;
	lessonEvent(e: LessonEvent): void;
	lessonResult(r: LessonResult): void;
	close(): Promise<void>;
}

export interface LessonReport extends LessonResult {
	version: string;
	upgradeTo: string | null;
	setupMs: number;
	/** Stopping the lesson's probes and servers (what the course pays between lessons). */
	shutdownMs?: number;
	/** With --jobs N (N > 1): the lane (1..N) the lesson ran in. */
	lane?: number;
}

export interface AutoReport {
	ok: boolean;
	ms: number;
	/** With --jobs N (N > 1): lessons run at a time. */
	jobs?: number;
	lessons: LessonReport[];
	/** The first failure, one line. */
	failure?: string;
}

export async function runAuto(opts: AutoOptions): Promise<AutoReport> {
	const began = Date.now();
	const lanes = await laneSettings(opts);
	const order = new InOrder(opts.lessons.length, opts.print ?? (() => {}));
	const reports: (LessonReport | undefined)[] = [];
	const ends: Promise<void>[] = [];
	let next = 0;
	let stopped = false;
	// Each lane takes the next lesson in course order until none is left or one has failed
	// (the lessons other lanes are running then still end, and are reported).
	const lane = async (setting: Lane, k: number) => {
		while (!stopped && !opts.signal?.aborted && next < opts.lessons.length) {
			const i = next++;
			const lesson = opts.lessons[i] as Lesson;
			const print = (line: string) => order.line(i, line);
			// An error no report could hold (a recording that cannot be opened) stops every lane's next lesson.
			const report = await runLesson(lesson, setting, opts, print).catch((err: unknown) => {
				stopped = true;
				throw err;
			});
			if (lanes.length > 1) report.lane = k + 1;
			reports[i] = report;
			if (report.status !== 'done' && report.status !== 'skipped') stopped = true;
			const saved = Promise.resolve(opts.onLesson?.(lesson, report));
			// Its failure is reported once, through the lesson's end below (not as an unhandled rejection first).
			saved.catch(() => {});
			ends.push(
				order.end(i, async () => {
					await saved;
					printEnd(report, print);
					opts.onLessonShown?.(lesson, report);
				}),
			);
		}
	};
	const settled = await Promise.allSettled(lanes.map(lane));
	const errors = [...settled, ...(await Promise.allSettled(ends))].filter((r) => r.status === 'rejected');
	if (errors[0]) throw errors[0].reason;
	const ran = reports.filter((r): r is LessonReport => r !== undefined);
	const failed = ran.find((r) => r.status !== 'done' && r.status !== 'skipped');
	const ok = !failed && ran.length === opts.lessons.length;
	return {
		ok,
		ms: Date.now() - began,
		...(lanes.length > 1 ? { jobs: lanes.length } : {}),
		lessons: ran,
		...(failed
			? { failure: failed.failure ?? `${failed.id}: ${failed.status}` }
			: !ok
				? { failure: 'stopped' }
				: {}),
	};
}

/** Where a lane starts its clusters: its own workspace and, side by side, its own port block. */
interface Lane {
	workspace: string;
	basePort?: number;
}

/**
 * One lane: the lessons' workspace and --base-port as given. N lanes: workspaces `lessons`,
 * `lessons-2` …, and N port blocks chosen up front (cluster/ports.ts chooseLaneBases).
 */
async function laneSettings(opts: AutoOptions): Promise<Lane[]> {
	const count = Math.max(1, Math.min(opts.jobs ?? 1, opts.lessons.length));
	if (count === 1) return [{ workspace: LESSON_WORKSPACE, basePort: opts.basePort }];
	const bases = await chooseLaneBases({
		nodes: DEFAULT_NODES,
		lanes: count,
		explicitBase: opts.basePort,
		searchFrom: DEFAULT_BASE_PORT,
		proxied: opts.lessons.some((l) => l.links === 'proxied'),
	});
	return bases.map((basePort, k) => ({ workspace: laneWorkspace(k), basePort }));
}

/** The workspace of lane k (0-based): `lessons`, then `lessons-2`, `lessons-3` … */
export function laneWorkspace(k: number): string {
	return k === 0 ? LESSON_WORKSPACE : `${LESSON_WORKSPACE}-${k + 1}`;
}

/** One lesson on a fresh cluster, its lines through `print`; every server stopped when it returns. */
async function runLesson(
	lesson: Lesson,
	lane: Lane,
	opts: AutoOptions,
	print: (line: string) => void,
): Promise<LessonReport> {
	const { ownVersion, ...labOpts } = {
		...labOptionsFor(lesson, opts.choice, lane.basePort),
		workspace: lane.workspace,
	};
	const versions = labOpts.upgradeTo ? `${labOpts.version} → ${labOpts.upgradeTo}` : labOpts.version;
	print(`[${lesson.order}/${opts.total}] ${lesson.title}  (${lesson.id}, nats-server ${versions})`);
	const note = ownVersionNote(lesson, opts.choice);
	if (note) print(note);
	const setupBegan = Date.now();
	let lab: Lab | null = null;
	let report: LessonReport;
	let downBegan = Date.now();
	const recording = await opts.record?.(lesson);
	try {
		lab = await createWithOneRetry(opts, { ...labOpts, onLabEvent: recording?.labEvent }, print);
		recording?.attachLab(lab);
		const setupMs = Date.now() - setupBegan;
		print(`  cluster up in ${formatMs(setupMs)}`);
		const session = new LessonSession({
			lab,
			lesson,
			total: opts.total,
			mode: 'auto',
			signal: opts.signal,
			onEvent: (e) => {
				printEvent(e, lesson, print);
				recording?.lessonEvent(e);
			},
		});
		recording?.attachLesson(session);
		const result = await session.run();
		recording?.lessonResult(result);
		report = { ...result, version: labOpts.version, upgradeTo: labOpts.upgradeTo ?? null, setupMs };
	} catch (err) {
		const why = err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
		// A lesson on its own version (versions.fallback) whose binary cannot be had is skipped, said why.
		const skip = ownVersion === true && unavailableVersionOf(err) === labOpts.version;
		report = {
			id: lesson.id,
			title: lesson.title,
			status: skip ? 'skipped' : 'failed',
			// No step ran: the time went into the set-up (setupMs), counted once.
			ms: 0,
			steps: [],
			measurements: [],
			failure: skip
				? `${lesson.id}: needs nats-server ${labOpts.version}, which cannot be had here: ${why}`
				: `${lesson.id}: could not start the cluster: ${why}`,
			version: labOpts.version,
			upgradeTo: labOpts.upgradeTo ?? null,
			setupMs: Date.now() - setupBegan,
		};
	} finally {
		downBegan = Date.now();
		// The recording ends with the lesson, not with its servers stopping.
		await recording?.close();
		await lab?.shutdown();
	}
	report.shutdownMs = Date.now() - downBegan;
	return report;
}

/** A lesson's last lines: its recap and ✓, the skip, or the failure with the servers' named condition. */
function printEnd(report: LessonReport, print: (line: string) => void): void {
	if (report.status === 'done') {
		printRecap(report, print);
		print(
			`  ✓ passed in ${formatMs(report.ms + report.setupMs)} (+ ${formatMs(report.shutdownMs ?? 0)} to shut down)`,
		);
	} else if (report.status === 'skipped') {
		print(`  – skipped: ${report.failure ?? 'not run'}`);
	} else {
		print(`  ✗ ${report.status}${report.failure ? `: ${report.failure}` : ''}`);
		for (const d of report.diagnoses ?? []) {
			print(`    ${d.kind} (a server condition, not a natslab fault): ${d.evidence.join(' · ')}`);
			print(`    recovery: ${d.hint}`);
		}
	}
}

/**
 * A fresh cluster occasionally cannot place the lab stream at all (2.10.27 answered
 * `no suitable peers for placement` for 30 s once in ~20 starts here). One more
 * fresh cluster, said out loud, keeps a laptop check from failing on that alone.
 */
async function createWithOneRetry(
	opts: AutoOptions,
	labOpts: ReturnType<typeof labOptionsFor>,
	print: (line: string) => void,
): Promise<Lab> {
	try {
		return await opts.createLab({ ...labOpts, env: opts.env, signal: opts.signal });
	} catch (err) {
		// A binary no source could give will not come on a second try either.
		if (opts.signal?.aborted || unavailableVersionOf(err) !== null) throw err;
		const why = err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
		print(`  cluster set-up failed (${why}); trying once more on a fresh cluster`);
		return opts.createLab({ ...labOpts, env: opts.env, signal: opts.signal });
	}
}

function printEvent(e: LessonEvent, lesson: Lesson, print: (line: string) => void): void {
	const count = lesson.steps.length;
	switch (e.type) {
		case 'step-start': {
			const target = e.target ? `  → ${e.target.node} (${e.target.why})` : '';
			print(`  ${e.index + 1}/${count} ${e.title}${target}`);
			return;
		}
		case 'action':
			print(`      natslab: ${e.text}${e.by === 'learner' ? ' (the learner’s key)' : ''}`);
			return;
		case 'waiting':
			return;
		case 'step-end': {
			for (const w of e.result.waits) print(`      ${w.met ? '✓' : '·'} ${w.text}: ${w.status}`);
			if (e.result.check) print(`      ? ${e.result.check.question} → ${e.result.check.answer}`);
			for (const m of e.result.measurements) print(`      ${m.label}: ${m.text}`);
			print(`      (${formatMs(e.result.ms)})`);
		}
	}
}

function printRecap(report: LessonReport, print: (line: string) => void): void {
	if (report.measurements.length === 0) return;
	print('  recap – what your cluster measured:');
	for (const m of report.measurements) print(`    ${m.label}: ${m.text}`);
}
