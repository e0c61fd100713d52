// Replays a real recorded run (test/fixtures/logs/<run>, loaded by the shared
// test/support/fixtures.ts) through the real reducer, the way the rehearsal sees
// it. What only the monitoring endpoints could tell (routes, a /healthz 200, a
// stream replica being current) is added as poll events by the documented rules
// in test/fixtures/logs/REHEARSE.md, never invented beyond what the run recorded.

import type { LabEvent, LogLineEvent, PollEvent } from '../../../src/observe/events.js';
import { initialLabState, reduce } from '../../../src/observe/reducer.js';
import type { LabState } from '../../../src/observe/state.js';
import { logEvents, processEvents } from '../../support/fixtures.js';

export { logEvents };

export const NODES = ['n1', 'n2', 'n3'];
/** Cluster ports of the recorded runs (n1.conf: 6222; n2, n3 differ only in ports). */
const CLUSTER_PORT: Record<string, string> = {
	'127.0.0.1:6222': 'n1',
	'127.0.0.1:6223': 'n2',
	'127.0.0.1:6224': 'n3',
};

/**
 * /routez as the node would have answered: the peers it has dialled out to so far (a
 * `Route connection created` line whose remote is a peer's cluster port), per process.
 */
export function routezFromLogs(logs: LogLineEvent[]): PollEvent[] {
	const out: PollEvent[] = [];
	const peers = new Map<number, Set<string>>();
	for (const e of logs) {
		if (e.parsed.type !== 'RouteCreated' || e.pid === null) continue;
		const peer = CLUSTER_PORT[e.parsed.remote];
		if (!peer || peer === e.node) continue;
		const set = peers.get(e.pid) ?? new Set<string>();
		set.add(peer);
		peers.set(e.pid, set);
		const list = NODES.filter((n) => set.has(n));
		out.push({
			kind: 'poll',
			node: e.node,
			at: e.at,
			ok: true,
			endpoint: 'routez',
			data: { peers: list, connections: list.length },
		});
	}
	return out;
}

/** Every recorded event of a run, merged by time (a process event first at equal times). */
export function recordedEvents(run: string): LabEvent[] {
	const logs = NODES.flatMap((n) => logEvents(run, n));
	const all: LabEvent[] = [...processEvents(run), ...logs, ...routezFromLogs(logs)];
	const rank = (e: LabEvent) => (e.kind === 'process' ? 0 : e.kind === 'log' ? 1 : 2);
	return all.sort((a, b) => a.at - b.at || rank(a) - rank(b));
}

export function fold(events: LabEvent[], state = initialLabState({ nodes: NODES })): LabState {
	return events.reduce(reduce, state);
}

/** Healthcheck failures the server logged for one process, oldest first. */
export function healthFailures(logs: LogLineEvent[], pid: number): number[] {
	return logs.filter((e) => e.pid === pid && e.parsed.type === 'HealthcheckFailed').map((e) => e.at);
}

/**
 * /healthz 200 answers of one process, from a harness that polled every `everyMs`: each poll
 * that failed left a `Healthcheck failed` line, so the polls between those lines answered 200.
 */
export function healthzOkBetweenFailures(
	node: string,
	failures: number[],
	everyMs: number,
	until: number,
): PollEvent[] {
	const out: PollEvent[] = [];
	const bounds = [...failures, until + everyMs];
	for (let i = 0; i + 1 < bounds.length; i++) {
		const from = bounds[i] as number;
		const next = bounds[i + 1] as number;
		for (let t = from + everyMs; t < next - everyMs / 2 && t <= until; t += everyMs) {
			out.push({ kind: 'poll', node, at: t, ok: true, endpoint: 'healthz', data: { status: 200, ok: true } });
		}
	}
	return out;
}

/** /healthz 200 every `everyMs` from `from` to `until` (a process whose polls all answered 200). */
export function healthzOk(node: string, from: number, until: number, everyMs: number): PollEvent[] {
	const out: PollEvent[] = [];
	for (let t = from; t <= until; t += everyMs) {
		out.push({ kind: 'poll', node, at: t, ok: true, endpoint: 'healthz', data: { status: 200, ok: true } });
	}
	return out;
}

/**
 * ORDERS as its leader's /jsz would show it at `at`: every running node a replica, current
 * (lag 0) unless it is `catchingUp`; a node that is not running is offline. The sequence
 * grows with the runs' background publisher (one acked message every 20 ms).
 */
export function streamView(state: LabState, at: number, catchingUp: string | null): PollEvent | null {
	const leader = state.cluster.streams.ORDERS?.leader ?? null;
	if (leader === null) return null;
	const seq = Math.floor(at / 20) % 1_000_000;
	const replicas = NODES.map((name) => {
		const p = state.cluster.nodes[name]?.process;
		const running = p === 'up' || p === 'starting';
		const current = running && name !== catchingUp;
		return { name, current, lag: current ? 0 : 5, offline: !running };
	});
	return {
		kind: 'poll',
		node: leader,
		at,
		ok: true,
		endpoint: 'stream',
		data: { stream: 'ORDERS', leader, messages: seq, lastSeq: seq, replicas, viewFrom: leader },
	};
}

/**
 * Feed `events` one by one, as the lab's store would, and show `observe` every state in
 * between. Every `tickMs` of event time, `onTick` may add poll events built from the state
 * at that moment (the poller's view of what the logs do not say).
 */
export function replay(
	events: LabEvent[],
	opts: {
		tickMs: number;
		onTick: (state: LabState, at: number) => LabEvent[];
		/** `at`: the event's time (the state's own `now` stays put when an event changes nothing). */
		observe: (state: LabState, at: number) => void;
		/** Called with the state just before `event` is folded in. */
		before?: (state: LabState, event: LabEvent) => void;
	},
	state = initialLabState({ nodes: NODES }),
): LabState {
	let s = state;
	let nextTick = events[0]?.at ?? 0;
	const apply = (e: LabEvent) => {
		s = reduce(s, e);
		opts.observe(s, e.at);
	};
	for (const e of events) {
		while (nextTick <= e.at) {
			for (const x of opts.onTick(s, nextTick)) apply(x);
			nextTick += opts.tickMs;
		}
		opts.before?.(s, e);
		apply(e);
	}
	return s;
}
