// Questions about the client probes of a LabState (the cluster ones are in
// ./selectors.ts). Pure: every answer comes from the state passed in.

import type { NodeName } from '../base/names.js';
import type { ProbeKind } from './events.js';
import type { LabState, ProbeState } from './state.js';

/** The probe of a kind ('core', 'jetstream'), or with that id. */
export function probe(s: LabState, kind: ProbeKind): ProbeState | undefined {
	return Object.values(s.clients.probes).find((p) => p.kind === kind || p.id === kind);
}

export function probes(s: LabState): ProbeState[] {
	return s.clients.order.map((id) => s.clients.probes[id]).filter((p): p is ProbeState => !!p);
}

/** Probes whose client is connected to `name` right now. */
export function probesOn(s: LabState, name: NodeName): ProbeState[] {
	return probes(s).filter((p) => p.node === name && p.state === 'connected');
}

/** Sum of JetStream publish failures of a probe. */
export function failures(p: ProbeState | undefined): number {
	if (!p) return 0;
	return p.failed.timeout + p.failed.noResponders + p.failed.unavailable + p.failed.other;
}

/** The longest disconnect → reconnect gap a probe has seen, or null. */
export function longestGap(p: ProbeState): number | null {
	return p.gaps.length === 0 ? null : Math.max(...p.gaps);
}
