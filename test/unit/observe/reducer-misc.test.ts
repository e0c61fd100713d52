import { describe, expect, it } from 'vitest';
import { jsAcksAgain } from '../../../src/lessons/measures-time.js';
import type { ClientEvent, LabEvent, ProbeCounters } from '../../../src/observe/events.js';
import { parseLogLine } from '../../../src/observe/log-parser.js';
import { initialLabState, reduce } from '../../../src/observe/reducer.js';
import type { LabState } from '../../../src/observe/state.js';
import { normalizeWarning } from '../../../src/observe/warnings.js';
import { logEvents } from '../../support/fixtures.js';

const book = { '127.0.0.1:14222': 'n1', '127.0.0.1:14223': 'n2', '127.0.0.1:14224': 'n3' };
const base = () => initialLabState({ nodes: ['n1', 'n2', 'n3'], addressBook: book, now: 0 });
const fold = (s: LabState, events: LabEvent[]) => events.reduce(reduce, s);

function status(
	at: number,
	st: Extract<ClientEvent, { type: 'status' }>['status'],
	server?: string,
): ClientEvent {
	return server === undefined
		? { kind: 'client', probe: 'js-pub', probeKind: 'js-pub', at, type: 'status', status: st }
		: { kind: 'client', probe: 'js-pub', probeKind: 'js-pub', at, type: 'status', status: st, server };
}

function counters(at: number, acked: number, rate = 20): ClientEvent {
	const c: ProbeCounters = {
		sent: acked + 1,
		received: 0,
		lost: 0,
		duplicated: 0,
		acked,
		failed: { timeout: 0, noResponders: 1, unavailable: 0, other: 0 },
		retried: 0,
		maxGapMs: 40,
		rate,
	};
	return { kind: 'client', probe: 'js-pub', probeKind: 'js-pub', at, type: 'counters', counters: c };
}

describe('reduce: client probes', () => {
	it('lame duck then reconnect (nats.js v3 sequence, §14.2): ldm seen, gap measured, node attributed', () => {
		const s = fold(base(), [
			status(1000, 'connecting'),
			status(1010, 'connected', '127.0.0.1:14222'),
			status(2015, 'update'),
			status(2015, 'ldm', '127.0.0.1:14222'),
			status(5016, 'disconnect', '127.0.0.1:14222'),
			status(5016, 'reconnecting'),
			status(5020, 'reconnecting'),
			status(5022, 'update'),
			status(5023, 'reconnect', '127.0.0.1:14223'),
		]);
		const p = s.clients.probes['js-pub'];
		expect(p).toMatchObject({
			state: 'connected',
			node: 'n2',
			server: '127.0.0.1:14223',
			ldmSeen: 1,
			gaps: [7],
			disconnectedAt: null,
		});
		expect(s.clients.order).toEqual(['js-pub']);
		expect(s.timeline.map((t) => t.text)).toEqual([
			'js-pub connected to n1',
			'js-pub got lame duck notice from n1',
			'js-pub disconnected from n1',
			'js-pub reconnected to n2 after 7 ms',
		]);
		expect(s.timeline.every((t) => t.kind === 'client' && t.probe === 'js-pub')).toBe(true);
	});

	it('pings and INFO updates change nothing', () => {
		const s = fold(base(), [status(1000, 'connected', '127.0.0.1:14222')]);
		expect(reduce(s, status(2000, 'ping'))).toBe(s);
		expect(reduce(s, status(2000, 'update'))).toBe(s);
	});

	it('a run of JetStream failures is one entry, and ends when acks resume', () => {
		const fail = (at: number): ClientEvent => ({
			kind: 'client',
			probe: 'js-pub',
			probeKind: 'js-pub',
			at,
			type: 'jsFailure',
			failure: 'noResponders',
			message: 'no responders',
		});
		const s = fold(base(), [
			counters(1000, 50),
			fail(1100),
			fail(1150),
			fail(1200),
			counters(2000, 50),
			counters(6000, 51, 18),
		]);
		const texts = s.timeline.map((t) => t.text);
		expect(texts).toEqual([
			'js-pub publishes failing (noResponders: no responders)',
			'js-pub acks again after 4.9 s of failures',
		]);
		expect(s.clients.probes['js-pub']).toMatchObject({
			acked: 51,
			failingSince: null,
			rates: [20, 20, 18],
			lastError: 'noResponders: no responders',
			ackedAgainAt: [6000],
		});
		// The lessons' js-acks-again measure reads that time, not the timeline's words: the first
		// end of a failure run at or after the step's action.
		const later = fold(s, [fail(7000), counters(8000, 52)]);
		expect(later.clients.probes['js-pub']?.ackedAgainAt).toEqual([6000, 8000]);
		const reworded = { ...later, timeline: later.timeline.map((t) => ({ ...t, text: 'reworded' })) };
		const measure = (actionAt: number) =>
			jsAcksAgain(reworded, { measure: 'js-acks-again' } as never, { actionAt, startedAt: 0 } as never);
		expect(measure(1000)).toEqual({ text: '5.0 s', value: 5000 });
		expect(measure(6500)).toEqual({ text: '1.5 s', value: 1500 });
		expect(measure(9000).text).toBe('acks never stopped');
	});

	it('verification lands in the probe and the timeline', () => {
		const s = reduce(base(), {
			kind: 'client',
			probe: 'js-pub',
			probeKind: 'js-pub',
			at: 5,
			type: 'verified',
			result: { acked: 1520, stored: 1522, ackedMissing: 0, timedOutButStored: 2 },
		});
		expect(s.clients.probes['js-pub']?.verified?.ackedMissing).toBe(0);
		expect(s.timeline[0]?.text).toBe(
			'js-pub verified: acked 1520, stored 1522, acked but missing 0; timed out but stored 2',
		);
		const twice = reduce(base(), {
			kind: 'client',
			probe: 'js-pub',
			probeKind: 'js-pub',
			at: 5,
			type: 'verified',
			result: {
				acked: 1520,
				stored: 1521,
				ackedMissing: 0,
				timedOutButStored: 0,
				storedMoreThanOnce: 1,
				duplicates: [{ msgId: 'r1-7', seqs: [107, 108], ackSeq: 108 }],
			},
		});
		expect(twice.timeline[0]?.text).toBe(
			'js-pub verified: acked 1520, stored 1521, acked but missing 0; 1 msgID stored more than once: r1-7 at 107, 108 (acked 108)',
		);
	});
});

describe('reduce: actions, notes, rings, sharing', () => {
	it('actions and notes become timeline entries with their evidence', () => {
		const s = fold(base(), [
			{ kind: 'action', at: 10, by: 'learner', action: { op: 'ldm', node: 'n3' } },
			{ kind: 'action', at: 11, by: 'rehearse', action: { op: 'upgrade', node: 'n1', toVersion: '2.10.27' } },
			{ kind: 'note', at: 12, text: 'lesson 6 started' },
		]);
		expect(s.timeline.map((t) => [t.kind, t.text])).toEqual([
			['action', 'learner: lame duck n3'],
			['action', 'rehearse: upgrade n1 to 2.10.27'],
			['note', 'lesson 6 started'],
		]);
		expect(s.timeline[0]?.evidence).toEqual({ source: 'action', detail: 'learner: lame duck n3' });
		expect(s.now).toBe(12);
	});

	it('keeps the timeline in time order when a log line arrives after a later event', () => {
		const s = fold(base(), [
			{ kind: 'note', at: 500, text: 'later' },
			{ kind: 'note', at: 100, text: 'earlier' },
		]);
		expect(s.timeline.map((t) => t.text)).toEqual(['earlier', 'later']);
		expect(s.now).toBe(500);
	});

	it('bounds the log ring at 1000 and the timeline at 500', () => {
		const lines = ['n1', 'n2', 'n3'].flatMap((n) => logEvents('core-2.10.27', n));
		let s = base();
		for (const e of lines) s = reduce(s, e);
		expect(lines.length).toBeGreaterThan(1000);
		expect(s.logs).toHaveLength(1000);
		expect(s.logs.at(-1)?.raw).toBe(lines.at(-1)?.raw);
		expect(s.nextLogId).toBe(lines.length + 1);
		let t = base();
		for (let i = 0; i < 600; i++) t = reduce(t, { kind: 'note', at: i, text: `n${i}` });
		expect(t.timeline).toHaveLength(500);
		expect(t.timeline[0]?.text).toBe('n100');
	});

	it('shares everything an event did not change', () => {
		const s = base();
		const next = reduce(s, { kind: 'note', at: 1, text: 'x' });
		expect(next.cluster).toBe(s.cluster);
		expect(next.clients).toBe(s.clients);
		const spawned = reduce(s, {
			kind: 'process',
			node: 'n2',
			at: 2,
			type: 'spawned',
			pid: 9,
			version: '2.9.10',
		});
		expect(spawned.cluster.nodes.n1).toBe(s.cluster.nodes.n1);
		expect(spawned.cluster.nodes.n3).toBe(s.cluster.nodes.n3);
		expect(spawned.cluster.nodes.n2).not.toBe(s.cluster.nodes.n2);
		expect(s.cluster.nodes.n2?.process).toBe('down'); // the old state is untouched
	});

	it('start-up failures: the message is kept on the node and in the timeline', () => {
		const s = fold(base(), [
			{ kind: 'process', node: 'n1', at: 1, type: 'spawned', pid: 7, version: '2.9.10' },
			parseLogLine('n1', 'nats-server: n1.conf:14:3: unknown field "pool_size"', { now: 2 }),
			{ kind: 'process', node: 'n1', at: 3, type: 'exited', pid: 7, code: 1, signal: null },
		]);
		expect(s.cluster.nodes.n1).toMatchObject({
			process: 'exited',
			lastError: 'n1.conf:14:3: unknown field "pool_size"',
		});
		expect(s.timeline.map((t) => t.text)).toEqual([
			'n1 starting (v2.9.10, pid 7)',
			'n1 cannot start: n1.conf:14:3: unknown field "pool_size"',
			'n1 exited (code 1)',
		]);
		expect(s.warnings).toEqual({
			'FTL nats-server: n1.conf:N:N: unknown field "pool_size"': {
				level: 'FTL',
				count: 1,
				example: 'nats-server: n1.conf:14:3: unknown field "pool_size"',
			},
		});
	});
});

describe('normalizeWarning', () => {
	it('strips addresses, rids, attempts, groups and durations', () => {
		expect(
			normalizeWarning(
				'Error trying to connect to route (attempt 17): dial tcp 127.0.0.1:6223: connect: connection refused',
			),
		).toBe('Error trying to connect to route (attempt N): dial tcp <addr>: connect: connection refused');
		expect(
			normalizeWarning("Failed to install snapshot for '$G > ORDERS > C1' [C-R3F-dMyxAVrS]: store is closed"),
		).toBe("Failed to install snapshot for '$G > ORDERS > C1' [<group>]: store is closed");
		expect(
			normalizeWarning(
				'Metalayer blocking snapshot took 0.010s (streams: 1, consumers: 1, compacted: 1.85 KB)',
			),
		).toBe('Metalayer blocking snapshot took <dur> (streams: N, consumers: N, compacted: N)');
	});
});

describe('reduce: a log file read from its start', () => {
	it('lines of earlier processes do not take over the node the process events describe', () => {
		const lines = logEvents('core-2.9.10', 'n1'); // pids 14842, 15447 (and the run ends with n1 stopped)
		let s = base();
		const after = Date.parse('2026-11-26T01:00:00Z');
		s = reduce(s, { kind: 'process', node: 'n1', at: after, type: 'spawned', pid: 999, version: '2.10.27' });
		for (const e of lines) s = reduce(s, e);
		expect(s.cluster.nodes.n1).toMatchObject({ pid: 999, process: 'starting', version: '2.10.27' });
		expect(s.logs.length).toBe(lines.length);
		expect(s.timeline.map((t) => t.text)).toEqual(['n1 starting (v2.10.27, pid 999)']);
	});
});
