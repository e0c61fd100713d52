// LabStates for lesson tests, built the only honest way: REAL recorded runs
// (test/fixtures/logs: every server log line plus the harness's process
// events) fed through the real reducer, plus client and poll events shaped
// exactly like the ones the probes and pollers emit.

import type { ClientEvent, LabEvent, PollEvent, ProbeKind } from '../../../src/observe/events.js';
import { initialLabState, reduce } from '../../../src/observe/reducer.js';
import type { LabState } from '../../../src/observe/state.js';
import { mergedRun, runNodes } from '../../support/fixtures.js';

/** The reference runs used client ports 4222-4224 for n1-n3. */
export const ADDRESS_BOOK = { '127.0.0.1:4222': 'n1', '127.0.0.1:4223': 'n2', '127.0.0.1:4224': 'n3' };

/** "HH:MM:SS.mmm" on the day of the reference runs (UTC) → ms. */
export const at = (time: string): number => Date.parse(`2026-11-26T${time}Z`);

export function fold(state: LabState, events: LabEvent[]): LabState {
	let s = state;
	for (const e of events) s = reduce(s, e);
	return s;
}

/** Events of a real run between two times (inclusive end), in time order. */
export function runEvents(run: string, from?: string, to?: string): LabEvent[] {
	const lo = from ? at(from) : Number.NEGATIVE_INFINITY;
	const hi = to ? at(to) : Number.POSITIVE_INFINITY;
	return mergedRun(run).filter((e) => e.at > lo && e.at <= hi);
}

/** The state of a real run at `time` (everything up to then folded in). */
export function stateAt(run: string, time: string, extra: LabEvent[] = []): LabState {
	const base = initialLabState({ nodes: runNodes(run), addressBook: ADDRESS_BOOK });
	return fold(
		base,
		[...runEvents(run, undefined, time), ...extra].sort((a, b) => a.at - b.at),
	);
}

const kindOf = (probe: string): ProbeKind => probe as ProbeKind;

/** A nats.js status event as the probes report it (docs/nats-behavior.md §14.2). */
export function status(
	probe: string,
	when: number,
	s: Extract<ClientEvent, { type: 'status' }>['status'],
	server?: string,
): ClientEvent {
	return {
		kind: 'client',
		probe,
		probeKind: kindOf(probe),
		at: when,
		type: 'status',
		status: s,
		...(server ? { server } : {}),
	};
}

export function counters(
	probe: string,
	when: number,
	c: Partial<{
		sent: number;
		received: number;
		lost: number;
		acked: number;
		timeout: number;
		noResponders: number;
	}>,
): ClientEvent {
	return {
		kind: 'client',
		probe,
		probeKind: kindOf(probe),
		at: when,
		type: 'counters',
		counters: {
			sent: c.sent ?? 0,
			received: c.received ?? 0,
			lost: c.lost ?? 0,
			duplicated: 0,
			acked: c.acked ?? 0,
			failed: { timeout: c.timeout ?? 0, noResponders: c.noResponders ?? 0, unavailable: 0, other: 0 },
			retried: 0,
			maxGapMs: 0,
			rate: 0,
		},
	};
}

export function routez(node: string, when: number, peers: string[]): PollEvent {
	return {
		kind: 'poll',
		node,
		at: when,
		ok: true,
		endpoint: 'routez',
		data: { peers, connections: peers.length * 4 },
	};
}

export function healthz(node: string, when: number, ok: boolean, error?: string): PollEvent {
	return {
		kind: 'poll',
		node,
		at: when,
		ok: true,
		endpoint: 'healthz',
		data: { status: ok ? 200 : 503, ok, ...(error ? { error } : {}) },
	};
}
