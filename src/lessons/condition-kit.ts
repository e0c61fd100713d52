// What every wait condition is: a description of what the learner waits for,
// and a pure evaluation over LabState and the step's context.

import type { LabState } from '../observe/state.js';
import type { ConditionName, WaitSpec } from './schema.js';

export interface CondContext {
	/** Wall clock now (ms). */
	now: number;
	/** When the step started. */
	startedAt: number;
	/** When the step's (last) action was performed, if any. */
	actionAt: number | null;
	/** State when the step started, before its action. */
	atStart: LabState;
	/** State just before the step's (last) action was performed (atStart if it has none): measurement windows start here. */
	beforeAction?: LabState;
	/** State right after the step's action (atStart if it has none). */
	atAction: LabState;
	/** State when the lesson's first step began (for totals over the whole lesson). */
	atLesson: LabState;
}

export interface CondStatus {
	met: boolean;
	/** Live detail: what the state says right now. */
	text: string;
	/** Set when waiting longer cannot help (the verifier found lost messages...). */
	failed?: string;
	/** When the condition became true according to the evidence (log line time...), if known. */
	at?: number;
}

export type Spec<N extends ConditionName> = Extract<WaitSpec, { for: N }>;
export interface ConditionDef<N extends ConditionName> {
	/** "n3 rejoined and caught up": what the learner waits for. */
	describe(spec: Spec<N>): string;
	evaluate(state: LabState, spec: Spec<N>, ctx: CondContext): CondStatus;
}
export type Registry = { [N in ConditionName]: ConditionDef<N> };

export const yes = (text: string, at?: number): CondStatus => ({ met: true, text, at });
export const no = (text: string): CondStatus => ({ met: false, text });
