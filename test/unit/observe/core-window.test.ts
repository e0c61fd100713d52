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

/**
 * A core pair: the publisher's count and the subscriber's tracker, reported like the probe hub does
 * (`reportsAway: false`: a subscriber from before it said which misses were its own absence).
 */
function lab(reportsAway = true) {
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
		const full = tracker.seen();
		// The older report: every gap in `missing` (it was never told of a disconnect), no `away`.
		const seen = reportsAway || !full ? full : { ...full, away: undefined };
		const counters = { ...base, received: tracker.received, lost: tracker.lost, ...(seen ? { seen } : {}) };
		emit({ probe: 'core-sub', probeKind: 'core-sub', type: 'counters', counters });
	};
	const status = (probe: 'core-pub' | 'core-sub', s: 'connected' | 'disconnect' | 'reconnect') => {
		// As CoreSubscriber does on nats.js's disconnect status.
		if (probe === 'core-sub' && s === 'disconnect' && reportsAway) tracker.markDisconnected();
		emit({ probe, probeKind: probe, type: 'status', status: s, server: SERVER });
	};
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
	/** 100 published, `before` of them received; then 50 more, and `during` received: the window is the 50. */
	const hundredThenFifty = (before: [number, number][], during: [number, number][]) => {
		const l = lab();
		l.publish(100);
		for (const [lo, hi] of before) l.receive(lo, hi);
		l.report();
		const from = l.state;
		l.publish(50);
		for (const [lo, hi] of during) l.receive(lo, hi);
		l.report();
		const cumulative = (key: 'received' | 'lost') =>
			(l.state.clients.probes['core-sub']?.[key] ?? 0) - (from.clients.probes['core-sub']?.[key] ?? 0);
		return { window: coreWindow(from, l.state), cumulative };
	};

	it('does not count late arrivals of older messages as received in the window (606 sent, 611 received)', () => {
		// 81..85 arrive late, inside the window.
		const r = hundredThenFifty(
			[
				[1, 80],
				[86, 100],
			],
			[
				[81, 85],
				[101, 150],
			],
		);
		expect(r.window).toMatchObject({ sent: 50, received: 50, lost: 0, notArrived: 0, comparable: true });
		// What the cumulative counters say over the same window: more received than sent.
		expect(r.cumulative('received')).toBe(55);
	});

	it('does not count an older gap as lost in the window (467 sent, 237 received, 479 lost)', () => {
		// 41..100 not arrived at the start; the first after a failover is 131: 41..130 missing.
		const r = hundredThenFifty([[1, 40]], [[131, 150]]);
		expect(r.window).toMatchObject({ sent: 50, received: 20, lost: 30, notArrived: 0, comparable: true });
		expect(r.cumulative('lost')).toBe(90);
	});

	/**
	 * 10 delivered, then core-sub goes away while `published` more are published; with `firstAfter`
	 * it reconnects and gets them from that number on, without it is still away.
	 */
	const awayWhile = (published: number, firstAfter?: number, reportsAway = true) => {
		const l = lab(reportsAway);
		l.publish(10);
		l.receive(1, 10);
		l.report();
		const before = l.state;
		l.status('core-sub', 'disconnect');
		l.publish(published);
		if (firstAfter !== undefined) {
			l.status('core-sub', 'reconnect');
			l.receive(firstAfter, 10 + published);
		}
		l.report();
		return coreWindow(before, l.state);
	};

	it('says not comparable while the subscriber is away (502 sent, 0 received, 0 lost)', () => {
		const w = awayWhile(40);
		expect(w).toMatchObject({ sent: 40, received: 0, lost: 0, notArrived: 40, comparable: false });
		expect(w?.subscriberDownMs).toBeGreaterThan(0);
	});

	it('counts what was published while the subscriber was away apart from what was lost', () => {
		// 11..15 published while it had no interest anywhere: not a network loss.
		expect(awayWhile(20, 16)).toMatchObject({
			sent: 20,
			received: 15,
			lost: 0,
			missedWhileAway: 5,
			comparable: true,
		});
		expect(awayWhile(20, 11)).toMatchObject({ sent: 20, received: 20, lost: 0, missedWhileAway: 0 });
		// A subscriber that does not say which misses were its absence: not comparable once it missed some.
		expect(awayWhile(20, 16, false)).toMatchObject({ received: 15, lost: 5, comparable: false });
		expect(awayWhile(20, 11, false)).toMatchObject({ received: 20, lost: 0, comparable: true });
	});
});
