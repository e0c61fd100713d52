// Real runs as screen input: the server logs and harness events of a run in
// test/fixtures/logs (loaded by test/support/fixtures.ts) and measured client status
// sequences (test/fixtures/ui), folded by the real reducer into the LabState
// the screen draws. The reference machine logged in UTC.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientEvent, ClientStatusType, LabEvent } from '../../../src/observe/events.js';
import { initialLabState, reduce } from '../../../src/observe/reducer.js';
import type { LabState } from '../../../src/observe/state.js';
import { FIXTURES, mergedRun } from '../../support/fixtures.js';

/** Client ports of the reference runs (n1.conf: listen 127.0.0.1:4222, n2 4223, n3 4224). */
export const ADDRESS_BOOK = { '127.0.0.1:4222': 'n1', '127.0.0.1:4223': 'n2', '127.0.0.1:4224': 'n3' };

export function emptyState(): LabState {
	return initialLabState({ nodes: ['n1', 'n2', 'n3'], addressBook: ADDRESS_BOOK });
}

export function fold(events: readonly LabEvent[], from: LabState = emptyState()): LabState {
	return events.reduce(reduce, from);
}

/** The state of a run as the screen would have shown it at `iso` (events up to and including it). */
export function stateAt(run: string, iso: string): LabState {
	const until = Date.parse(iso);
	return fold(mergedRun(run).filter((e) => e.at <= until));
}

interface MeasuredStatus {
	offsetMs: number;
	type: ClientStatusType;
	server?: string;
}

/** A measured nc.status() sequence (test/fixtures/ui/client-status.json) placed after `at`. */
export function clientSequence(name: 'sigkill' | 'ldmMetaLeader', probe: string, at: number): ClientEvent[] {
	const all = JSON.parse(readFileSync(join(FIXTURES, 'ui', 'client-status.json'), 'utf8')) as Record<
		string,
		MeasuredStatus[]
	>;
	return (all[name] ?? []).map((s) => ({
		kind: 'client',
		probe,
		probeKind: probe.startsWith('js')
			? probe === 'js-pub'
				? 'js-pub'
				: 'js-consumer'
			: probe === 'core-sub'
				? 'core-sub'
				: 'core-pub',
		at: at + s.offsetMs,
		type: 'status',
		status: s.type,
		...(s.server ? { server: s.server } : {}),
	}));
}

/** A probe connected to `server` at `at` (what nats.js reports on first connect). */
export function connected(probe: ClientEvent['probeKind'], server: string, at: number): ClientEvent {
	return { kind: 'client', probe, probeKind: probe, at, type: 'status', status: 'connected', server };
}
