// The replayer's small parts: its status (what the replay bar shows), the speeds,
// where lesson steps start, and which changes `n` stops at.

import type { LabState } from '../observe/state.js';
import type { RecordEntry } from './format.js';

export const SPEEDS = [0.5, 1, 2, 4, 8] as const;

/** A replay lab's readOnly label (the header and help say it; help then lists the replay's keys). */
export const REPLAY_LABEL = 'replay';

export interface ReplayStatus {
	file: string;
	/** ms from the recording's first line. */
	at: number;
	duration: number;
	speed: number;
	playing: boolean;
	ended: boolean;
	/** The lesson step on screen (null: no lesson). */
	step: { index: number; count: number } | null;
	/** How many step starts `<` `>` can jump to. */
	steps: number;
}

/** What changed in the learner's recorded keys as the replay moved. */
export interface RecordedKeysChange {
	/** The replay went back: the screen's view starts again from its first state, then takes `keys`. */
	reset: boolean;
	keys: readonly string[];
}

/** The keys pressed on the live dashboard, as the replay reaches them: the replayed screen follows them. */
export interface RecordedKeys {
	/** Every key pressed on the dashboard up to the replay's position, oldest first. */
	keysSoFar(): readonly string[];
	subscribeKeys(listener: (change: RecordedKeysChange) => void): () => void;
}

/** What the screen's replay bar and keys use of a Replayer. */
export interface ReplayControl extends RecordedKeys {
	getStatus(): ReplayStatus;
	subscribeStatus(listener: (s: ReplayStatus) => void): () => void;
	/** The recording's clock at the replay's position (the screen's "for 12s"). */
	clock(): number;
	toggle(): void;
	changeSpeed(by: 1 | -1): void;
	nextChange(): boolean;
	back(ms?: number): void;
	step(by: 1 | -1): boolean;
}

export class Listeners<S> {
	private readonly set = new Set<(s: S) => void>();
	add(listener: (s: S) => void): () => void {
		this.set.add(listener);
		return () => this.set.delete(listener);
	}
	tell(s: S): void {
		for (const l of [...this.set]) {
			try {
				l(s);
			} catch {
				// One broken listener must not stop the replay.
			}
		}
	}
}

/** The recorded keys a replay has reached; after a seek back, told again from the first with `reset`. */
export class KeyFeed {
	readonly listeners = new Listeners<RecordedKeysChange>();
	soFar: readonly string[] = [];
	private wasReset = false;
	reset(): void {
		this.soFar = [];
		this.wasReset = true;
	}
	/** Keys folded just now (none: only a pending reset is told). */
	tell(keys: readonly string[]): void {
		if (keys.length === 0 && !this.wasReset) return;
		this.soFar = [...this.soFar, ...keys];
		const reset = this.wasReset;
		this.wasReset = false;
		this.listeners.tell({ reset, keys });
	}
}

/** Entries where a lesson step (or the recap) first shows: the targets of `<` and `>`. */
export function stepStarts(entries: readonly RecordEntry[]): { entry: number; step: number }[] {
	const out: { entry: number; step: number }[] = [];
	let last: number | null = null;
	for (const [i, e] of entries.entries()) {
		if (e.kind !== 'view' || e.view.phase === 'starting') continue;
		const step = e.view.phase === 'finished' ? Number.POSITIVE_INFINITY : e.view.stepIndex;
		if (step !== last) out.push({ entry: i, step });
		last = step;
	}
	return out;
}

/** What `n` stops at: a leader, a node's process or role, or a client's connection changed. */
export function visibleChange(before: LabState, after: LabState): boolean {
	return before !== after && signature(before) !== signature(after);
}

function signature(s: LabState): string {
	const c = s.cluster;
	return JSON.stringify([
		c.meta.leader,
		Object.values(c.streams).map((x) => [x.name, x.leader]),
		Object.values(c.consumers).map((x) => [x.name, x.leader]),
		c.order.map((n) => {
			const node = c.nodes[n];
			return [node?.process, node?.version, node?.seesMetaLeader];
		}),
		s.clients.order.map((p) => [s.clients.probes[p]?.state, s.clients.probes[p]?.node]),
	]);
}
