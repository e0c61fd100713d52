// How Ink components reach the Lab: state through a frame-batched subscription
// (useLabState), commands through useLabActions. Components never spawn, fetch
// or poll; this file is the only place that subscribes to the Lab.

import { useStdout } from 'ink';
import {
	createContext,
	type ReactNode,
	useContext,
	useEffect,
	useMemo,
	useState,
	useSyncExternalStore,
} from 'react';
import type { ActionSource, NodeAction } from '../cluster/types.js';
import type { Lab } from '../lab/types.js';
import type { LabEvent } from '../observe/events.js';
import type { LabState } from '../observe/state.js';

/** At most one screen update per frame: ~20 frames a second while things happen. */
export const FRAME_MS = 50;
/**
 * Changes that are not transitions (probe counters, stream message counts, a poll
 * confirming routes) wait up to this long: counters at 2 Hz read fine, and a quiet
 * lab then costs a few frames a second instead of one per poll.
 */
export const ROUTINE_MS = 500;

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

export interface LabActions {
	/** Ask the Lab for a node operation; the Lab records it in the timeline. */
	act(action: NodeAction): Promise<void>;
	/** Feed a note or another event in. */
	emit(event: LabEvent): void;
	versions: Lab['versions'];
}

interface LabHandle {
	store: FrameStore<LabState>;
	clock: FrameStore<number>;
	readClock: () => number;
	actions: LabActions;
}

const LabContext = createContext<LabHandle | null>(null);

export interface LabProviderProps {
	lab: Lab;
	children: ReactNode;
	/** Who the actions are from: 'sandbox' for free play, 'learner' in the course. */
	source?: ActionSource;
	/** Wall clock for durations ("for 12s"); tests pass a fixed one. */
	clock?: () => number;
	frameMs?: number;
	routineMs?: number;
}

export function LabProvider({
	lab,
	children,
	source = 'learner',
	clock = Date.now,
	frameMs = FRAME_MS,
	routineMs = ROUTINE_MS,
}: LabProviderProps) {
	const handle = useMemo<LabHandle>(() => {
		const clockStore = createClockStore(clock);
		return {
			store: createFrameStore(lab, frameMs, routineMs, clockStore.refresh),
			clock: clockStore,
			readClock: clock,
			actions: {
				act: (action) => lab.act(action, source),
				emit: (event) => lab.emit(event),
				versions: lab.versions,
			},
		};
	}, [lab, source, clock, frameMs, routineMs]);
	return <LabContext.Provider value={handle}>{children}</LabContext.Provider>;
}

function useHandle(): LabHandle {
	const handle = useContext(LabContext);
	if (!handle) throw new Error('useLabState/useLabActions need a <LabProvider>');
	return handle;
}

/** The Lab's state, at most one new value per frame. */
export function useLabState(): LabState {
	const { store } = useHandle();
	return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/** The latest state without subscribing (for key handlers that run between frames). */
export function useLabStateReader(): () => LabState {
	return useHandle().store.getSnapshot;
}

export function useLabActions(): LabActions {
	return useHandle().actions;
}

/** The screen's clock, read now (for stamping feedback with the same clock the durations use). */
export function useClockReader(): () => number {
	return useHandle().readClock;
}

/** Wall-clock ms, refreshed once a second. */
export function useNow(): number {
	const { clock } = useHandle();
	return useSyncExternalStore(clock.subscribe, clock.getSnapshot);
}

export interface TerminalSize {
	cols: number;
	rows: number;
}

const TerminalSizeContext = createContext<TerminalSize | null>(null);

/** Fixes the size the screen lays itself out for (tests; the real screen follows stdout). */
export function TerminalSizeProvider({ size, children }: { size: TerminalSize; children: ReactNode }) {
	return <TerminalSizeContext.Provider value={size}>{children}</TerminalSizeContext.Provider>;
}

/** Columns and rows of the terminal, updated on resize. */
export function useTerminalSize(): TerminalSize {
	const fixed = useContext(TerminalSizeContext);
	const { stdout } = useStdout();
	const read = (): TerminalSize => ({ cols: stdout.columns || 80, rows: stdout.rows || 24 });
	const [size, setSize] = useState(read);
	useEffect(() => {
		if (fixed) return;
		const onResize = () => setSize({ cols: stdout.columns || 80, rows: stdout.rows || 24 });
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout, fixed]);
	return fixed ?? size;
}
