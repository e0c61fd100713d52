// An event-sourced store: every LabEvent goes through the one pure reducer.
// Listeners are told once per macrotask at most, so a burst of log lines (a
// restart prints dozens) becomes one notification instead of dozens.

import type { Watchable } from '../base/wait.js';
import type { LabEvent } from '../observe/events.js';
import type { LabState } from '../observe/state.js';

/** A state to wait on with base/wait.ts's waitFor, fed by `emit`. */
export interface LabStore extends Watchable<LabState> {
	emit(event: LabEvent): void;
}

export function createLabStore(
	initial: LabState,
	reduce: (state: LabState, event: LabEvent) => LabState,
): LabStore {
	let state = initial;
	const listeners = new Set<(state: LabState) => void>();
	let scheduled = false;

	const flush = () => {
		scheduled = false;
		for (const listener of [...listeners]) {
			try {
				listener(state);
			} catch {
				// A broken listener must not stop the others (or the engine).
			}
		}
	};

	return {
		getState: () => state,
		emit(event) {
			const next = reduce(state, event);
			if (next === state) return;
			state = next;
			if (!scheduled && listeners.size > 0) {
				scheduled = true;
				setImmediate(flush);
			}
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
	};
}
