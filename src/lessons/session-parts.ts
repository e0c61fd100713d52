// What the pieces of a running lesson (./engine.ts) share: the lab, the screen,
// the clock and the watches. The engine builds one when a piece needs it, so
// `previous` is always the target of the step before.

import type { NodeName } from '../base/names.js';
import type { Lab } from '../lab/types.js';
import type { DiagnosisWatch } from './diagnosis-watch.js';
import type { LessonScreen } from './interaction.js';
import type { Lesson } from './load.js';
import type { OffPlanWatch } from './off-plan.js';
import type { LessonEvent } from './results.js';

/** A step's node and why it was chosen ("the meta leader"). */
export type Target = { node: NodeName; why: string };

export interface SessionParts {
	lab: Lab;
	lesson: Lesson;
	screen: LessonScreen;
	clock: () => number;
	tickMs: number;
	signal: AbortSignal;
	/** The previous step's target (`$previous`). */
	previous: NodeName | null;
	watch: DiagnosisWatch | null;
	offPlan: OffPlanWatch | null;
	readyTimeoutMs?: number;
	onEvent?: (e: LessonEvent) => void;
}
