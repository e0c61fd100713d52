// Small read-only questions about LabState that conditions, measures and target
// roles share. Pure: every answer comes from the state passed in.

import type { NodeName } from '../base/names.js';
import type { ProbeKind } from '../observe/events.js';
import { agreedMetaLeader } from '../observe/selectors.js';
import type { ConsumerState, LabState, NodeState, ProbeState, StreamState } from '../observe/state.js';

export const LAB_STREAM_NAME = 'ORDERS';

export function nodeNames(state: LabState): NodeName[] {
	return state.cluster.order;
}

export function node(state: LabState, name: NodeName): NodeState | undefined {
	return state.cluster.nodes[name];
}

/** Serving: process up (a lame-duck node is still running, but leaving). */
export function isUp(state: LabState, name: NodeName): boolean {
	return node(state, name)?.process === 'up';
}

/** The process exists and is not frozen or on its way out. */
export function isAlive(state: LabState, name: NodeName): boolean {
	const p = node(state, name)?.process;
	return p === 'up' || p === 'lameDuck' || p === 'starting';
}

export function isDown(state: LabState, name: NodeName): boolean {
	const p = node(state, name)?.process;
	return p === 'down' || p === 'exited';
}

export function upNodes(state: LabState): NodeName[] {
	return nodeNames(state).filter((n) => isUp(state, n));
}

/** The lab stream (ORDERS), or the only stream there is. */
export function mainStream(state: LabState, name?: string): StreamState | null {
	if (name) return state.cluster.streams[name] ?? null;
	return state.cluster.streams[LAB_STREAM_NAME] ?? Object.values(state.cluster.streams)[0] ?? null;
}

export function mainConsumer(state: LabState, name?: string): ConsumerState | null {
	if (name) return state.cluster.consumers[name] ?? null;
	const consumers = Object.values(state.cluster.consumers);
	return consumers.find((c) => c.name.startsWith(`${LAB_STREAM_NAME} >`)) ?? consumers[0] ?? null;
}

/** The meta leader every up node names (selectors.agreedMetaLeader), unless it is in `exclude`. */
export function agreedLeader(state: LabState, exclude: NodeName[] = []): NodeName | null {
	const leader = agreedMetaLeader(state);
	return leader && !exclude.includes(leader) ? leader : null;
}

export function probe(state: LabState, kind: ProbeKind): ProbeState | undefined {
	return Object.values(state.clients.probes).find((p) => p.kind === kind || p.id === kind);
}

export function probes(state: LabState): ProbeState[] {
	return state.clients.order.map((id) => state.clients.probes[id]).filter((p): p is ProbeState => !!p);
}

/** Probes whose client is connected to `name` right now. */
export function probesOn(state: LabState, name: NodeName): ProbeState[] {
	return probes(state).filter((p) => p.node === name && p.state === 'connected');
}

/** Peers `name` has routes to, or null while its /routez has not answered since it started. */
export function routedPeers(state: LabState, name: NodeName): NodeName[] | null {
	const n = node(state, name);
	if (!n) return null;
	if (n.routesSeenAt === null) return null;
	return n.peers;
}

/** Sum of JetStream publish failures of a probe. */
export function failures(p: ProbeState | undefined): number {
	if (!p) return 0;
	return p.failed.timeout + p.failed.noResponders + p.failed.unavailable + p.failed.other;
}

/** Is `name` a current, caught-up replica of the stream (or its leader)? */
export function replicaCaughtUp(name: NodeName, stream: StreamState | null): boolean {
	if (!stream) return true;
	if (stream.leader === name) return true;
	if (!stream.leader) return false;
	const r = stream.replicas.find((x) => x.name === name);
	// Not listed: a stream that does not live on this node (R1 elsewhere) is no obstacle.
	if (!r) return stream.replicas.length > 0;
	return r.current && !r.offline && r.lag === 0;
}
