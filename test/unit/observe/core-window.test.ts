// Core messages over a window, by message number (docs/measurements.md "core messages"): the
// three counts of issue #10 that could not be true ("606 sent, 611 received", "467 sent, 237
// received, 479 lost", "502 sent, 0 received, 0 lost") each replayed through the real reducer
// with the real SequenceTracker's report, and what the window says instead.
import { describe, expect, it } from 'vitest';
import { coreWindow } from '../../../src/observe/client-selectors.js';
import { type ClientEvent, noMessages } from '../../../src/observe/events.js';
import { initialLabState, reduce } from '../../../src/observe/reducer.js';
import type { LabState } from '../../../src/observe/state.js';
import { SequenceTracker } from '../../../src/probes/sequence-tracker.js';

const SERVER = '127.0.0.1:23200';
/** A client event before the lab stamps it (distributes over the union, so each variant keeps its fields). */
type Unstamped = ClientEvent extends infer E
	? E extends ClientEvent
		? Omit<E, 'at' | 'kind'>
		: never
	: never;

/** A core pair: the publisher's count and the subscriber's tracker, reported like the probe hub does. */
function lab() {
	let state = initialLabState({ nodes: ['n1', 'n2', 'n3'], addressBook: { [SERVER]: 'n1' } });
	const tracker = new SequenceTracker();
	let sent = 0;
	let at = 1000;
	const emit = (e: Unstamped) => {
		at += 10;
		state = reduce(state, { ...e, kind: 'client', at } as ClientEvent);
	};
	const report = () => {
		const base = { ...noMessages(), maxGapMs: 0, rate: 0 };
		emit({ probe: 'core-pub', probeKind: 'core-pub', type: 'counters', counters: { ...base, sent } });
		const seen = tracker.seen();
		const counters = { ...base, received: tracker.received, lost: tracker.lost, ...(seen ? { seen } : {}) };
		emit({ probe: 'core-sub', probeKind: 'core-sub', type: 'counters', counters });
	};
	const status = (probe: 'core-pub' | 'core-sub', s: 'connected' | 'disconnect' | 'reconnect') =>
		emit({ probe, probeKind: probe, type: 'status', status: s, server: SERVER });
	status('core-pub', 'connected');
	status('core-sub', 'connected');
	return {
		publish: (n: number) => {
			sent += n;
		},
		receive: (from: number, to: number) => {
			for (let i = from; i <= to; i++) tracker.observe(i);
		},
		report,
		status,
		get state(): LabState {
			return state;
		},
	};
}

describe('coreWindow', () => {
	it('does not count late arrivals of older messages as received in the window (606 sent, 611 received)', () => {
		const l = lab();
		l.publish(100);
		l.receive(1, 80);
		l.receive(86, 100); // 81..85 late
		l.report();
		const before = l.state;
		l.publish(50);
		l.receive(81, 85);
		l.receive(101, 150);
		l.report();
		const w = coreWindow(before, l.state);
		expect(w).toMatchObject({ sent: 50, received: 50, lost: 0, notArrived: 0, comparable: true });
		// What the cumulative counters say over the same window: more received than sent.
		const sub = (s: LabState) => s.clients.probes['core-sub']?.received ?? 0;
		expect(sub(l.state) - sub(before)).toBe(55);
	});

	it('does not count an older gap as lost in the window (467 sent, 237 received, 479 lost)', () => {
		const l = lab();
		l.publish(100);
		l.receive(1, 40);
		l.report();
		const before = l.state; // 41..100 published, not arrived yet
		l.publish(50);
		l.receive(131, 150); // the first after a failover: 41..130 missing
		l.report();
		const w = coreWindow(before, l.state);
		expect(w).toMatchObject({ sent: 50, received: 20, lost: 30, notArrived: 0, comparable: true });
		const lost = (s: LabState) => s.clients.probes['core-sub']?.lost ?? 0;
		expect(lost(l.state) - lost(before)).toBe(90);
	});

	it('says not comparable while the subscriber is away (502 sent, 0 received, 0 lost)', () => {
		const l = lab();
		l.publish(10);
		l.receive(1, 10);
		l.report();
		const before = l.state;
		l.status('core-sub', 'disconnect');
		l.publish(40);
		l.report();
		const w = coreWindow(before, l.state);
		expect(w).toMatchObject({ sent: 40, received: 0, lost: 0, notArrived: 40, comparable: false });
		expect(w?.subscriberDownMs).toBeGreaterThan(0);
	});

	it('a subscriber that reconnected and missed some is not comparable; one that missed none is', () => {
		const l = lab();
		l.publish(10);
		l.receive(1, 10);
		l.report();
		const before = l.state;
		l.status('core-sub', 'disconnect');
		l.publish(20);
		l.status('core-sub', 'reconnect');
		l.receive(16, 30); // 11..15 published while it had no interest anywhere
		l.report();
		expect(coreWindow(before, l.state)).toMatchObject({ sent: 20, received: 15, lost: 5, comparable: false });

		const m = lab();
		m.publish(10);
		m.receive(1, 10);
		m.report();
		const from = m.state;
		m.status('core-sub', 'disconnect');
		m.publish(20);
		m.status('core-sub', 'reconnect');
		m.receive(11, 30);
		m.report();
		expect(coreWindow(from, m.state)).toMatchObject({ sent: 20, received: 20, lost: 0, comparable: true });
	});
});
