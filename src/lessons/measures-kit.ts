// What a measurement is and what it is taken from; shared by the measures-*.ts files.
// Every measure's definition (from which event to which event, which counter over which
// window) is written down in docs/measurements.md; the code cites it.

import type { NodeName } from '../base/names.js';
import type { LabState } from '../observe/state.js';
import type { CondContext } from './conditions.js';
import type { MeasureName, RecordSpec } from './schema.js';

export interface Measurement {
	name: string;
	label: string;
	/** The sentence that {{name}} becomes. */
	text: string;
	/** A number for machines (ms, counts), when there is one. */
	value?: number;
	node?: NodeName;
}

export interface MeasureContext extends CondContext {
	/** When the step's wait was over, wall clock: every wait held (a steady one for its whole `steady`). */
	metAt: number;
	/** Per wait item: the evidence time (log line, poll) when it came true, or when it began to hold steadily. */
	waitAt: (number | undefined)[];
}

export type Spec<N extends MeasureName> = Extract<RecordSpec, { measure: N }>;
export type Result = Omit<Measurement, 'name' | 'label'>;
export type MeasureFn<N extends MeasureName> = (
	state: LabState,
	spec: Spec<N>,
	ctx: MeasureContext,
) => Result;

/** Where a step's counting window begins: its action (the stop, the signal), or its start when it has none. */
export function windowStart(ctx: MeasureContext, since: 'step' | 'lesson'): { state: LabState; at: number } {
	if (since === 'lesson') return { state: ctx.atLesson, at: ctx.atLesson.now };
	return { state: ctx.beforeAction ?? ctx.atStart, at: ctx.actionAt ?? ctx.startedAt };
}
