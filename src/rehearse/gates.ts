// The evidence a rehearsal demands before it touches the next node, evaluated
// on one LabState. Pure: the clock is a parameter, the state is not changed.
//
// A node passes when its new process is up on the target version, is routed to
// every peer, names the same meta leader as the rest of the cluster, holds a
// current copy (lag 0) of every replicated stream the lab watches that it hosts, and its
// /healthz has stayed ok for a while: 2.10.27 and 2.15.1 answered 200 once at
// +0.2–0.9 s after a restart and then 503 "stream ... is not current" for a
// second or more (docs/nats-behavior.md gotcha 2), so one 200 proves nothing.

import type { NodeName } from '../base/names.js';
import { isLeadersOwnView } from '../monitoring/raft-group.js';
import { agreedMetaLeader, replicaCurrent as holdsCurrentReplica, streamList } from '../observe/selectors.js';
import type { LabState } from '../observe/state.js';

export { agreedMetaLeader };

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

	const notCurrent = opts.streams.filter(
		(s) => placedElsewhere(state, s, node) === false && !holdsCurrentReplica(state, s, node),
	);
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

/**
 * False when `node` holds a replica of `stream` (or nobody can tell yet); true when the stream's
 * leader, in its own answer, lists its peers and `node` is not one of them. An R3 stream on a
 * 5-node cluster lives on 3 of them: the other two have no replica to be current. Only the
 * leader's own view counts: a server never lists itself in `replicas`, so a follower's view
 * (the newest answer when no leader claim stands) would make that follower look placed elsewhere.
 */
function placedElsewhere(state: LabState, stream: string, node: NodeName): boolean {
	const st = state.cluster.streams[stream];
	if (!st || st.viewFrom === node || !isLeadersOwnView(st.leader, st.viewFrom)) return false;
	return st.leader !== node && !st.replicas.some((r) => r.name === node);
}

/** Replicated streams the lab watches (the poller snapshots the lab stream). */
export function watchedStreams(state: LabState): string[] {
	return streamList(state).map((s) => s.name);
}
