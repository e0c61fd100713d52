// How the Lab's changes become frames. The Lab notifies on every change (probe
// counters, polls, log lines: a few a second on a quiet cluster); the screen draws
// transitions within a frame and routine changes at most once a second, and
// its 1 s clock rides along with those frames: a quiet lab draws one frame a second.

import type { Lab } from '../lab/types.js';
import type { LabState } from '../observe/state.js';

/** At most one screen update per frame: ~20 frames a second while things happen. */
export const FRAME_MS = 50;
/**
 * Changes that are not transitions (probe counters, stream message counts, a poll
 * confirming routes) wait up to this long: counters and sparklines at 1 Hz read fine,
 * and every frame costs Ink a full re-layout and re-tokenising of the screen (measured:
 * ~3 % of a core per frame a second on the 100x30 sandbox, the largest idle cost).
 */
export const ROUTINE_MS = 1000;

export interface FrameStore<T> {
	getSnapshot(): T;
	subscribe(listener: () => void): () => void;
}

/** A transition: something new in the timeline or the logs, or the meta group changed. */
export function isUrgentChange(prev: LabState, next: LabState): boolean {
	return (
		next.timeline !== prev.timeline || next.logs !== prev.logs || next.cluster.meta !== prev.cluster.meta
	);
}

/**
 * Coalesces the Lab's change notifications with a timer: a transition shows within
 * `frameMs` of the previous frame (a burst — a restart prints dozens of log lines —
 * becomes one frame); routine changes within `routineMs`.
 */
export function createFrameStore(
	lab: Pick<Lab, 'getState' | 'subscribe'>,
	frameMs = FRAME_MS,
	routineMs = ROUTINE_MS,
	/** Runs just before listeners hear of a new state (the clock refreshes in the same render). */
	beforeNotify: () => void = () => {},
): FrameStore<LabState> {
	let snapshot = lab.getState();
	let timer: NodeJS.Timeout | null = null;
	let dueAt = 0;
	let lastFlush = 0;
	let unsubscribeLab: (() => void) | null = null;
	const listeners = new Set<() => void>();

	const flush = () => {
		timer = null;
		lastFlush = Date.now();
		const next = lab.getState();
		if (next === snapshot) return;
		snapshot = next;
		beforeNotify();
		for (const listener of [...listeners]) listener();
	};
	const onLabChange = () => {
		const next = lab.getState();
		if (next === snapshot) return;
		const due = lastFlush + (isUrgentChange(snapshot, next) ? frameMs : routineMs);
		if (timer) {
			if (dueAt <= due) return;
			clearTimeout(timer);
		}
		dueAt = due;
		timer = setTimeout(flush, Math.max(0, due - Date.now()));
	};

	return {
		getSnapshot: () => snapshot,
		subscribe(listener) {
			listeners.add(listener);
			if (!unsubscribeLab) {
				unsubscribeLab = lab.subscribe(onLabChange);
				onLabChange();
			}
			return () => {
				listeners.delete(listener);
				if (listeners.size > 0) return;
				unsubscribeLab?.();
				unsubscribeLab = null;
				if (timer) clearTimeout(timer);
				timer = null;
			};
		},
	};
}

export interface ClockStore extends FrameStore<number> {
	/** Read the clock now and tell listeners (in the same task as a state frame: one render). */
	refresh(): void;
}

/**
 * How much later than a tick the clock waits for a state frame before it draws one itself.
 * A steady lab's routine frames come every ROUTINE_MS and carry the clock; a clock ticking on
 * its own phase drew a second frame ~100 ms after each of them (measured on the idle sandbox:
 * two frames a second instead of one, each a full Ink re-layout of the screen).
 */
export const CLOCK_GRACE_MS = 2 * FRAME_MS;

/**
 * The clock behind "for 12s": read again with every state frame (`refresh`, the frame
 * store's beforeNotify), and on its own only when no frame came for a tick and a grace,
 * then once a tick until frames come again. So a quiet lab draws one frame a second.
 */
export function createClockStore(clock: () => number, tickMs = 1000, graceMs = CLOCK_GRACE_MS): ClockStore {
	let now = clock();
	let timer: NodeJS.Timeout | null = null;
	const listeners = new Set<() => void>();
	const disarm = () => {
		if (timer) clearTimeout(timer);
		timer = null;
	};
	/** The next tick in `ms`, while anyone shows a duration. */
	const arm = (ms: number) => {
		disarm();
		if (listeners.size > 0) timer = setTimeout(tick, ms);
	};
	const read = () => {
		const next = clock();
		if (next === now) return;
		now = next;
		for (const l of [...listeners]) l();
	};
	function tick() {
		timer = null;
		read();
		arm(tickMs);
	}
	return {
		getSnapshot: () => now,
		refresh() {
			read();
			arm(tickMs + graceMs);
		},
		subscribe(listener) {
			listeners.add(listener);
			if (!timer) {
				now = clock();
				arm(tickMs);
			}
			return () => {
				listeners.delete(listener);
				if (listeners.size === 0) disarm();
			};
		},
	};
}
