// "Agreed meta leader", defined once: the cluster layer asks it of /jsz answers
// (readiness, `status`), the observe layer of the nodes' last views (reducer,
// selectors). A single node's /jsz can name a leader that is gone (a frozen or
// restarted node's view is stale), so only agreement counts.

import type { NodeName } from '../base/names.js';

/** Which meta leader one node names (`meta_cluster.leader` of its /jsz), or null when it knows none. */
export interface MetaLeaderView {
	node: NodeName;
	metaLeader: NodeName | null;
}

/**
 * The meta leader every view names, provided it is one of `members` (the nodes that are
 * up; by default the viewers themselves). Null without views, while they disagree, when
 * they know none, or when they agree on a node that is not among the members.
 */
export function agreedMetaLeader(
	views: readonly MetaLeaderView[],
	members: readonly NodeName[] = views.map((v) => v.node),
): NodeName | null {
	const first = views[0]?.metaLeader ?? null;
	if (first === null || !views.every((v) => v.metaLeader === first)) return null;
	return members.includes(first) ? first : null;
}
