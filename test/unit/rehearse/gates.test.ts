// Gate evaluation on states the real reducer built from a recorded 2.10.27
// follower restart (healthz-2.10.27, n2's first restart, /healthz polled every
// 100 ms): the early false 200 must not open the gate.
import { describe, expect, it } from 'vitest';
import type { StreamReplicaState, StreamState } from '../../../src/observe/state.js';
import { agreedMetaLeader, evaluateNode } from '../../../src/rehearse/gates.js';
import { HEALTHZ_RESTART as R, replayHealthzRestart } from './scenarios.js';

const iso = (s: string) => Date.parse(s);
/** Last `Healthcheck failed` line of pid 8484 (n2.log), then the next 100 ms poll answered 200. */
const LAST_FAILURE = iso('2026-11-26T01:21:30.559524Z');
/** The first 503 after the early 200s: `Healthcheck failed: "JetStream stream '$G > ORDERS' is not current…"`. */
const FLAP = iso('2026-11-26T01:21:29.634023Z');

describe('gates over a recorded 2.10.27 follower restart', () => {
	it('times exit, start, mesh and meta leader from the process events and the log lines', () => {
		const [step] = replayHealthzRestart(3000).steps;
		expect(step).toBeDefined();
		if (!step) return;
		expect(step.exitedAt).toBe(R.exited);
		expect(step.exit).toEqual({ code: 1, signal: null });
		expect(step.spawnedAt).toBe(R.spawned);
		expect(step.newPid).toBe(R.pid);
		// `127.0.0.1:6224 - rid:17 - Route connection created`: the second peer (n3) dialled.
		expect(step.meshAt).toBe(iso('2026-11-26T01:21:28.289135Z'));
		// `JetStream cluster new metadata leader: n1/lab` on the restarted node.
		expect(step.metaLeaderAt).toBe(iso('2026-11-26T01:21:28.791977Z'));
		expect(step.wasMetaLeader).toBe(false);
		expect(step.leaderChanges).toEqual({ meta: 0, streams: 0, consumers: 0 });
	});

	it('does not accept the early 200: healthy counts from the final 200, and the flap is counted', () => {
		const { steps } = replayHealthzRestart(3000);
		const step = steps[0];
		expect(step?.healthFlaps).toBe(1);
		expect(step?.healthySince).toBe(LAST_FAILURE + 100);
		// docs/nats-behavior.md §5 measured this restart's final 200 at +2401 ms.
		expect((step?.healthySince ?? 0) - R.spawned).toBeGreaterThan(2300);
		expect(step?.passedAt).toBe(LAST_FAILURE + 100 + 3000);
		expect(step?.replicaCurrentAt).toBeGreaterThanOrEqual(R.spawned + R.currentAfterMs);
		expect(step?.failure).toBeNull();
	});

	it('keeps the gate shut during the early 200 even with a short stability window', () => {
		const { steps, states } = replayHealthzRestart(500);
		expect(steps[0]?.healthySince).toBe(LAST_FAILURE + 100);
		const early = states.find(
			(s) => s.now > R.spawned + 700 && s.now < FLAP && s.cluster.nodes.n2?.health?.ok,
		);
		expect(early).toBeDefined();
		if (!early) return;
		const gates = evaluateNode(early, 'n2', { version: '2.10.27', streams: ['ORDERS'] });
		expect(gates).toMatchObject({
			up: true,
			mesh: true,
			metaLeader: true,
			healthOk: true,
			replicaCurrent: false,
		});
		expect(gates.missing.join()).toMatch(/replica of ORDERS not current/);
	});

	it('says what is missing while the node is down, and what the restarted node does not know yet', () => {
		const { states } = replayHealthzRestart(3000);
		const down = states.find((s) => s.now >= R.exited && s.now < R.spawned);
		expect(down?.cluster.nodes.n2?.process).toBe('exited');
		if (!down) return;
		expect(evaluateNode(down, 'n2', { version: '2.10.27', streams: ['ORDERS'] }).missing[0]).toBe(
			'process is exited',
		);
		// n2's own `JetStream has not established contact with a meta leader` (WRN) at +121 ms.
		const blind = states.find(
			(s) =>
				s.now > R.spawned &&
				s.cluster.nodes.n2?.process === 'up' &&
				s.cluster.nodes.n2.seesMetaLeader === null,
		);
		expect(blind).toBeDefined();
		if (!blind) return;
		expect(agreedMetaLeader(blind)).toBeNull();
		expect(evaluateNode(blind, 'n2', { version: '2.10.27', streams: ['ORDERS'] }).missing).toContain(
			'knows no meta leader',
		);
	});

	it('names the meta leader every running node agrees on', () => {
		const { final } = replayHealthzRestart(3000);
		// `Self is new JetStream cluster metadata leader` on n1; n2 and n3 log `new metadata leader: n1/lab`.
		expect(agreedMetaLeader(final)).toBe('n1');
		expect(evaluateNode(final, 'n2', { version: '2.9.10', streams: ['ORDERS'] })).toMatchObject({
			onVersion: false,
			missing: ['runs 2.10.27, not 2.9.10'],
		});
	});
});

describe('replica gate on a larger cluster', () => {
	it('asks only the nodes that host a replica (an R3 stream on 5 nodes lives on 3 of them)', () => {
		const { states } = replayHealthzRestart(500);
		const last = states[states.length - 1];
		expect(last).toBeDefined();
		if (!last) return;
		const orders = last.cluster.streams.ORDERS;
		expect(orders?.leader).toBeTruthy();
		if (!orders) return;
		const elsewhere: StreamState = {
			...orders,
			leader: 'n1',
			viewFrom: 'n1',
			replicas: orders.replicas.filter((r) => r.name !== 'n2'),
		};
		const behind: StreamReplicaState = { name: 'n2', current: false, lag: 7, offline: false };
		const lagging: StreamState = { ...elsewhere, replicas: [...elsewhere.replicas, behind] };
		const gate = (stream: StreamState) =>
			evaluateNode(
				{ ...last, cluster: { ...last.cluster, streams: { ...last.cluster.streams, ORDERS: stream } } },
				'n2',
				{
					version: null,
					streams: ['ORDERS'],
				},
			);
		expect(gate(elsewhere).replicaCurrent).toBe(true);
		expect(gate(lagging).replicaCurrent).toBe(false);
		expect(gate(lagging).missing).toContain('replica of ORDERS not current');
		// Nobody can tell where it lives without a leader: the gate stays shut.
		expect(gate({ ...elsewhere, leader: null }).replicaCurrent).toBe(false);
		// n2's own (follower) answer never lists n2: it must not read as "placed elsewhere".
		expect(gate({ ...elsewhere, viewFrom: 'n2', replicas: elsewhere.replicas }).replicaCurrent).toBe(false);
		// Nor may another follower's answer decide it: only the leader's own view knows its peers.
		expect(gate({ ...elsewhere, viewFrom: 'n3' }).replicaCurrent).toBe(false);
	});
});
