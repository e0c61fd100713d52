// A route as both of its ends report it. Each server's /routez lists the routes
// it has; after a SIGSTOP the frozen server cannot answer, and its peers keep
// listing their routes to it until their pings go stale (60–90 s on 2.10.27,
// docs/nats-behavior.md §1), so one side's list alone is not the route's state.
// Definitions: docs/screen-definitions.md.

import type { NodeName } from '../base/names.js';
import { answersNow } from './meta-view.js';
import type { LabState, NodeState } from './state.js';

/**
 * both: each side lists the other; mine: only `node` lists it (the peer does not, or cannot say);
 * theirs: only the peer lists it; none: neither does; unknown: neither side can say.
 */
export type RouteMark = 'both' | 'mine' | 'theirs' | 'none' | 'unknown';

function gone(n: NodeState): boolean {
	return n.process === 'exited' || n.process === 'down';
}

/** Whether `n` lists a route to `peer` now: null when its /routez cannot tell (frozen, gone, not answered yet). */
function lists(n: NodeState | undefined, peer: NodeName): boolean | null {
	if (!n || !answersNow(n.process) || n.routesSeenAt == null) return null;
	return n.peers.includes(peer);
}

export function routeMark(s: LabState, node: NodeName, peer: NodeName): RouteMark {
	const a = s.cluster.nodes[node];
	const b = s.cluster.nodes[peer];
	// A process that is gone has no routes: its end is closed, whatever the other end can say.
	if (!a || !b || gone(a) || gone(b)) return 'none';
	const mine = lists(a, peer);
	const theirs = lists(b, node);
	if (mine === null && theirs === null) return 'unknown';
	if (mine && theirs) return 'both';
	if (mine) return 'mine';
	if (theirs) return 'theirs';
	return 'none';
}

/** Every peer of `node` in cluster order, with the route as both sides report it. */
export function routeMarks(s: LabState, node: NodeName): { peer: NodeName; mark: RouteMark }[] {
	return s.cluster.order.filter((p) => p !== node).map((peer) => ({ peer, mark: routeMark(s, node, peer) }));
}

/** Data of a frozen (SIGSTOPped) node: its monitoring answers nothing, so what it said last is stale. */
export function frozenForMs(s: LabState, node: NodeName, now: number = s.now): number | null {
	const n = s.cluster.nodes[node];
	return n?.process === 'paused' ? Math.max(0, now - n.since) : null;
}
