// The reducer of a watched cluster (and of a replay of its recording): the one
// reducer, except that the process events natslab makes up for remote servers
// (presence.ts: pid 0, no process natslab owns) add no timeline entry of their
// own ("w2 starting (pid 0)" would be untrue); the note beside each says what
// the server itself said.

import type { LabEvent } from '../observe/events.js';
import { reduce } from '../observe/reducer.js';
import type { LabState } from '../observe/state.js';

/** reduce(), without the timeline entries of the made-up process events. */
export function reduceWatch(state: LabState, event: LabEvent): LabState {
	const next = reduce(state, event);
	if (event.kind !== 'process' || next.timeline === state.timeline) return next;
	const old = new Set(state.timeline);
	return { ...next, timeline: next.timeline.filter((e) => old.has(e)) };
}
