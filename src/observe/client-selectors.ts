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

/** Numbers a receiving probe missed because they were published while it was disconnected (not lost). */
export function missedWhileAway(p: ProbeState): number {
	return (p.seen?.away ?? []).reduce((n, [lo, hi]) => n + hi - lo + 1, 0);
}

/** The longest disconnect → reconnect gap a probe has seen, or null. */
export function longestGap(p: ProbeState): number | null {
	return p.gaps.length === 0 ? null : Math.max(...p.gaps);
}

/**
 * Core messages over a window, counted by message number (docs/measurements.md "core messages"):
 * the numbers core-pub published between the two states, and what core-sub holds of exactly those.
 * received + lost + missedWhileAway + notArrived + beforeSubscriber = sent, always. Core NATS
 * delivers nothing to a subscriber that is disconnected: what it missed then is `missedWhileAway`,
 * not lost. Not comparable while it is still away at the end (its misses are not known yet), or
 * when the subscriber did not say which misses were its own absence and missed some while away.
 */
export interface CoreWindow {
	sent: number;
	received: number;
	/** Missing below the highest number the subscriber has seen (lost so far: a late one can still arrive). */
	lost: number;
	/** Published while the subscriber was disconnected (the gap its first message after a reconnect opened). */
	missedWhileAway: number;
	/** Above the highest number seen: in flight at the end, or published while the subscriber is away. */
	notArrived: number;
	/** Published before the subscriber's first message (it was not there yet). */
	beforeSubscriber: number;
	subscriberDownMs: number;
	comparable: boolean;
}

export function coreWindow(from: LabState, to: LabState): CoreWindow | null {
	const pub = probe(to, 'core-pub');
	const sub = probe(to, 'core-sub');
	if (!pub || !sub) return null;
	const pubBefore = probe(from, 'core-pub');
	// A restarted probe counts from zero again (and gets a new subject, so its numbers start over).
	const first = pubBefore && pubBefore.sent <= pub.sent ? pubBefore.sent + 1 : 1;
	const last = pub.sent;
	const sent = Math.max(0, last - first + 1);
	const seen = sub.seen;
	const overlap = (lo: number, hi: number) => Math.max(0, Math.min(hi, last) - Math.max(lo, first) + 1);
	const beforeSubscriber = seen ? overlap(1, seen.lowest - 1) : sent;
	const notArrived = seen ? overlap(seen.highest + 1, last) : 0;
	const count = (ranges: [number, number][] | undefined) =>
		(ranges ?? []).reduce((n, [lo, hi]) => n + overlap(lo, hi), 0);
	const lost = count(seen?.missing);
	const missedWhileAway = count(seen?.away);
	const received = sent - beforeSubscriber - notArrived - lost - missedWhileAway;
	const subscriberDownMs = downWithin(probe(from, 'core-sub'), sub, from.now, to.now);
	const knownFromFirst = !seen?.truncated || (seen.missing[0]?.[0] ?? Number.POSITIVE_INFINITY) <= first;
	return {
		sent,
		received,
		lost,
		missedWhileAway,
		notArrived,
		beforeSubscriber,
		subscriberDownMs,
		// A subscriber that does not report its absences (no `away`) and missed some while it was away
		// cannot tell the network's losses from what was published while it had no interest anywhere.
		comparable:
			beforeSubscriber === 0 &&
			knownFromFirst &&
			sub.state === 'connected' &&
			(seen?.away !== undefined || subscriberDownMs === 0 || lost === 0),
	};
}

/** How long a probe was disconnected between two moments: its reconnect gaps since, and a gap still open. */
function downWithin(before: ProbeState | undefined, now: ProbeState, from: number, to: number): number {
	const fresh =
		before && before.gaps.length <= now.gaps.length ? now.gaps.slice(before.gaps.length) : now.gaps;
	const closed = fresh.reduce((a, b) => a + b, 0);
	const open = now.disconnectedAt !== null ? Math.max(0, to - Math.max(now.disconnectedAt, from)) : 0;
	return closed + open;
}
