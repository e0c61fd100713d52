// Questions the screen, the lessons and the rehearsal ask of a LabState: the one
// set (client questions live in ./client-selectors.ts). Pure functions of the
// state; time only comes from `state.now` or a parameter.

import { LAB_STREAM, type NodeName } from '../base/names.js';
import { agreedMetaLeader as agreedAmong } from '../monitoring/meta-leader.js';
import type { LogLevel } from './events.js';
import type { ConsumerState, LabState, NodeState, StreamState } from './state.js';

/** "meta quorum 3/3 (needs 2)", "meta quorum 1/3 (needs 2) – lost". */
export function metaQuorumText(s: LabState): string {
	const q = s.cluster.meta.quorum;
	return `meta quorum ${q.reachable}/${q.size} (needs ${q.needed})${q.ok ? '' : ' – lost'}`;
}

export function nodeNames(s: LabState): NodeName[] {
	return s.cluster.order;
}

export function node(s: LabState, name: NodeName): NodeState | undefined {
	return s.cluster.nodes[name];
}

/** Serving: process up (a lame-duck node is still running, but leaving). */
export function isUp(s: LabState, name: NodeName): boolean {
	return node(s, name)?.process === 'up';
}

/** The process exists and is not frozen or on its way out. */
export function isAlive(s: LabState, name: NodeName): boolean {
	const p = node(s, name)?.process;
	return p === 'up' || p === 'lameDuck' || p === 'starting';
}

export function isDown(s: LabState, name: NodeName): boolean {
	const p = node(s, name)?.process;
	return p === 'down' || p === 'exited';
}

function upNodes(s: LabState): NodeState[] {
	return s.cluster.order.map((n) => s.cluster.nodes[n]).filter((n): n is NodeState => n?.process === 'up');
}

export function upNodeNames(s: LabState): NodeName[] {
	return upNodes(s).map((n) => n.name);
}

/**
 * The meta leader every up node names, and which is itself up; null while they disagree or
 * know none, or when it is in `exclude` (the node a lesson wants the leadership to leave).
 */
export function agreedMetaLeader(s: LabState, exclude: readonly NodeName[] = []): NodeName | null {
	const leader = agreedAmong(upNodes(s).map((n) => ({ node: n.name, metaLeader: n.seesMetaLeader })));
	return leader !== null && !exclude.includes(leader) ? leader : null;
}

/** The lab stream (ORDERS), or the only stream there is; `name` picks another. */
export function mainStream(s: LabState, name?: string): StreamState | null {
	if (name) return s.cluster.streams[name] ?? null;
	return s.cluster.streams[LAB_STREAM] ?? Object.values(s.cluster.streams)[0] ?? null;
}

/** The lab stream's consumer ("ORDERS > C1"), or the only consumer there is; `name` picks another. */
export function mainConsumer(s: LabState, name?: string): ConsumerState | null {
	if (name) return s.cluster.consumers[name] ?? null;
	const consumers = Object.values(s.cluster.consumers);
	return consumers.find((c) => c.name.startsWith(`${LAB_STREAM} >`)) ?? consumers[0] ?? null;
}

/** Peers `name` has routes to, or null while its /routez has not answered since it started. */
export function routedPeers(s: LabState, name: NodeName): NodeName[] | null {
	const n = node(s, name);
	if (!n || n.routesSeenAt === null) return null;
	return n.peers;
}

/** " (n3 sees n1)" while a running node still names another meta leader (or none). */
export function metaLeaderDoubt(state: LabState): string {
	const leader = state.cluster.meta.leader;
	if (!leader) return '';
	const odd = state.cluster.order
		.map((n) => state.cluster.nodes[n])
		.filter((n) => n?.process === 'up' && n.seesMetaLeader !== leader)
		.map((n) => `${n?.name} sees ${n?.seesMetaLeader ?? 'none'}`);
	return odd.length > 0 ? ` (${odd.join(', ')})` : '';
}

/** What `node` leads: the meta group, streams ("ORDERS") and consumers ("ORDERS > C1"). */
export function nodeRole(
	s: LabState,
	node: NodeName,
): { meta: boolean; streams: string[]; consumers: string[] } {
	const n = s.cluster.nodes[node];
	return {
		meta: s.cluster.meta.leader === node,
		streams: n ? [...n.leads.streams] : [],
		consumers: n ? [...n.leads.consumers] : [],
	};
}

/**
 * `node` holds a current copy of `stream`: it is the leader, or a replica that is current, online
 * and not lagging. A stream not seen (yet) has no current copy anywhere: false.
 */
export function replicaCurrent(s: LabState, stream: string, node: NodeName): boolean {
	const st = s.cluster.streams[stream];
	const n = s.cluster.nodes[node];
	if (!st || !n || n.process !== 'up' || st.leader === null) return false;
	if (st.leader === node) return true;
	const r = st.replicas.find((x) => x.name === node);
	return r?.current === true && !r.offline && r.lag === 0;
}

/** Every replica of the stream is current (the stream has a leader and no stall). */
export function allReplicasCurrent(s: LabState, stream: string): boolean {
	const st = s.cluster.streams[stream];
	if (!st || st.leader === null || st.noQuorum || st.replicas.length === 0) return false;
	return st.replicas.every((r) => replicaCurrent(s, stream, r.name));
}

/** How long the current meta leader (or the current lack of one) has lasted, at `now`. */
export function metaLeaderAgeMs(s: LabState, now: number = s.now): number {
	return Math.max(0, now - s.cluster.meta.since);
}

export function streamLeader(s: LabState, stream: string): NodeName | null {
	return s.cluster.streams[stream]?.leader ?? null;
}

/** Streams in name order. */
export function streamList(s: LabState): StreamState[] {
	return Object.keys(s.cluster.streams)
		.sort()
		.map((k) => s.cluster.streams[k] as StreamState);
}

/** Every node's process is up and its /healthz said ok. */
export function allHealthy(s: LabState): boolean {
	return healthProblems(s).length === 0;
}

/** Why each of `names` is not healthy now ("n2 not up", "n3 not polled yet", "n1 503 “…”"); empty when all are. */
export function healthProblems(s: LabState, names: readonly NodeName[] = s.cluster.order): string[] {
	return names.flatMap((name) => {
		const h = node(s, name)?.health;
		if (!isUp(s, name)) return [`${name} not up`];
		if (!h) return [`${name} not polled yet`];
		return h.ok ? [] : [`${name} ${h.status}${h.error ? ` “${h.error}”` : ''}`];
	});
}

/** Every up node is routed to every other up node. */
export function fullMesh(s: LabState): boolean {
	return meshGaps(s).length === 0;
}

/**
 * Up nodes that lack a route to another up node, with the peers they lack. A node whose
 * /routez has not answered since it started lacks them all (its routes are not known yet).
 */
export function meshGaps(s: LabState): { node: NodeName; lacking: NodeName[] }[] {
	const up = upNodeNames(s);
	return up.flatMap((node) => {
		const peers = routedPeers(s, node);
		const lacking = up.filter((p) => p !== node && !peers?.includes(p));
		return lacking.length > 0 ? [{ node, lacking }] : [];
	});
}

/** Health has been ok without interruption for at least `ms` (2.10+ answer 200 once too early after a restart). */
export function healthyFor(s: LabState, node: NodeName, ms: number, now: number = s.now): boolean {
	const h = s.cluster.nodes[node]?.health;
	return h?.ok === true && now - h.since >= ms;
}

/** Timeline entries after `since` (e.g. since an action), oldest first. */
export function timelineSince(s: LabState, since: number): LabState['timeline'] {
	return s.timeline.filter((t) => t.at >= since);
}

export interface WarningSeen {
	level: LogLevel;
	/** The normalised message, without the level the reducer keys it by ("ERR <addr> - rid:N - …" → "<addr> - …"). */
	text: string;
	count: number;
	/** One real line of it. */
	example: string;
}

/** The warnings and errors seen, most frequent first (then by text). */
export function warningList(s: LabState): WarningSeen[] {
	return Object.entries(s.warnings)
		.map(([key, w]) => ({
			level: w.level,
			text: key.startsWith(`${w.level} `) ? key.slice(w.level.length + 1) : key,
			count: w.count,
			example: w.example,
		}))
		.sort((a, b) => b.count - a.count || a.text.localeCompare(b.text));
}

/** The `limit` most frequent warnings and errors. */
export function topWarnings(s: LabState, limit = 10): WarningSeen[] {
	return warningList(s).slice(0, limit);
}
