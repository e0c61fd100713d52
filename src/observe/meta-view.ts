// The JetStream meta group as the servers themselves report it, apart from what
// natslab knows first. natslab sees a SIGKILL or SIGSTOP the moment it sends it;
// the survivors' /jsz keep naming the old leader until their own election ends
// (3–6 s measured, docs/screen-definitions.md). Both are true, and the gap
// between them is the lesson, so the screen shows each as whose it is.
// Definitions: docs/screen-definitions.md.

import { formatElapsed } from '../base/format.js';
import type { NodeName } from '../base/names.js';
import { majorityOf } from '../monitoring/raft-group.js';
import type { Draft } from './draft.js';
import type { NodeState, ProcessState, ServersMetaState } from './state.js';

type Nodes = { order: readonly NodeName[]; nodes: Readonly<Record<NodeName, NodeState>> };

/** The process answers monitoring now (a paused one's last answers are frozen, a gone one has none). */
export function answersNow(p: ProcessState): boolean {
	return p === 'up' || p === 'starting' || p === 'lameDuck' || p === 'stopping';
}

export interface LeaderView {
	node: NodeName;
	leader: NodeName | null;
}

export type ServersMetaLeader =
	/** No running server has answered /jsz (yet). */
	| { kind: 'unknown' }
	/** Every running server that answered names `leader`. */
	| { kind: 'agreed'; leader: NodeName; per: NodeName[] }
	/** Every running server that answered names no leader. */
	| { kind: 'none'; per: NodeName[] }
	/**
	 * They disagree; `leader`: a server that names itself and is named by most answering servers
	 * (e.g. a restarted follower that has not heard of it yet names none).
	 */
	| { kind: 'split'; views: LeaderView[]; leader?: NodeName };

/**
 * The leader each running server names in its own latest word: `meta_cluster.leader` of its /jsz or
 * its log line (`new metadata leader`, `no metadata leader`), whichever came last (`seesMetaLeader`).
 * Frozen and gone servers, and those that have said nothing yet, are left out.
 */
export function leaderViews(c: Nodes): LeaderView[] {
	return c.order.flatMap((name) => {
		const n = c.nodes[name];
		if (!n || !answersNow(n.process) || (!n.metaView && n.seesMetaLeader === null)) return [];
		return [{ node: name, leader: n.seesMetaLeader }];
	});
}

export function serversMetaLeader(c: Nodes): ServersMetaLeader {
	const views = leaderViews(c);
	const first = views[0];
	if (!first) return { kind: 'unknown' };
	if (!views.every((v) => v.leader === first.leader)) {
		// A thawed old leader may still name itself: look at every self-named one.
		const leader = views.find(
			(v) => v.leader === v.node && views.filter((o) => o.leader === v.node).length * 2 > views.length,
		)?.node;
		return leader === undefined ? { kind: 'split', views } : { kind: 'split', views, leader };
	}
	const per = views.map((v) => v.node);
	return first.leader === null ? { kind: 'none', per } : { kind: 'agreed', leader: first.leader, per };
}

/**
 * The leader the servers' view amounts to, to time how long it has held: "n3" (agreed, or named by
 * most and by itself), "none", "split", "unknown".
 */
function metaViewKey(v: ServersMetaLeader): string {
	switch (v.kind) {
		case 'agreed':
			return v.leader;
		case 'split':
			return v.leader ?? 'split';
		default:
			return v.kind;
	}
}

export interface ServersQuorum {
	/** The leader itself plus the peers its own view lists as current and not offline. */
	current: number;
	size: number;
	needed: number;
	ok: boolean;
	/** Whose view it is: the meta leader's own (only it knows whether followers are current). */
	per: NodeName;
	/** Peers the leader lists as not current (or offline). */
	behind: NodeName[];
}

/**
 * The meta quorum as the leader reports it in its own /jsz `meta_cluster.replicas` (followers of
 * 2.9/2.10 list no replicas, and 2.15 followers list their peers as not current): null unless the
 * servers agree on a leader (or most of them do, see ServersMetaLeader) that answers now and names itself.
 */
export function serversMetaQuorum(c: Nodes): ServersQuorum | null {
	const v = serversMetaLeader(c);
	const name = v.kind === 'agreed' || v.kind === 'split' ? v.leader : undefined;
	if (name === undefined) return null;
	const leader = c.nodes[name];
	const own = leader?.metaView;
	if (!leader || !answersNow(leader.process) || !own || own.metaLeader !== name) return null;
	const others = own.replicas.filter((r) => r.name !== name);
	const peers = others.filter((r) => r.current && !r.offline).length;
	const behind = others.filter((r) => !r.current || r.offline).map((r) => r.name);
	const size = own.clusterSize ?? c.order.length;
	const needed = own.quorumNeeded ?? majorityOf(size);
	return { current: 1 + peers, size, needed, ok: 1 + peers >= needed, per: name, behind };
}

/**
 * natslab saw the process of `node` go (or freeze) while the servers named it meta leader: remember
 * it until they stop naming it, to time how long they took to notice.
 */
export function noteDeparture(
	d: Draft,
	node: NodeName,
	how: 'killed' | 'stopped' | 'paused' | 'exited',
): void {
	const s = d.meta.servers;
	if (!s || s.departed?.node === node) return;
	const v = serversMetaLeader({ order: d.order, nodes: d.nodes.result() });
	const named =
		v.kind === 'agreed' ? v.leader === node : v.kind === 'split' && v.views.some((x) => x.leader === node);
	if (named) d.setMeta({ servers: { ...s, departed: { node, at: d.at, how } } });
}

/**
 * Re-read the servers' view after an event: record when it changed, and once no running server
 * names a departed leader any more, say after how long (a figure bounded by the poll interval).
 */
export function trackServersMeta(d: Draft): void {
	const v = serversMetaLeader({ order: d.order, nodes: d.nodes.result() });
	const key = metaViewKey(v);
	const was = d.meta.servers;
	if (!was && key === 'unknown') return; // nothing answered yet: the state stays as it was
	let next: ServersMetaState =
		was && was.view === key ? was : { view: key, since: d.at, departed: was?.departed ?? null };
	const gone = next.departed;
	if (gone) {
		const n = d.node(gone.node);
		const views = leaderViews({ order: d.order, nodes: d.nodes.result() });
		if (n && (n.process === 'up' || n.process === 'lameDuck')) {
			next = { ...next, departed: null }; // back (resumed) before the others stopped following it
		} else if (views.length > 0 && views.every((x) => x.leader !== gone.node)) {
			const who = views.map((x) => x.node).join(',');
			const text = `servers noticed: ${who} no longer follow ${gone.node} after ${formatElapsed(d.at - gone.at)}`;
			d.entry('leader', text, { node: gone.node });
			next = { ...next, departed: null };
		}
	}
	if (next !== was) d.setMeta({ servers: next });
}
