// The clients panel's core-sub counters (docs/measurements.md "Clients panel"): what core-sub
// missed while it was disconnected shows as `away`, not as lost, and while it is still away the
// panel says the counts are not final. The state comes from the real reducer and tracker.
import { describe, expect, it } from 'vitest';
import { type ClientEvent, noMessages } from '../../../src/observe/events.js';
import { initialLabState, reduce } from '../../../src/observe/reducer.js';
import type { LabState } from '../../../src/observe/state.js';
import { SequenceTracker } from '../../../src/probes/sequence-tracker.js';
import { probeCounters } from '../../../src/ui/components/ClientsPanel.js';

const SERVER = '127.0.0.1:23200';

function subscriber() {
	let state: LabState = initialLabState({ nodes: ['n1', 'n2', 'n3'], addressBook: { [SERVER]: 'n1' } });
	let at = 1000;
	/** Each event 10 ms after the previous one. */
	const next = () => {
		at += 10;
		return at;
	};
	const tracker = new SequenceTracker();
	const status = (s: 'connected' | 'disconnect' | 'reconnect') => {
		if (s === 'disconnect') tracker.markDisconnected();
		const e: ClientEvent = {
			kind: 'client',
			probe: 'core-sub',
			probeKind: 'core-sub',
			at: next(),
			type: 'status',
			status: s,
			server: SERVER,
		};
		state = reduce(state, e);
	};
	const receive = (lo: number, hi: number) => {
		for (let i = lo; i <= hi; i++) tracker.observe(i);
		const seen = tracker.seen();
		const counters = {
			...noMessages(),
			received: tracker.received,
			lost: tracker.lost,
			maxGapMs: 0,
			rate: 0,
			...(seen ? { seen } : {}),
		};
		state = reduce(state, {
			kind: 'client',
			probe: 'core-sub',
			probeKind: 'core-sub',
			at: next(),
			type: 'counters',
			counters,
		});
	};
	const text = () => {
		const p = state.clients.probes['core-sub'];
		if (!p) throw new Error('no core-sub');
		return probeCounters(p);
	};
	status('connected');
	return { status, receive, text };
}

describe('core-sub counters in the clients panel', () => {
	it('shows what it missed while disconnected as away, apart from lost', () => {
		const sub = subscriber();
		sub.receive(1, 10);
		sub.receive(12, 20); // 11 lost while connected
		expect(sub.text()).toBe('recv 19 lost 1');
		sub.status('disconnect');
		expect(sub.text()).toBe('recv 19 lost 1 · not counting while away');
		sub.status('reconnect');
		sub.receive(31, 40); // 21..30 published while it had no interest
		expect(sub.text()).toBe('recv 29 lost 1 away 10');
	});
});
