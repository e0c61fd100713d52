// The evidence a rehearsal demands before it touches the next node, evaluated
// on one LabState. Pure: the clock is a parameter, the state is not changed.
//
// A node passes when its new process is up on the target version, is routed to
// every peer, names the same meta leader as the rest of the cluster, holds a
// current copy (lag 0) of every replicated stream the lab watches, and its
// /healthz has stayed ok for a while: 2.10.27 and 2.15.1 answered 200 once at
// +0.2–0.9 s after a restart and then 503 "stream ... is not current" for a
// second or more (nats-behavior.md gotcha 2), so one 200 proves nothing.

import type { NodeName } from '../cluster/types.js';
import type { LabState, NodeState } from '../observe/state.js';

export interface NodeGates {
	up: boolean;
	onVersion: boolean;
	mesh: boolean;
	metaLeader: boolean;
	replicaCurrent: boolean;
	healthOk: boolean;
	/** Why the node is not there yet, for a timeout message. */
	missing: string[];
}

/** The meta leader every running node agrees on; null while they disagree or know none. */
export function agreedMetaLeader(state: LabState): NodeName | null {
	const running = state.cluster.order
		.map((n) => state.cluster.nodes[n])
		.filter((n): n is NodeState => n !== undefined && n.process === 'up');
	if (running.length === 0) return null;
	const seen = running[0]?.seesMetaLeader ?? null;
	if (seen === null) return null;
	if (!running.every((n) => n.seesMetaLeader === seen)) return null;
	return running.some((n) => n.name === seen) ? seen : null;
}

/** True when `node` is the stream's leader or a replica that is current, online and has no lag. */
export function replicaIsCurrent(state: LabState, stream: string, node: NodeName): boolean {
	const s = state.cluster.streams[stream];
	if (!s || s.leader === null) return false;
	if (s.leader === node) return true;
	const r = s.replicas.find((x) => x.name === node);
	return r?.current === true && !r.offline && r.lag === 0;
}

export function evaluateNode(
	state: LabState,
	node: NodeName,
	opts: { version: string | null; streams: string[] },
): NodeGates {
	const n = state.cluster.nodes[node];
	const missing: string[] = [];
	if (!n)
		return {
			up: false,
			onVersion: false,
			mesh: false,
			metaLeader: false,
			replicaCurrent: false,
			healthOk: false,
			missing: [`${node} is not part of the cluster`],
		};

	const up = n.process === 'up';
	if (!up) missing.push(`process is ${n.process}`);
	const onVersion = opts.version === null || n.version === opts.version;
	if (!onVersion) missing.push(`runs ${n.version ?? 'an unknown version'}, not ${opts.version}`);

	const others = state.cluster.order.filter((x) => x !== node);
	const unrouted = others.filter((x) => !n.peers.includes(x));
	const mesh = up && unrouted.length === 0;
	if (up && !mesh) missing.push(`no route to ${unrouted.join(', ')}`);

	const leader = agreedMetaLeader(state);
	const metaLeader = up && leader !== null && n.seesMetaLeader === leader;
	if (up && !metaLeader) {
		missing.push(
			n.seesMetaLeader === null ? 'knows no meta leader' : 'the nodes do not agree on a meta leader',
		);
	}

	const notCurrent = opts.streams.filter((s) => !replicaIsCurrent(state, s, node));
	const replicaCurrent = up && opts.streams.length > 0 && notCurrent.length === 0;
	if (opts.streams.length === 0) missing.push('no stream to check');
	else if (up && !replicaCurrent) missing.push(`replica of ${notCurrent.join(', ')} not current`);

	const healthOk = up && n.health?.ok === true;
	if (up && !healthOk) {
		missing.push(
			n.health
				? `/healthz ${n.health.status}${n.health.error ? ` "${n.health.error}"` : ''}`
				: 'no /healthz answer yet',
		);
	}
	return { up, onVersion, mesh, metaLeader, replicaCurrent, healthOk, missing };
}

/** Replicated streams the lab watches (the poller snapshots the lab stream). */
export function watchedStreams(state: LabState): string[] {
	return Object.keys(state.cluster.streams).sort();
}
