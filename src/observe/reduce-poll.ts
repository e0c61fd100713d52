// Monitoring snapshots → state. A snapshot is the answering node's own view,
// possibly up to a second old, so: answers of a node that is down, exited or
// frozen change nothing (no resurrection); leaders are taken from the view of
// the node that claims the leadership itself; and a poll may not undo a
// leader change the logs reported less than FRESH_MS ago.

import type { NodeName } from '../base/names.js';
import { agreedMetaLeader } from '../monitoring/meta-leader.js';
import type { HealthzSnapshot, JszSnapshot, StreamSnapshot } from '../monitoring/types.js';
import { canLead, electGroup, electMeta, loseMeta } from './derive.js';
import type { Draft } from './draft.js';
import type { Evidence, PollEvent } from './events.js';
import { newConsumer, newStream } from './groups.js';
import { noticeMetaLost, noticeRoutesDropped } from './notice.js';
import type { NodeState } from './state.js';

type EndpointEvidence = Extract<Evidence, { source: 'endpoint' }>;

/** Longer than a poll's timeout: an answer this long after a change was asked for after it. */
export const FRESH_MS = 1500;

export function reducePoll(d: Draft, e: PollEvent): void {
	const n = d.node(e.node);
	if (!n) return;
	if (!e.ok) {
		// Only /healthz failures say something about the node: it does not answer (normal while starting).
		if (e.endpoint === 'healthz' && n.process !== 'starting' && n.process !== 'stopping')
			applyHealth(d, n, { status: 0, ok: false, error: `no answer: ${e.error}` });
		return;
	}
	if (n.process === 'down' || n.process === 'exited' || n.process === 'paused') return;
	const ev: EndpointEvidence = { source: 'endpoint', node: e.node, endpoint: e.endpoint };
	switch (e.endpoint) {
		case 'varz': {
			const patch: Partial<NodeState> = { clients: e.data.connections };
			if (e.data.version) patch.version = e.data.version;
			if (e.data.serverId) patch.serverId = e.data.serverId;
			d.patchNode(e.node, patch);
			return;
		}
		case 'routez': {
			const peers = peerNames(d, e.node, [...e.data.peers, ...(e.data.peerIds ?? [])]);
			noticeRoutesDropped(d, e.node, n.routesSeenAt != null ? n.peers : null, peers);
			d.patchNode(e.node, {
				peers,
				routeConnections: e.data.connections,
				routesSeenAt: n.routesSeenAt ?? e.at,
			});
			return;
		}
		case 'jsz':
			applyJsz(d, n, e.data, { ...ev, detail: `meta_cluster.leader ${e.data.metaLeader ?? '(none)'}` });
			return;
		case 'healthz':
			applyHealth(d, n, e.data);
			return;
		case 'raftz':
			d.patchNode(e.node, { raft: e.data.groups });
			return;
		case 'stream':
			applyStream(d, e.data, e.node, ev);
			return;
	}
}

/** Peer names in cluster order; 2.9.10 gives only server ids, matched against each node's `serverId`. */
function peerNames(d: Draft, self: NodeName, reported: string[]): NodeName[] {
	const found = new Set<NodeName>();
	for (const r of reported) {
		const byName = d.node(r) ? r : d.order.find((o) => d.node(o)?.serverId === r);
		if (byName && byName !== self) found.add(byName);
	}
	return d.order.filter((o) => found.has(o));
}

function applyJsz(d: Draft, n: NodeState, data: JszSnapshot, ev: Evidence): void {
	const leader = data.metaLeader;
	const logSaidOtherwise =
		d.meta.evidence?.source === 'log' && d.at - d.meta.since < FRESH_MS && leader !== d.meta.leader;
	// The server's own answer, as it is (meta-view.ts); `seesMetaLeader` is natslab's reading of it.
	const patch: Partial<NodeState> = { metaView: { ...data, at: d.at } };
	noticeMetaLost(d, n.name, n.metaView?.metaLeader ?? null, leader);
	if (!logSaidOtherwise) patch.seesMetaLeader = leader;
	if (n.jetstream === 'off' || n.jetstream === 'starting') patch.jetstream = 'up';
	d.patchNode(n.name, patch);
	if (logSaidOtherwise || !canLead(n.process)) return;
	const current = d.meta.leader;
	const settled = current === null || d.at - d.meta.since >= FRESH_MS;
	// A node's claim of itself counts unless the other nodes' majority follows another (it is cut off).
	const believable =
		leader !== null &&
		establishedLeader(d, leader) &&
		(leader === n.name ? outvotedBy(d, n.name) === null : allUpAgree(d, leader));
	if (leader !== null && leader !== current && settled && believable) {
		electMeta(d, leader, ev);
	} else if (current === n.name && leader !== n.name && settled) {
		loseMeta(d, 'stepped down', ev);
	}
}

/**
 * A poll may name `node` as a leader only once its current process has been up for FRESH_MS: a view can
 * still name the previous process of a restarted node, or a node that just woke from SIGSTOP. (A new
 * leader that fast is reported by its own log line.)
 */
function establishedLeader(d: Draft, node: NodeName): boolean {
	const n = d.node(node);
	return n !== undefined && n.process === 'up' && d.at - n.since >= FRESH_MS;
}

/** Every node that is up names `leader` (a follower's view alone may be stale). */
function allUpAgree(d: Draft, leader: NodeName): boolean {
	const up = d.order.map((o) => d.node(o)).filter((o): o is NodeState => o?.process === 'up');
	return agreedMetaLeader(up.map((o) => ({ node: o.name, metaLeader: o.seesMetaLeader }))) === leader;
}

function applyHealth(d: Draft, n: NodeState, data: HealthzSnapshot): void {
	if (n.process === 'down' || n.process === 'exited') return;
	const h = n.health;
	const next: NonNullable<NodeState['health']> = {
		ok: data.ok,
		status: data.status,
		since: h && h.ok === data.ok ? h.since : d.at,
	};
	if (data.error !== undefined) next.error = data.error;
	if (!d.patchNode(n.name, { health: next })) return;
	if (h ? h.ok !== data.ok : !data.ok) {
		const why = data.error ?? `HTTP ${data.status}`;
		d.entry('health', data.ok ? `${n.name} healthy` : `${n.name} unhealthy: ${why}`, { node: n.name });
	}
}

function applyStream(d: Draft, s: StreamSnapshot, view: NodeName, ev: EndpointEvidence): void {
	if (!d.streams.get(s.stream)) d.streams.set(s.stream, newStream(s.stream));
	const cur = d.streams.get(s.stream);
	if (!cur) return;
	// A cut-off former leader keeps naming itself in its own /jsz; believing it flipped the
	// leader back and forth for ~20 s during a cut. Its view is its old belief: said once, not applied.
	const majority = outvotedBy(d, view);
	if (majority !== null) {
		if (s.leader === view && cur.leader !== view) noteClaim(d, view, s.stream, cur.leader, majority, ev);
		return;
	}
	d.streams.patch(s.stream, {
		replicas: s.replicas.map((r) => ({ name: r.name, current: r.current, lag: r.lag, offline: r.offline })),
		messages: s.messages,
		lastSeq: s.lastSeq,
		viewFrom: s.viewFrom ?? view,
	});
	const settled = cur.leader === null || cur.leaderSince === null || d.at - cur.leaderSince >= FRESH_MS;
	const detail: Evidence = { ...ev, detail: `${s.stream} cluster.leader ${s.leader ?? '(none)'}` };
	if (settled && s.leader !== cur.leader) {
		// Only the leader's own view is believed for a change; a follower's may name a frozen leader.
		if (s.leader === view && establishedLeader(d, view)) {
			electGroup(d, { kind: 'stream', key: s.stream }, s.leader, detail);
		} else if (cur.leader === view && s.leader === null)
			electGroup(d, { kind: 'stream', key: s.stream }, null, detail);
	}
	for (const c of s.consumers ?? []) {
		const key = `${s.stream} > ${c.name}`;
		if (!d.consumers.get(key)) d.consumers.set(key, newConsumer(key));
		const cc = d.consumers.get(key);
		if (!cc || c.leader === null || c.leader === cc.leader) continue;
		const fresh = cc.leader === null || cc.leaderSince === null || d.at - cc.leaderSince >= FRESH_MS;
		if (fresh && establishedLeader(d, c.leader)) {
			electGroup(d, { kind: 'consumer', key }, c.leader, {
				...ev,
				detail: `${key} cluster.leader ${c.leader}`,
			});
		}
	}
}

/**
 * The meta leader a majority of the other running nodes agree on, when `node`'s own last /jsz names
 * none or another: it is cut off from them (their routes hold, its do not). Null when it is not.
 */
function outvotedBy(d: Draft, node: NodeName): NodeName | null {
	const own = d.node(node)?.metaView;
	const others = d.order
		.filter((o) => o !== node)
		.map((o) => d.node(o))
		.filter((o): o is NodeState => o?.process === 'up' && o.metaView != null);
	if (!own || others.length <= d.order.length / 2) return null;
	const agreed = agreedMetaLeader(
		others.map((o) => ({ node: o.name, metaLeader: o.metaView?.metaLeader ?? null })),
	);
	return agreed !== null && own.metaLeader !== agreed ? agreed : null;
}

/** "n3 claims ORDERS in its own /jsz …", once while the same leader stands. */
function noteClaim(
	d: Draft,
	node: NodeName,
	stream: string,
	leader: NodeName | null,
	majority: NodeName,
	ev: Evidence,
): void {
	const text = `${node} claims ${stream} leadership in its own /jsz, but it is cut off: the others follow meta leader ${majority}${leader ? ` and ${leader} leads ${stream}` : ''}`;
	const since = d.streams.get(stream)?.leaderSince ?? 0;
	if (d.base.timeline.some((e) => e.at >= since && e.text === text)) return;
	d.entry('leader', text, { node, evidence: ev });
}
