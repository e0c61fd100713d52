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
import type { ActionSource, NodeAction } from '../base/names.js';
import type { Watchable } from '../base/wait.js';
import type { PairStatus } from '../cluster/links/pairs.js';
import type { LinkOp } from '../cluster/links/table.js';
import type { Lab, LabElection, ProbeStartup } from '../lab/types.js';
import type { LabEvent } from '../observe/events.js';
import type { LabState } from '../observe/state.js';
import { createClockStore, createFrameStore, FRAME_MS, type FrameStore, ROUTINE_MS } from './frame-store.js';

export { FRAME_MS, ROUTINE_MS };

export interface LabActions {
	/** Ask the Lab for a node operation; the Lab records it in the timeline. */
	act(action: NodeAction): Promise<void>;
	/** Feed a note or another event in. */
	emit(event: LabEvent): void;
	/** Cut or heal links (a lab with proxied links; rejects with why otherwise). */
	changeLinks(op: LinkOp): Promise<unknown>;
	versions: Lab['versions'];
	/** The Lab's readOnly label: no node keys are offered (a replay, a watched cluster). */
	readOnly: string | null;
}

interface LabHandle {
	store: FrameStore<LabState>;
	probeStartup: FrameStore<ProbeStartup>;
	election: FrameStore<LabElection | null>;
	links: FrameStore<PairStatus[] | null>;
	connectionProblem: FrameStore<string | null>;
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
			probeStartup: watchableStore(lab.probeStartup, NO_PROBE_STARTUP),
			election: watchableStore(lab.election, null),
			links: watchableStore(lab.linkState, null),
			connectionProblem: watchableStore(lab.connectionProblem, null),
			readClock: clock,
			actions: {
				act: (action) => lab.act(action, source),
				emit: (event) => lab.emit(event),
				changeLinks: (op) =>
					lab.changeLinks?.(op, source) ?? Promise.reject(new Error('this lab cannot change links')),
				versions: lab.versions,
				readOnly: lab.readOnly ?? null,
			},
		};
	}, [lab, source, clock, frameMs, routineMs]);
	return <LabContext.Provider value={handle}>{children}</LabContext.Provider>;
}

const NO_PROBE_STARTUP: ProbeStartup = { phase: 'none' };

/** One of the Lab's small Watchables as a store React can read (a test double without one has `none`). */
function watchableStore<S>(source: Watchable<S> | undefined, none: S): FrameStore<S> {
	if (!source) return { getSnapshot: () => none, subscribe: () => () => {} };
	return {
		getSnapshot: () => source.getState(),
		subscribe: (listener) => source.subscribe(() => listener()),
	};
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

/**
 * One part of the Lab's state (`select` returns a part of the state itself, e.g. `s.logs`): the
 * component re-renders when that part changed, not on every frame. A quiet lab draws a frame a
 * second for its counters and clock; the logs and the timeline rarely change between two.
 */
export function useLabSelector<T>(select: (state: LabState) => T): T {
	const { store } = useHandle();
	return useSyncExternalStore(store.subscribe, () => select(store.getSnapshot()));
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

/** How the probes the Lab was created with are coming up (a few changes, each shown at once). */
export function useProbeStartup(): ProbeStartup {
	const { probeStartup } = useHandle();
	return useSyncExternalStore(probeStartup.subscribe, probeStartup.getSnapshot);
}

/** natslab's check of the first meta leader election while it runs behind the screen; null when none does. */
export function useElection(): LabElection | null {
	const { election } = useHandle();
	return useSyncExternalStore(election.subscribe, election.getSnapshot);
}

/** A watch's own link to its cluster while it is not up (the header shows it instead); null otherwise. */
export function useConnectionProblem(): string | null {
	const { connectionProblem } = useHandle();
	return useSyncExternalStore(connectionProblem.subscribe, connectionProblem.getSnapshot);
}

/** The pair proxies of a lab with proxied links (cut, delayed, open); null for direct links. */
export function useLinkState(): PairStatus[] | null {
	const { links } = useHandle();
	return useSyncExternalStore(links.subscribe, links.getSnapshot);
}

/** Reads the pair proxies' state now (a key handler between renders); null for direct links. */
export function useLinkStateReader(): () => PairStatus[] | null {
	return useHandle().links.getSnapshot;
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
