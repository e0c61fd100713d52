// The reducer fed with process events and poll events built from the REAL
// monitoring samples (test/fixtures/samples): what the state believes when
// endpoints and processes disagree.

import { describe, expect, it } from 'vitest';
import type { ProcessEvent } from '../../../src/base/names.js';
import {
	normalizeHealthz,
	normalizeJsz,
	normalizeRoutez,
	normalizeVarz,
} from '../../../src/monitoring/normalize.js';
import type { LabEvent, PollData, PollEvent } from '../../../src/observe/events.js';
import { initialLabState, reduce } from '../../../src/observe/reducer.js';
import { agreedMetaLeader, nodeRole, replicaCurrent } from '../../../src/observe/selectors.js';
import type { LabState } from '../../../src/observe/state.js';
import { sample, streamSample } from '../../support/fixtures.js';

const NODES = ['n1', 'n2', 'n3'];
let clock = 1_000_000;
const tick = (ms = 10) => {
	clock += ms;
	return clock;
};

const proc = (
	node: string,
	type: 'spawned' | 'ready' | 'exited',
	pid: number,
	extra: object = {},
): ProcessEvent =>
	({
		kind: 'process',
		node,
		at: tick(),
		type,
		pid,
		version: '2.10.27',
		code: 1,
		signal: null,
		...extra,
	}) as ProcessEvent;
const signal = (
	node: string,
	pid: number,
	s: 'SIGTERM' | 'SIGKILL' | 'SIGSTOP' | 'SIGCONT' | 'ldm',
): ProcessEvent => ({
	kind: 'process',
	node,
	at: tick(),
	type: 'signalled',
	pid,
	signal: s,
});
const poll = (node: string, data: PollData, at = tick()): PollEvent =>
	({ kind: 'poll', node, at, ok: true, ...data }) as PollEvent;

function fold(s: LabState, events: LabEvent[]): LabState {
	return events.reduce(reduce, s);
}

/** Three 2.10.27 nodes up, with routes and meta leader n2 as the real samples show. */
function upCluster(): LabState {
	let s = initialLabState({ nodes: NODES, now: clock });
	s = fold(
		s,
		NODES.flatMap((n, i) => [proc(n, 'spawned', 100 + i), proc(n, 'ready', 100 + i)]),
	);
	const routez = normalizeRoutez(sample('2.10.27', 'routez.json')); // n2's view: n1, n3
	s = fold(s, [
		poll('n2', { endpoint: 'routez', data: routez }),
		poll('n1', { endpoint: 'routez', data: { peers: ['n2', 'n3'], connections: 8 } }),
		poll('n3', { endpoint: 'routez', data: { peers: ['n1', 'n2'], connections: 8 } }),
	]);
	tick(2000);
	const follower = normalizeJsz(sample('2.10.27', 'jsz-follower.json'));
	s = fold(s, [
		poll('n1', { endpoint: 'jsz', data: follower }),
		poll('n3', { endpoint: 'jsz', data: follower }),
		poll('n2', { endpoint: 'jsz', data: normalizeJsz(sample('2.10.27', 'jsz-leader.json')) }),
	]);
	return s;
}

describe('reduce: polls of a healthy 2.10.27 cluster', () => {
	it("meta leader from the leader's own /jsz, routes per pair, quorum", () => {
		const s = upCluster();
		expect(s.cluster.meta.leader).toBe('n2');
		expect(s.cluster.meta.evidence).toMatchObject({ source: 'endpoint', node: 'n2', endpoint: 'jsz' });
		expect(agreedMetaLeader(s)).toBe('n2');
		expect(s.cluster.nodes.n2).toMatchObject({
			isMetaLeader: true,
			peers: ['n1', 'n3'],
			routeConnections: 8,
		});
		expect(s.cluster.meta.quorum).toEqual({ reachable: 3, size: 3, needed: 2, ok: true });
		expect(s.timeline.filter((t) => t.kind === 'route').map((t) => t.text)).toEqual([
			'route n1 ↔ n2 up',
			'route n2 ↔ n3 up',
			'route n1 ↔ n3 up',
		]);
	});

	it("stream replicas from the stream leader's view are current; a follower's view proves nothing about others", () => {
		let s = upCluster();
		s = reduce(
			s,
			poll('n2', {
				endpoint: 'stream',
				data: streamSample('2.10.27', 'jsz-leader.json', 'ORDERS', 'n2'),
			}),
		);
		expect(s.cluster.streams.ORDERS).toMatchObject({ leader: 'n2', messages: 100, viewFrom: 'n2' });
		expect(NODES.map((n) => replicaCurrent(s, 'ORDERS', n))).toEqual([true, true, true]);
		expect(s.cluster.consumers['ORDERS > C1']?.leader).toBe('n1');
		expect(nodeRole(s, 'n1')).toEqual({ meta: false, streams: [], consumers: ['ORDERS > C1'] });
		expect(nodeRole(s, 'n2')).toEqual({ meta: true, streams: ['ORDERS'], consumers: [] });
		// 2.9.10 follower n1's view: n3 listed as current:false
		const follower = streamSample('2.9.10', 'jsz-follower.json', 'ORDERS', 'n1');
		s = reduce(s, poll('n1', { endpoint: 'stream', data: follower }, tick(2000)));
		expect(replicaCurrent(s, 'ORDERS', 'n3')).toBe(false);
		expect(s.cluster.streams.ORDERS?.leader).toBe('n2');
	});

	it('varz gives version, clients and the server id; /healthz ok → healthy without a timeline entry', () => {
		let s = upCluster();
		s = reduce(s, poll('n2', { endpoint: 'varz', data: normalizeVarz(sample('2.10.27', 'varz.json')) }));
		expect(s.cluster.nodes.n2).toMatchObject({ version: '2.10.27', clients: 1 });
		expect(s.cluster.nodes.n2?.serverId).toMatch(/^NCUQ/);
		const before = s.timeline.length;
		s = reduce(s, poll('n2', { endpoint: 'healthz', data: normalizeHealthz(200, '{"status":"ok"}') }));
		expect(s.cluster.nodes.n2?.health).toMatchObject({ ok: true, status: 200 });
		expect(s.timeline.length).toBe(before);
	});

	it("2.9.10 routez peers (server ids only) are matched through each node's server id", () => {
		let s = upCluster();
		const n1Id = (sample('2.9.10', 'jsz-follower.json') as { server_id: string }).server_id;
		s = reduce(
			s,
			poll('n1', {
				endpoint: 'varz',
				data: { version: '2.9.10', serverName: 'n1', uptime: '3s', connections: 0, serverId: n1Id },
			}),
		);
		s = reduce(s, poll('n2', { endpoint: 'routez', data: normalizeRoutez(sample('2.9.10', 'routez.json')) }));
		// n1 is known by its id; the other id belongs to no node that told us its id yet
		expect(s.cluster.nodes.n2?.peers).toEqual(['n1']);
		expect(s.cluster.nodes.n2?.routeConnections).toBe(2);
	});
});

describe('reduce: endpoints and processes disagree, the evidence wins', () => {
	it('a SIGSTOPped leader stops being the leader at once, and its stale views are ignored', () => {
		let s = upCluster();
		s = reduce(s, signal('n2', 101, 'SIGSTOP'));
		expect(s.cluster.nodes.n2?.process).toBe('paused');
		expect(s.cluster.meta.leader).toBeNull();
		expect(s.cluster.meta.evidence).toMatchObject({ source: 'process', node: 'n2' });
		expect(s.timeline.at(-1)?.text).toBe('meta leader n2 lost (n2 paused)');
		// the followers still name n2 (their Raft view), and an answer from n2 that arrives late is stale
		const stale = fold(s, [
			poll('n1', { endpoint: 'jsz', data: normalizeJsz(sample('2.10.27', 'jsz-follower.json')) }, tick(3000)),
			poll('n2', { endpoint: 'jsz', data: normalizeJsz(sample('2.10.27', 'jsz-leader.json')) }),
		]);
		expect(stale.cluster.meta.leader).toBeNull();
		expect(agreedMetaLeader(stale)).toBeNull();
		expect(stale.cluster.nodes.n2?.isMetaLeader).toBe(false);
		// quorum: n1 + n3 still reach each other
		expect(stale.cluster.meta.quorum).toMatchObject({ reachable: 2, ok: true });
		// /healthz of the frozen node times out: unhealthy, not dead
		const h = reduce(stale, {
			kind: 'poll',
			node: 'n2',
			at: tick(),
			ok: false,
			endpoint: 'healthz',
			error: 'no answer within 1000 ms',
		});
		expect(h.cluster.nodes.n2).toMatchObject({
			process: 'paused',
			health: { ok: false, status: 0, error: 'no answer: no answer within 1000 ms' },
		});
		expect(h.timeline.at(-1)?.text).toBe('n2 unhealthy: no answer: no answer within 1000 ms');
	});

	it('a poll answer of a node that exited does not resurrect it', () => {
		let s = upCluster();
		s = fold(s, [signal('n1', 100, 'SIGKILL'), proc('n1', 'exited', 100, { code: null, signal: 'SIGKILL' })]);
		expect(s.cluster.nodes.n1).toMatchObject({
			process: 'exited',
			peers: [],
			health: null,
			jetstream: 'off',
		});
		expect(s.cluster.nodes.n2?.peers).toEqual(['n3']);
		expect(
			s.timeline
				.filter((t) => t.kind === 'route')
				.slice(-2)
				.map((t) => t.text),
		).toEqual(['route n1 ↔ n2 down', 'route n1 ↔ n3 down']);
		const late: LabEvent[] = [
			poll('n1', { endpoint: 'varz', data: normalizeVarz(sample('2.10.27', 'varz.json')) }),
			poll('n1', { endpoint: 'routez', data: { peers: ['n2', 'n3'], connections: 8 } }),
			poll('n1', { endpoint: 'healthz', data: { status: 200, ok: true } }),
			{ kind: 'poll', node: 'n1', at: tick(), ok: false, endpoint: 'healthz', error: 'connection refused' },
		];
		for (const e of late) expect(reduce(s, e)).toBe(s);
	});

	it("an older process's exit does not end the new one (restart race)", () => {
		let s = upCluster();
		s = fold(s, [signal('n3', 102, 'SIGTERM'), proc('n3', 'spawned', 202)]);
		expect(s.cluster.nodes.n3).toMatchObject({ process: 'starting', pid: 202 });
		expect(reduce(s, proc('n3', 'exited', 102))).toBe(s);
	});

	it('the leader named by a follower is only believed when every up node agrees', () => {
		let s = upCluster();
		s = fold(s, [signal('n2', 101, 'SIGTERM'), proc('n2', 'exited', 101)]);
		expect(s.cluster.meta.leader).toBeNull();
		// n1 says n3 leads; n3 has not answered yet → not enough
		const jszNamingN3 = { metaLeader: 'n3', clusterSize: 3, replicas: [], quorumNeeded: null };
		s = reduce(s, poll('n1', { endpoint: 'jsz', data: jszNamingN3 }, tick(2000)));
		expect(s.cluster.meta.leader).toBeNull();
		s = reduce(s, poll('n3', { endpoint: 'jsz', data: jszNamingN3 }));
		expect(s.cluster.meta.leader).toBe('n3');
		// …and the servers' own view stopped naming the stopped n2 with that same answer.
		expect(s.timeline.slice(-2).map((t) => t.text)).toEqual([
			'meta leader n2 → n3 (2.0 s without a leader)',
			'servers noticed: n1,n3 no longer follow n2 after 2.0 s',
		]);
	});

	it('a poll cannot undo, within 1.5 s, a leader change the logs just reported', () => {
		let s = upCluster();
		s = reduce(s, {
			kind: 'log',
			node: 'n3',
			at: tick(),
			level: 'INF',
			pid: 102,
			raw: '[102] 2026/11/26 00:00:00.000000 [INF] Self is new JetStream cluster metadata leader',
			parsed: { type: 'MetaLeaderElected', leader: 'self' },
		});
		expect(s.cluster.meta.leader).toBe('n3');
		// n2's answer was asked for before the hand-over (stepdown without a process change)
		const stale = reduce(
			s,
			poll('n2', { endpoint: 'jsz', data: normalizeJsz(sample('2.10.27', 'jsz-leader.json')) }, tick(200)),
		);
		expect(stale.cluster.meta.leader).toBe('n3');
		expect(stale.cluster.nodes.n2?.seesMetaLeader).toBe('n2'); // unchanged: its view predates the log
	});

	it('lame duck: no leadership, not a quorum member; SIGCONT of a paused lame duck returns to lame duck', () => {
		let s = upCluster();
		s = reduce(s, signal('n2', 101, 'ldm'));
		expect(s.cluster.nodes.n2).toMatchObject({ process: 'lameDuck', isMetaLeader: false });
		expect(s.cluster.meta.leader).toBeNull();
		expect(s.cluster.meta.quorum).toMatchObject({ reachable: 2, ok: true });
		s = fold(s, [signal('n2', 101, 'SIGSTOP'), signal('n2', 101, 'SIGCONT')]);
		expect(s.cluster.nodes.n2?.process).toBe('lameDuck');
	});

	it('quorum lost when two of three stop, with one timeline entry each way', () => {
		let s = upCluster();
		s = fold(s, [signal('n1', 100, 'SIGTERM'), signal('n3', 102, 'SIGTERM')]);
		expect(s.cluster.meta.quorum).toEqual({ reachable: 1, size: 3, needed: 2, ok: false });
		s = fold(s, [
			proc('n1', 'exited', 100),
			proc('n3', 'exited', 102),
			proc('n1', 'spawned', 300),
			proc('n1', 'ready', 300),
		]);
		// n2's last /routez (after n1's exit) lists no n1: not routed until an answer says so
		expect(s.cluster.meta.quorum.ok).toBe(false);
		s = reduce(s, poll('n2', { endpoint: 'routez', data: { peers: ['n1'], connections: 4 } }));
		expect(s.cluster.meta.quorum).toEqual({ reachable: 2, size: 3, needed: 2, ok: true });
		const quorum = s.timeline.filter((t) => t.kind === 'quorum').map((t) => t.text);
		expect(quorum.slice(-2)).toEqual([
			'meta quorum lost: 1/3 reachable (needs 2)',
			'meta quorum ok: 2/3 reachable (needs 2)',
		]);
	});
});

describe('reduce: health', () => {
	it('the early false 200 after a restart shows as healthy → unhealthy → healthy (2.10.27, gotcha 2)', () => {
		let s = upCluster();
		const body = `{"status":"unavailable","error":"JetStream stream '$G \\u003e ORDERS' is not current: group node unhealthy"}`;
		s = fold(s, [
			poll('n3', { endpoint: 'healthz', data: normalizeHealthz(200, '{"status":"ok"}') }),
			poll('n3', { endpoint: 'healthz', data: normalizeHealthz(503, body) }, tick(1000)),
			poll('n3', { endpoint: 'healthz', data: normalizeHealthz(503, body) }, tick(1000)),
			poll('n3', { endpoint: 'healthz', data: normalizeHealthz(200, '{"status":"ok"}') }, tick(1000)),
		]);
		expect(s.timeline.filter((t) => t.kind === 'health').map((t) => t.text)).toEqual([
			"n3 unhealthy: JetStream stream '$G > ORDERS' is not current: group node unhealthy",
			'n3 healthy',
		]);
		expect(s.cluster.nodes.n3?.health).toEqual({ ok: true, status: 200, since: clock });
	});
});
