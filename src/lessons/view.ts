// What the lesson panel shows, as plain data. The engine publishes a new
// LessonView object on every change; Ink components only render it.

import type { NodeName } from '../base/names.js';
import type { Measurement } from './measures.js';

export type LessonPhase =
	| 'starting' // waiting for the lab to be ready (leaders known, clients connected)
	| 'replaying' // resuming: earlier steps are redone automatically on the fresh cluster
	| 'resolving' // waiting until the step's target role can be resolved
	| 'asking' // a check question before or after the step
	| 'action' // waiting for the learner's key
	| 'acting' // natslab performs the action
	| 'waiting' // conditions over the live state
	| 'timedOut' // a wait did not come true in time: wait again (w) or skip (x)
	| 'stepDone' // measurements shown, Enter continues
	| 'finished' // recap
	| 'failed'; // could not go on (auto mode, or an action failed)

export interface WaitView {
	/** What we wait for: "n3 rejoins: routes, meta leader, stream replica caught up". */
	text: string;
	/** What the state says now. */
	status: string;
	met: boolean;
	elapsedMs: number;
	timeoutMs: number;
	steadyMs?: number;
	/** How long it has held so far (steady waits). */
	heldMs?: number;
}

export interface CheckView {
	question: string;
	choices: string[];
	/** Index (0-based) of the learner's answer once given. */
	chosen: number | null;
	correct: boolean | null;
	/** Shown once the right answer is chosen. */
	explain?: string;
	/** After a wrong answer: "not quite – try again". */
	feedback?: string;
}

export interface LessonView {
	lesson: { id: string; title: string; order: number; total: number };
	stepIndex: number;
	stepCount: number;
	stepTitle: string;
	/** Markdown with placeholders filled in (the panel renders it for its width). */
	prose: string;
	phase: LessonPhase;
	target: { node: NodeName; why: string } | null;
	/** "press l to put n3 (the meta leader) into lame duck mode". */
	prompt: string | null;
	waits: WaitView[];
	check: CheckView | null;
	hint: string | null;
	showHint: boolean;
	/** This step's measurements, shown once its wait is over. */
	measurements: Measurement[];
	/** Every measurement so far, for the recap. */
	recap: Measurement[];
	/** A one-line notice: a timeout's explanation, an action error. */
	message: string | null;
	/** A named server condition while waiting (a one-way route, a stuck replica) and its recovery. */
	diagnosis?: { text: string; hint: string } | null;
	/** The keys that do something right now. */
	keys: string;
}

/** A step before it has a target, a prompt, waits, a check or measurements (at the start and each new step). */
export function blankStep(): Pick<
	LessonView,
	'target' | 'prompt' | 'waits' | 'check' | 'hint' | 'showHint' | 'measurements'
> {
	return {
		target: null,
		prompt: null,
		waits: [],
		check: null,
		hint: null,
		showHint: false,
		measurements: [],
	};
}

/** "a–c" for three choices: the letters the question takes, never more (a–d read as four answers). */
function answerLetters(choices: number): string {
	const last = String.fromCharCode('a'.charCodeAt(0) + Math.max(1, choices) - 1);
	return choices <= 1 ? 'a' : `a–${last}`;
}

export function keysFor(phase: LessonPhase, hasHint: boolean, choices = 4): string {
	const hint = hasHint ? ' · h hint' : '';
	switch (phase) {
		case 'action':
			return `press the key shown${hint}`;
		case 'asking':
			return `${answerLetters(choices)} answer${hint}`;
		case 'timedOut':
			// Not r/s: those stay the node keys (restart is often the fix).
			return `w wait again · x skip this step${hint}`;
		case 'stepDone':
			return 'enter continue';
		case 'finished':
			return 'enter back to the lessons';
		case 'failed':
			return 'enter back to the lessons';
		default:
			return hasHint ? 'h hint' : '';
	}
}

/**
 * The course's last lesson. Orders are unique and run 1…total in the course (the "[4/9]" of
 * `learn --auto` counts the same way), so the last lesson's order is the total.
 */
export function isLastLesson(lesson: { order: number; total: number }): boolean {
	return lesson.order >= lesson.total;
}

/** What the last lesson's recap (and `learn --auto`'s last line) says: the course is done, and what next. */
export const COURSE_COMPLETE = {
	title: '★ Course complete: that was the last lesson.',
	next: 'What next: `natslab rehearse --from V --to V` rehearses a rolling upgrade of your own versions and reports what it cost; `natslab sandbox` is the live dashboard without a lesson; `natslab cluster up` leaves a cluster running for your scripts and the nats CLI.',
} as const;

/**
 * `learn --auto`'s last line when the last lesson ran and PASSED, else null: a skipped last
 * lesson (its own version cannot be had) did not complete the course.
 */
export function courseCompleteLine(
	ran: readonly { id: string; order: number }[],
	results: readonly { id: string; status: string }[],
	total: number,
): string | null {
	const passed = new Set(results.filter((r) => r.status === 'done').map((r) => r.id));
	return ran.some((l) => passed.has(l.id) && isLastLesson({ order: l.order, total }))
		? `${COURSE_COMPLETE.title} ${COURSE_COMPLETE.next}`
		: null;
}
