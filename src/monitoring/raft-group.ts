// What every reader of a Raft group (the meta group, a stream, a consumer) needs
// to agree on: how many votes a group needs, and whose answer to believe about
// its replicas. A follower lists its peers as not current (`current:false,
// active:0`): only the leader's own answer knows which replicas keep up.

import type { NodeName } from '../base/names.js';

/** Votes a group of `size` members needs: a majority (servers before 2.15 do not report `quorum_needed`). */
export function majorityOf(size: number): number {
	return Math.floor(size / 2) + 1;
}

/** Whether an answer about a group came from the group's leader itself. */
export function isLeadersOwnView(
	leader: NodeName | null | undefined,
	viewFrom: NodeName | null | undefined,
): boolean {
	return leader != null && leader === viewFrom;
}

/** The answer, among several about one group, that its leader gave about itself (if it answered). */
export function leadersOwnView<T>(
	views: readonly T[],
	read: (view: T) => { leader: NodeName | null | undefined; viewFrom: NodeName | null | undefined },
): T | undefined {
	return views.find((v) => {
		const { leader, viewFrom } = read(v);
		return isLeadersOwnView(leader, viewFrom);
	});
}
