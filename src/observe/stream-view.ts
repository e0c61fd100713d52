// Which node's /jsz answer to believe about a stream. Only the leader knows
// whether the other replicas are current, and an answer can be a couple of
// seconds old when polling is slow, so a claim of leadership counts only when
// no newer answer (from any node) names another leader.

import type { NodeName } from '../base/names.js';
import { streamFromJsz } from '../monitoring/jsz-streams.js';
import { isLeadersOwnView } from '../monitoring/raft-group.js';
import type { StreamSnapshot } from '../monitoring/types.js';

export interface JszAnswer {
	node: NodeName;
	/** When the answer arrived. */
	at: number;
	json: unknown;
}

/**
 * The newest answer of a node naming itself leader that no newer answer contradicts; while no such
 * claim exists, the newest answer of any node holding the stream. `viewFrom` says whose view it is.
 */
export function pickStreamView(answers: JszAnswer[], stream: string): StreamSnapshot | null {
	const views = answers
		.map((a) => ({ at: a.at, snap: streamFromJsz(a.json, stream, a.node) }))
		.filter((v): v is { at: number; snap: StreamSnapshot } => v.snap !== null)
		.sort((a, b) => b.at - a.at);
	const claim = views.find(
		(v) =>
			isLeadersOwnView(v.snap.leader, v.snap.viewFrom) &&
			!views.some((o) => o.at > v.at && o.snap.leader !== v.snap.leader),
	);
	return (claim ?? views[0])?.snap ?? null;
}
