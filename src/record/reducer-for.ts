// How a replay folds a recording: with the reducer and the initial state the live
// lab used. A watched cluster folded with reduceWatch (its made-up process events
// add no timeline entry) and carried the servers' own cluster name; every other
// lab folded with the one reducer (observe/reducer.ts).

import { initialLabState, reduce } from '../observe/reducer.js';
import type { LabState } from '../observe/state.js';
import { reduceWatch } from '../watch/reduce.js';
import type { RecordingHeader } from './format.js';

export type LabReducer = typeof reduce;

/** The reducer the recorded lab folded its events with. */
export function reducerFor(header: Pick<RecordingHeader, 'command'>): LabReducer {
	return header.command === 'watch' ? reduceWatch : reduce;
}

/** The recorded lab's state before its first event. */
export function initialStateOf(header: RecordingHeader): LabState {
	const { nodes, addressBook, clusterName } = header;
	return initialLabState({ nodes, addressBook, ...(clusterName ? { clusterName } : {}) });
}
