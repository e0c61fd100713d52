// Named diagnoses over real states: the recorded 2.9.10 → 2.10.27 rolling
// upgrade (which went well: nothing may be named), then that run's final state
// driven into the two measured bad endings with polls built from the real
// /routez and /jsz samples: a route only one side lists, and a replica whose
// lag grows (866 → 4997, the numbers of the lesson 7 incident) while its
// routes are up.

import { describe, expect, it } from 'vitest';
import {
	type DiagnosisTracker,
	diagnoseStates,
	diagnosesOf,
	diagnosisLine,
	initialDiagnosisTracker,
	NO_META_ELECTION_HOLD_MS,
	ONE_WAY_ROUTE_HOLD_MS,
	REPLICA_STUCK_HOLD_MS,
	trackDiagnoses,
} from '../../../src/observe/diagnoses.js';
import type { PollEvent } from '../../../src/observe/events.js';
import { reduce } from '../../../src/observe/reducer.js';
import type { LabState } from '../../../src/observe/state.js';
import { poll, routezWithout, streamWithN1Behind, upgraded } from './diagnosis-states.js';

/** Feeds polls every second for `seconds`, folding the tracker over every state. */
function drive(
	start: { state: LabState; tracker: DiagnosisTracker },
	seconds: number,
	polls: (at: number, i: number) => PollEvent[],
) {
	let { state, tracker } = start;
	for (let i = 1; i <= seconds; i++) {
		const at = start.tracker.now + i * 1000;
		for (const e of polls(at, i)) {
			state = reduce(state, e);
			tracker = trackDiagnoses(tracker, state, at);
		}
	}
	return { state, tracker };
}

function begin() {
	const state = upgraded.final;
	return { state, tracker: trackDiagnoses(initialDiagnosisTracker(), state) };
}

/** The state after `node`'s process stopped being up (a SIGSTOP, an exit), one ms later. */
function nodeGone(
	state: LabState,
	node: string,
	what: { type: 'signalled'; signal: 'SIGSTOP' } | { type: 'exited'; code: number; signal: null },
): LabState {
	const pid = state.cluster.nodes[node]?.pid ?? 0;
	const next = reduce(state, { kind: 'process', node, at: state.now + 1, pid, ...what } as never);
	expect(next.cluster.nodes[node]?.process).not.toBe('up');
	return next;
}

const routezPoll = (node: string, at: number, drop: string[]): PollEvent =>
	poll(node, at, { endpoint: 'routez', data: routezWithout(drop) });
const fullRoutes = (node: string, peers: string[], at: number): PollEvent =>
	poll(node, at, { endpoint: 'routez', data: { peers, connections: peers.length * 4 } });

describe('diagnoses on the recorded rolling upgrade', () => {
	it('names nothing for a run that went well (routes re-dialled, replicas caught up)', () => {
		expect(upgraded.states.length).toBeGreaterThan(100);
		expect(diagnoseStates(upgraded.states)).toEqual([]);
	});
});

describe('one-way-route', () => {
	it('is named once one side lists the route and the other has not for the hold time', () => {
		const start = begin();
		const steps = ONE_WAY_ROUTE_HOLD_MS / 1000 + 2;
		const end = drive(start, steps, (at) => [
			routezPoll('n2', at, ['n1']), // n2 lists only n3
			fullRoutes('n1', ['n2', 'n3'], at),
			fullRoutes('n3', ['n1', 'n2'], at),
		]);
		const early = drive(start, 5, (at) => [routezPoll('n2', at, ['n1'])]);
		expect(diagnosesOf(early.tracker)).toEqual([]);
		const found = diagnosesOf(end.tracker);
		expect(found).toHaveLength(1);
		const d = found[0];
		expect(d).toMatchObject({
			kind: 'one-way-route',
			summary: 'n1 lists a route to n2 but n2 does not list n1',
		});
		expect(d?.heldMs).toBeGreaterThanOrEqual(ONE_WAY_ROUTE_HOLD_MS);
		expect(d?.evidence).toContain('n1 /routez: n2, n3');
		expect(d?.evidence).toContain('n2 /routez: n3');
		// n3 restarted last in the recorded run, n1 and n2 before it: the newer of n1/n2 is n2.
		expect(d?.node).toBe('n2');
		expect(d?.hint).toBe('restart n2: kill + start fixed it at once');
		expect(diagnosisLine(d as NonNullable<typeof d>)).toMatch(
			/^one-way-route: n1 lists a route to n2 but n2 does not list n1 \(1\d s\) → restart n2: /,
		);
	});

	it('is not named for a reconnect in flight, and goes away when both sides list the route', () => {
		const start = begin();
		const flapping = drive(start, 20, (at, i) => [
			i % 8 === 0 ? routezPoll('n2', at, ['n1']) : fullRoutes('n2', ['n1', 'n3'], at),
		]);
		expect(diagnosesOf(flapping.tracker)).toEqual([]);
		const stuck = drive(start, 15, (at) => [routezPoll('n2', at, ['n1'])]);
		expect(diagnosesOf(stuck.tracker).map((d) => d.kind)).toEqual(['one-way-route']);
		const healed = drive(stuck, 1, (at) => [fullRoutes('n2', ['n1', 'n3'], at)]);
		expect(diagnosesOf(healed.tracker)).toEqual([]);
	});

	it('ignores a node that is not up (a stopped peer is not a one-way route)', () => {
		const start = begin();
		const state = nodeGone(start.state, 'n2', { type: 'signalled', signal: 'SIGSTOP' });
		const end = drive({ state, tracker: trackDiagnoses(initialDiagnosisTracker(), state) }, 15, (at) => [
			fullRoutes('n1', ['n2', 'n3'], at),
		]);
		expect(diagnosesOf(end.tracker)).toEqual([]);
	});
});

describe('replica-stuck', () => {
	const streamPoll = (at: number, lag: number): PollEvent =>
		poll('n2', at, { endpoint: 'stream', data: streamWithN1Behind(lag) });
	const routesUp = (at: number) => [
		fullRoutes('n1', ['n2', 'n3'], at),
		fullRoutes('n2', ['n1', 'n3'], at),
		fullRoutes('n3', ['n1', 'n2'], at),
	];

	it('names a replica whose lag grows while its routes are up (the lesson 7 incident: 866 → 4997)', () => {
		const start = begin();
		const seconds = 240;
		const end = drive(start, seconds, (at, i) => [
			...routesUp(at),
			streamPoll(at, Math.round(866 + ((4997 - 866) * i) / seconds)),
		]);
		const found = diagnosesOf(end.tracker);
		expect(found.map((d) => [d.kind, d.node])).toEqual([['replica-stuck', 'n1']]);
		const d = found[0];
		expect(d?.summary).toBe(
			"n1's replica of ORDERS is behind and its lag grows (883 → 4997) while its routes are up",
		);
		expect(d?.evidence[0]).toBe('n2 /jsz ORDERS: n1 current:false lag:4997');
		expect(d?.evidence[1]).toBe('lag 883 → 4997 over 3 min 59 s');
		expect(d?.hint).toBe('restart n1: kill + start fixed it at once');
	});

	it('does not name a replica that is catching up, nor one behind for less than the hold time', () => {
		const start = begin();
		const catching = drive(start, 40, (at, i) => [
			...routesUp(at),
			streamPoll(at, Math.max(0, 4000 - i * 50)),
		]);
		expect(diagnosesOf(catching.tracker)).toEqual([]);
		const short = drive(start, REPLICA_STUCK_HOLD_MS / 1000 - 5, (at, i) => [
			...routesUp(at),
			streamPoll(at, 100 + i * 10),
		]);
		expect(diagnosesOf(short.tracker)).toEqual([]);
		const caughtUp = drive(short, 30, (at) => [...routesUp(at), streamPoll(at, 0)]);
		expect(diagnosesOf(caughtUp.tracker)).toEqual([]);
	});

	it('does not blame the replica while its routes are down (that is a mesh problem, not a stuck replica)', () => {
		const start = begin();
		const cut = drive(start, 40, (at, i) => [
			fullRoutes('n1', [], at),
			fullRoutes('n2', ['n3'], at),
			fullRoutes('n3', ['n2'], at),
			streamPoll(at, 100 + i * 10),
		]);
		expect(diagnosesOf(cut.tracker)).toEqual([]);
	});
});

describe('no-meta-election', () => {
	// n3 is stopped; n1 and n2 (a majority of three) are routed to each other and their /jsz
	// (the shape of the real 2.9.10 quorum-loss answer: no leader) names none.
	const noLeader = (node: string, at: number): PollEvent =>
		poll(node, at, {
			endpoint: 'jsz',
			data: { metaLeader: null, clusterSize: 3, replicas: [], quorumNeeded: 2 },
		});
	const majorityWithoutLeader = (at: number) => [
		fullRoutes('n1', ['n2'], at),
		fullRoutes('n2', ['n1'], at),
		noLeader('n1', at),
		noLeader('n2', at),
	];
	function withN3Stopped() {
		const start = begin();
		expect(start.state.cluster.meta.leader).not.toBeNull();
		const state = nodeGone(start.state, 'n3', { type: 'exited', code: 0, signal: null });
		return { state, tracker: trackDiagnoses(start.tracker, state, start.tracker.now + 1) };
	}

	it("names a routed majority that elects no meta leader for the hold time, with each side's view", () => {
		const seconds = NO_META_ELECTION_HOLD_MS / 1000 + 2;
		const end = drive(withN3Stopped(), seconds, majorityWithoutLeader);
		const found = diagnosesOf(end.tracker);
		expect(found.map((d) => d.kind)).toEqual(['no-meta-election']);
		const d = found[0];
		expect(d?.summary).toBe(
			'n1 and n2 are routed to each other, a majority of the meta group, and elect no meta leader',
		);
		expect(d?.evidence).toContain('n1 /jsz: no meta leader · /routez: n2');
		expect(d?.evidence).toContain('n2 /jsz: no meta leader · /routez: n1');
		expect(d?.heldMs).toBeGreaterThanOrEqual(NO_META_ELECTION_HOLD_MS);
		expect(['n1', 'n2']).toContain(d?.node);
		expect(d?.hint).toMatch(/^restart n[12]: /);
	});

	it('is not named during a normal election, nor once a leader is named', () => {
		const start = withN3Stopped();
		const election = drive(start, 9, majorityWithoutLeader); // a SIGKILL election: 4–9 s
		expect(diagnosesOf(election.tracker)).toEqual([]);
		const long = drive(start, NO_META_ELECTION_HOLD_MS / 1000 + 2, majorityWithoutLeader);
		const elected = drive(long, 1, (at) => [
			poll('n1', at, {
				endpoint: 'jsz',
				data: { metaLeader: 'n1', clusterSize: 3, replicas: [], quorumNeeded: 2 },
			}),
			poll('n2', at, {
				endpoint: 'jsz',
				data: { metaLeader: 'n1', clusterSize: 3, replicas: [], quorumNeeded: 2 },
			}),
		]);
		expect(diagnosesOf(elected.tracker)).toEqual([]);
	});

	it('is not named for a minority (one survivor cannot elect) nor for a cluster that never had a leader', () => {
		const start = withN3Stopped();
		const minority = drive(start, 40, (at) => [
			fullRoutes('n1', [], at),
			fullRoutes('n2', [], at),
			noLeader('n1', at),
			noLeader('n2', at),
		]);
		expect(diagnosesOf(minority.tracker)).toEqual([]);
		// A brand-new cluster may rightly wait for all its servers (2.12+): nothing named before a first leader.
		let never = start.state;
		for (const e of majorityWithoutLeader(never.now + 1)) never = reduce(never, e);
		expect(['n1', 'n2'].map((n) => never.cluster.nodes[n]?.seesMetaLeader)).toEqual([null, null]);
		const fresh = drive(
			{ state: never, tracker: trackDiagnoses(initialDiagnosisTracker(), never) },
			40,
			majorityWithoutLeader,
		);
		expect(diagnosesOf(fresh.tracker)).toEqual([]);
	});
});
