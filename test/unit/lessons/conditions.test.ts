// Wait conditions and measurements over states the real reducer built from
// REAL recorded runs. The times asserted are the ones docs/nats-behavior.md reports
// for those runs (e.g. SIGKILL of the meta leader → new leader after 4.7 s).

import { describe, expect, it } from 'vitest';
import { type CondContext, evaluateWait } from '../../../src/lessons/conditions.js';
import { takeMeasurement } from '../../../src/lessons/measures.js';
import { RecordSchema, WaitSchema, type WaitSpec } from '../../../src/lessons/schema.js';
import type { LabEvent } from '../../../src/observe/events.js';
import type { LabState } from '../../../src/observe/state.js';
import { at, counters, fold, healthz, routez, stateAt, status } from './support.js';

const RUN = 'core-2.10.27';
const wait = (spec: Record<string, unknown>): WaitSpec => WaitSchema.parse(spec);

function ctx(
	atStart: LabState,
	startedAt: number,
	actionAt: number | null = startedAt,
	now = startedAt,
): CondContext {
	return { atStart, atAction: atStart, atLesson: atStart, startedAt, actionAt, now };
}

describe('meta leader conditions on core-2.10.27', () => {
	const before = stateAt(RUN, '00:47:41.880');

	it('meta-leader: the leader all nodes agree on, with the election time as evidence', () => {
		const s = stateAt(RUN, '00:47:32.000');
		const r = evaluateWait(s, wait({ for: 'meta-leader' }), ctx(s, at('00:47:32.000')));
		expect(r).toMatchObject({ met: true, text: 'meta leader n3' });
		expect(r.at).toBe(s.cluster.meta.since);
		expect(evaluateWait(s, wait({ for: 'meta-leader', node: 'n1' }), ctx(s, 0))).toMatchObject({
			met: false,
			text: 'meta leader is n3',
		});
	});

	it('SIGTERM of the meta leader n3: moved to n1 18 ms after the signal (the new leader’s log time)', () => {
		const spec = wait({ for: 'meta-leader-moved', from: 'n3' });
		const c = ctx(before, at('00:47:41.880'), at('00:47:41.888'));
		expect(evaluateWait(before, spec, c)).toMatchObject({ met: false, text: 'n3 still leads' });
		const after = stateAt(RUN, '00:47:41.950');
		const r = evaluateWait(after, spec, c);
		expect(r).toMatchObject({ met: true, text: 'meta leader n3 → n1' });
		const took = takeMeasurement(after, RecordSchema.parse({ name: 'handover', measure: 'duration' }), {
			...c,
			metAt: at('00:47:41.950'),
			waitAt: [r.at],
		});
		expect(took).toMatchObject({ name: 'handover', text: '18 ms', value: 18 });
	});

	it('SIGKILL of the meta leader n1: no leader for a while, then n2 after 4.7 s', () => {
		const atKill = stateAt(RUN, '00:47:48.860');
		const spec = wait({ for: 'meta-leader-moved', from: 'n1' });
		const c = ctx(atKill, at('00:47:48.860'), at('00:47:48.869'));
		const during = stateAt(RUN, '00:47:50.000');
		expect(evaluateWait(during, spec, c)).toMatchObject({ met: false, text: 'no meta leader yet' });
		const after = stateAt(RUN, '00:47:54.000');
		const r = evaluateWait(after, spec, c);
		expect(r).toMatchObject({ met: true, text: 'meta leader n1 → n2' });
		const took = takeMeasurement(after, RecordSchema.parse({ name: 'election', measure: 'duration' }), {
			...c,
			metAt: at('00:47:54.000'),
			waitAt: [r.at],
		});
		expect(took.text).toBe('4.7 s');
	});

	it('stream and consumer leaders are their own (ORDERS on n2, C1 on n3, meta on n3)', () => {
		const s = stateAt(RUN, '00:47:32.000');
		const c = ctx(s, 0);
		expect(evaluateWait(s, wait({ for: 'stream-leader' }), c)).toMatchObject({
			met: true,
			text: 'ORDERS leader n2',
		});
		expect(evaluateWait(s, wait({ for: 'consumer-leader' }), c)).toMatchObject({
			met: true,
			text: 'ORDERS > C1 leader n3',
		});
		const leaders = takeMeasurement(s, RecordSchema.parse({ name: 'l', measure: 'leaders' }), {
			...c,
			metAt: 0,
			waitAt: [],
		});
		expect(leaders.text).toBe('meta n3 · ORDERS n2 · ORDERS > C1 n3');
	});
});

describe('quorum loss on core-2.10.27 (n2 and n3 stopped at 00:48:00.29)', () => {
	const atStop = stateAt(RUN, '00:48:00.280');
	const c = ctx(atStop, at('00:48:00.280'), at('00:48:00.290'));

	it('quorum-lost as soon as two of three processes are gone', () => {
		expect(evaluateWait(atStop, wait({ for: 'quorum-lost' }), c).met).toBe(false);
		const s = stateAt(RUN, '00:48:05.000');
		expect(evaluateWait(s, wait({ for: 'quorum-lost' }), c)).toMatchObject({
			met: true,
			text: '1/3 reachable, needs 2',
		});
	});

	it('the survivor logs “no metadata leader” only 19.6 s later – not before', () => {
		const spec = wait({ for: 'no-meta-leader', logged: true });
		expect(evaluateWait(stateAt(RUN, '00:48:19.000'), spec, c)).toMatchObject({
			met: false,
			text: 'not logged yet',
		});
		const s = stateAt(RUN, '00:48:20.000');
		const r = evaluateWait(s, spec, c);
		expect(r).toMatchObject({ met: true, text: 'n1 logged it' });
		const took = takeMeasurement(s, RecordSchema.parse({ name: 'silence', measure: 'duration' }), {
			...c,
			metAt: at('00:48:20.000'),
			waitAt: [r.at],
		});
		expect(took.text).toBe('20 s');
		expect(took.value).toBe(19_596);
		const line = takeMeasurement(
			s,
			RecordSchema.parse({ name: 'l', measure: 'log-line', match: 'JetStream cluster no metadata leader' }),
			{ ...c, metAt: 0, waitAt: [] },
		);
		expect(line).toMatchObject({
			text: '[14120] 2026/11/26 00:48:19.886799 [INF] JetStream cluster no metadata leader',
			node: 'n1',
		});
	});

	it('no-meta-leader says whose word it is: the up servers’ own /jsz, or natslab’s reading before they answer', () => {
		// This run's survivor answered no /jsz of its own yet at 00:48:20: natslab's reading only.
		const s = stateAt(RUN, '00:48:20.000');
		expect(s.cluster.meta.servers?.view).toBe('unknown');
		expect(evaluateWait(s, wait({ for: 'no-meta-leader' }), c)).toMatchObject({
			met: true,
			text: 'none known yet',
		});
		const servers = {
			...(s.cluster.meta.servers as NonNullable<typeof s.cluster.meta.servers>),
			view: 'none',
		};
		const named = { ...s, cluster: { ...s.cluster, meta: { ...s.cluster.meta, servers } } };
		expect(evaluateWait(named, wait({ for: 'no-meta-leader' }), c)).toMatchObject({
			met: true,
			text: 'the servers name none (their /jsz and logs)',
		});
	});

	it('the stopping nodes’ own “no metadata leader” lines do not count (only running nodes)', () => {
		// n3 was meta leader? No: n2 was; it logs the line itself while shutting down at 00:48:00.29.
		const s = stateAt(RUN, '00:48:01.000');
		expect(evaluateWait(s, wait({ for: 'no-meta-leader', logged: true }), c).met).toBe(false);
	});

	it('quorum-regained once a second node is back and a leader is elected', () => {
		const spec = wait({ for: 'quorum-regained' });
		expect(evaluateWait(stateAt(RUN, '00:48:21.000'), spec, c).met).toBe(false);
		expect(evaluateWait(stateAt(RUN, '00:48:25.000'), spec, c)).toMatchObject({
			met: true,
			text: '2/3 reachable, needs 2, leader n1',
		});
	});
});

describe('node and route conditions', () => {
	it('node-down when the process exited, with the exit time as evidence', () => {
		const s = stateAt(RUN, '00:47:34.000');
		const r = evaluateWait(s, wait({ for: 'node-down', node: 'n1' }), ctx(s, 0));
		expect(r).toMatchObject({ met: true, text: 'n1 exited', at: at('00:47:33.387') });
	});

	it('full-mesh and routes-to from /routez answers', () => {
		const base = stateAt(RUN, '00:47:32.000');
		const t = at('00:47:32.000');
		const partial = fold(base, [
			routez('n1', t, ['n2', 'n3']),
			routez('n2', t, ['n1']),
			routez('n3', t, ['n1']),
		]);
		expect(evaluateWait(partial, wait({ for: 'full-mesh' }), ctx(base, t))).toMatchObject({
			met: false,
			text: 'n2 lacks n3 · n3 lacks n2',
		});
		const full = fold(partial, [routez('n2', t + 1, ['n1', 'n3']), routez('n3', t + 1, ['n1', 'n2'])]);
		expect(evaluateWait(full, wait({ for: 'full-mesh' }), ctx(base, t))).toMatchObject({ met: true });
		expect(evaluateWait(full, wait({ for: 'routes-to', node: 'n3' }), ctx(base, t))).toMatchObject({
			met: true,
			text: '2/2 still route to n3',
		});
	});

	it('health-ok reports the server’s own error text until it answers 200', () => {
		const base = stateAt(RUN, '00:47:32.000');
		const t = at('00:47:32.000');
		const sick = fold(base, [
			healthz('n1', t, false, "JetStream stream '$G > ORDERS' is not current: group node unhealthy"),
		]);
		expect(evaluateWait(sick, wait({ for: 'health-ok', node: 'n1' }), ctx(base, t))).toMatchObject({
			met: false,
			text: "n1 503 “JetStream stream '$G > ORDERS' is not current: group node unhealthy”",
		});
		const ok = fold(sick, [healthz('n1', t + 1000, true)]);
		expect(evaluateWait(ok, wait({ for: 'health-ok', node: 'n1' }), ctx(base, t))).toMatchObject({
			met: true,
			at: t + 1000,
		});
	});
});

describe('lame duck on ldm-2.10.27-default (meta + stream leader n2)', () => {
	it('meta leadership moves off n2 within tens of milliseconds of the signal', () => {
		const before = stateAt('ldm-2.10.27-default', '00:51:44.100');
		const spec = wait({ for: 'meta-leader-moved', from: 'n2' });
		const c = ctx(before, at('00:51:44.100'), at('00:51:44.142'));
		const s = stateAt('ldm-2.10.27-default', '00:51:44.300');
		const r = evaluateWait(s, spec, c);
		expect(r).toMatchObject({ met: true, text: 'meta leader n2 → n3' });
		expect((r.at ?? 0) - at('00:51:44.142')).toBeLessThan(50);
	});
});

describe('a mixed 2.9 / 2.10 cluster (upgrade run)', () => {
	it('log-seen finds the harmless mixed-version route error with its real text', () => {
		const s = stateAt('upgrade-2.9.10-to-2.10.27-to-2.15.1', '00:58:16.000');
		const r = evaluateWait(
			s,
			wait({ for: 'log-seen', match: 'dedicated route for account', since: 'lab' }),
			ctx(s, at('00:58:15.000')),
		);
		expect(r.met).toBe(true);
		expect(r.text).toMatch(
			/Not possible to have a dedicated route for account "\$SYS" between those servers/,
		);
	});
});

describe('client conditions (probe events as nats.js v3 reports them)', () => {
	const base = stateAt(RUN, '00:47:32.000');
	const t = at('00:47:32.000');
	const connected = fold(base, [
		status('core-pub', t, 'connected', '127.0.0.1:4222'),
		status('js-pub', t, 'connected', '127.0.0.1:4224'),
		counters('js-pub', t, { acked: 100 }),
	]);

	it('client-reconnected: the clients of a node reconnect elsewhere; met at once if it had none', () => {
		const c = ctx(connected, t);
		const spec = wait({ for: 'client-reconnected', node: 'n1' });
		const gone = fold(connected, [status('core-pub', t + 6, 'disconnect', '127.0.0.1:4222')]);
		expect(evaluateWait(gone, spec, c)).toMatchObject({ met: false, text: 'core-pub reconnecting' });
		const back = fold(gone, [status('core-pub', t + 12, 'reconnect', '127.0.0.1:4223')]);
		expect(evaluateWait(back, spec, c)).toMatchObject({ met: true, text: 'core-pub→n2' });
		const gap = takeMeasurement(
			back,
			RecordSchema.parse({ name: 'g', measure: 'reconnect-gap', node: 'n1' }),
			{
				...c,
				metAt: t + 12,
				waitAt: [],
			},
		);
		expect(gap).toMatchObject({ text: 'core-pub 6 ms (n1 → n2)', value: 6 });
		expect(evaluateWait(connected, wait({ for: 'client-reconnected', node: 'n2' }), c)).toMatchObject({
			met: true,
			text: 'no client was connected to n2',
		});
	});

	it('client-urls quotes the servers the INFO advertised (connect_urls, as 2.10.27 sends them)', () => {
		const c = { ...ctx(connected, t), metAt: t, waitAt: [] };
		const spec = RecordSchema.parse({ name: 'u', measure: 'client-urls', probe: 'core-pub' });
		expect(takeMeasurement(connected, spec, c)).toMatchObject({
			text: 'core-pub has not been told about any server yet',
		});
		const told = fold(connected, [
			{
				...status('core-pub', t + 5, 'reconnect', '127.0.0.1:4223'),
				connectUrls: ['127.0.0.1:4222', '127.0.0.1:4223', '127.0.0.1:4224'],
			} as LabEvent,
		]);
		expect(told.clients.probes['core-pub']?.connectUrls).toHaveLength(3);
		expect(takeMeasurement(told, spec, c)).toMatchObject({
			text: 'core-pub on n2 was told: 127.0.0.1:4222 (n1), 127.0.0.1:4223 (n2), 127.0.0.1:4224 (n3)',
			value: 3,
		});
	});

	it('clients-got-ldm waits for the lame duck notice', () => {
		const c = ctx(connected, t);
		const spec = wait({ for: 'clients-got-ldm', node: 'n3' });
		expect(evaluateWait(connected, spec, c)).toMatchObject({ met: false, text: 'waiting on js-pub' });
		const told = fold(connected, [status('js-pub', t + 1015, 'ldm', '127.0.0.1:4224')]);
		expect(evaluateWait(told, spec, c)).toMatchObject({ met: true, at: t + 1015 });
	});

	it('js-publish-failing counts failures since the step began, by kind', () => {
		const c = ctx(connected, t);
		const failing = fold(connected, [
			{
				kind: 'client',
				probe: 'js-pub',
				probeKind: 'js-pub',
				at: t + 50,
				type: 'jsFailure',
				failure: 'noResponders',
				message: "no responders: 'orders.probe'",
			},
			counters('js-pub', t + 250, { acked: 100, noResponders: 3 }),
		]);
		expect(evaluateWait(failing, wait({ for: 'js-publish-failing', count: 3 }), c)).toMatchObject({
			met: true,
			text: "3 failed (noResponders: no responders: 'orders.probe'), 0 acked",
		});
		expect(evaluateWait(failing, wait({ for: 'js-publish-failing', kind: 'timeout' }), c).met).toBe(false);
	});

	it('verified fails at once when acked messages are missing (waiting longer cannot help)', () => {
		const c = ctx(connected, t);
		const verified = (ackedMissing: number) =>
			fold(connected, [
				{
					kind: 'client',
					probe: 'js-pub',
					probeKind: 'js-pub',
					at: t + 10,
					type: 'verified',
					result: { acked: 100, stored: 100 - ackedMissing, ackedMissing, timedOutButStored: 1 },
				},
			]);
		expect(evaluateWait(connected, wait({ for: 'verified' }), c)).toMatchObject({
			met: false,
			text: 'verifier running',
		});
		expect(evaluateWait(verified(0), wait({ for: 'verified' }), c)).toMatchObject({ met: true });
		expect(evaluateWait(verified(2), wait({ for: 'verified' }), c)).toMatchObject({
			met: false,
			failed: '2 acked messages lost',
		});
	});

	it('probe-state reads the client state the reducer keeps', () => {
		const closed = fold(connected, [status('core-pub', t + 5, 'close')]);
		expect(
			evaluateWait(
				closed,
				wait({ for: 'probe-state', probe: 'core-pub', state: 'closed' }),
				ctx(connected, t),
			),
		).toMatchObject({ met: true });
	});
});
