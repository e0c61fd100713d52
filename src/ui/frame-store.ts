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
 * The clock behind "for 12s": ticks once a second while someone shows a duration,
 * but skips a tick when a state frame refreshed it less than a tick ago, so a
 * quiet lab draws about two frames a second, not three.
 */
export function createClockStore(clock: () => number, tickMs = 1000): ClockStore {
	let now = clock();
	let refreshedAt = 0;
	let interval: NodeJS.Timeout | null = null;
	const listeners = new Set<() => void>();
	const refresh = () => {
		refreshedAt = Date.now();
		const next = clock();
		if (next === now) return;
		now = next;
		for (const l of [...listeners]) l();
	};
	return {
		getSnapshot: () => now,
		refresh,
		subscribe(listener) {
			listeners.add(listener);
			if (!interval) {
				now = clock();
				interval = setInterval(() => {
					if (Date.now() - refreshedAt < tickMs * 0.9) return;
					refresh();
				}, tickMs);
			}
			return () => {
				listeners.delete(listener);
				if (listeners.size === 0 && interval) {
					clearInterval(interval);
					interval = null;
				}
			};
		},
	};
}
