// What a lesson step waits for: pure functions over LabState and the step's
// context. The engine (./engine.ts) evaluates them on every state change and
// every tick, latches the first success, and handles `steady` and timeouts.

import type { LabState } from '../observe/state.js';
import type { CondContext, ConditionDef, CondStatus, Registry } from './condition-kit.js';
import { CLIENT_CONDITIONS } from './conditions-clients.js';
import { CLUSTER_CONDITIONS } from './conditions-cluster.js';
import { PARTITION_CONDITIONS } from './conditions-partition.js';
import type { WaitSpec } from './schema.js';

export type { CondContext, CondStatus } from './condition-kit.js';

export const CONDITIONS: Registry = { ...CLUSTER_CONDITIONS, ...CLIENT_CONDITIONS, ...PARTITION_CONDITIONS };

export function describeWait(spec: WaitSpec): string {
	return (CONDITIONS[spec.for] as ConditionDef<typeof spec.for>).describe(spec as never);
}

export function evaluateWait(state: LabState, spec: WaitSpec, ctx: CondContext): CondStatus {
	return (CONDITIONS[spec.for] as ConditionDef<typeof spec.for>).evaluate(state, spec as never, ctx);
}
