// The named diagnoses (observe/diagnoses.ts) of what the screen shows: the
// screen folds every LabState it draws into one tracker and asks, with its own
// clock, what has held long enough to be named.

import { useRef } from 'react';
import {
	type Diagnosis,
	diagnosesOf,
	initialDiagnosisTracker,
	trackDiagnoses,
} from '../observe/diagnoses.js';
import { useLabState, useNow } from './context.js';

export function useDiagnoses(): Diagnosis[] {
	const state = useLabState();
	const now = useNow();
	const tracker = useRef(initialDiagnosisTracker());
	// A pure fold, idempotent for a state it has seen: safe to run during render.
	tracker.current = trackDiagnoses(tracker.current, state, now);
	return diagnosesOf(tracker.current, now);
}
