// natslab's core reach check (probes/core-reach.ts) folded into the state: the result is
// kept (newest last, a few) for the lesson's wait and measure, and the timeline gets it
// as natslab's own note, with its clients as the evidence (no server said it).

import type { NodeName } from '../base/names.js';
import type { Draft } from './draft.js';
import type { CoreReachEvent, CoreReachResult, Evidence } from './events.js';
import type { CoreReachCheck, LabState } from './state.js';

/** How many checks the state keeps. */
const KEPT = 10;

/** "a client on n3 sent 20: n3's own subscriber got 20, n1's 0, n2's 0". */
export function coreReachText(r: CoreReachResult): string {
	const others = Object.entries(r.received)
		.filter(([n]) => n !== r.from)
		.map(([n, got]) =>
			got === null ? `${n} had no client (${r.noClient?.[n] ?? 'not running'})` : `${n}'s ${got}`,
		);
	const own = r.received[r.from];
	return `a client on ${r.from} sent ${r.sent}: ${r.from}'s own subscriber got ${own ?? 0}${others.length > 0 ? `, ${others.join(', ')}` : ''}`;
}

/** Messages that reached the subscribers on other nodes than the publisher's, together. */
export function crossedCount(r: CoreReachResult): number {
	return Object.entries(r.received).reduce((sum, [n, got]) => sum + (n === r.from ? 0 : (got ?? 0)), 0);
}

export function coreReachEvidence(e: CoreReachEvent): Evidence {
	return { source: 'client', probe: 'natslab-reach', detail: `one client per node on ${e.result.subject}` };
}

export function reduceCoreReach(d: Draft, e: CoreReachEvent): void {
	const r = e.result;
	d.entry('note', `natslab check: ${coreReachText(r)} (${r.published} publishes in ${r.rounds} rounds)`, {
		node: r.from as NodeName,
	});
}

/** The state with the check kept (after the Draft finished: the Draft knows no checks). */
export function keepCoreReach(s: LabState, e: CoreReachEvent): LabState {
	const check: CoreReachCheck = { ...e.result, at: e.at };
	return { ...s, coreReach: [...(s.coreReach ?? []), check].slice(-KEPT) };
}
