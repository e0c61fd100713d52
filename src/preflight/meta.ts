// The meta group (JetStream's cluster-wide Raft group): it must keep a
// majority without the target, and every other server's view of it must be
// current. 2.11+ says so itself at /healthz?js-meta-only=true; older servers
// are judged by their /jsz: a meta leader seen, and listed as current by it.

import type { NodeName } from '../base/names.js';
import { leadersOwnView, majorityOf } from '../monitoring/raft-group.js';
import type { JszSnapshot } from '../monitoring/types.js';
import { hasMetaOnlyHealthz, type Reachability, reachable } from './reach.js';
import type { Reason } from './types.js';

const ASSET = 'meta group';

export function metaReasons(target: NodeName, r: Reachability): { reasons: Reason[]; unknown: string[] } {
	const reasons: Reason[] = [];
	const unknown: string[] = [];
	const withJsz = r.answered.filter((s) => s.jsz !== undefined);
	if (withJsz.length === 0) {
		return { reasons, unknown: ['no server answered /jsz (is JetStream enabled?)'] };
	}
	// The leader's own answer is the one that lists the other members and whether they are current.
	const leaderAnswer = leadersOwnView(withJsz, (s) => ({ leader: s.jsz?.metaLeader, viewFrom: s.name }));
	const leaderView = leaderAnswer?.jsz;
	for (const s of r.answered) {
		if (s.name === target || s.name === null) continue;
		const own = s.name;
		if (hasMetaOnlyHealthz(s.version) && s.metaHealthz) {
			if (!s.metaHealthz.ok) {
				reasons.push({
					asset: `server ${own}`,
					text: `meta view not current: ${s.metaHealthz.error ?? `HTTP ${s.metaHealthz.status}`}`,
				});
			}
			continue;
		}
		if (!s.jsz) continue;
		if (s.jsz.metaLeader === null) reasons.push({ asset: `server ${own}`, text: 'sees no meta leader' });
		else if (leaderView && own !== leaderAnswer?.name && !isCurrent(leaderView, own)) {
			reasons.push({
				asset: `server ${own}`,
				text: `meta view not current (leader ${leaderView.metaLeader} says so)`,
			});
		}
	}
	if (!leaderView) {
		const named = withJsz.find((s) => s.jsz?.metaLeader)?.jsz?.metaLeader ?? null;
		if (named === null || !reachable(r, named)) reasons.push({ asset: ASSET, text: 'has no leader now' });
		else unknown.push(`${ASSET}: its leader ${named} is not among the --monitor URLs`);
		return { reasons, unknown };
	}
	const leader = leaderView.metaLeader as NodeName;
	const members = [leader, ...leaderView.replicas.map((x) => x.name).filter((n) => n !== leader)];
	const size = Math.max(leaderView.clusterSize ?? members.length, members.length);
	const quorum = leaderView.quorumNeeded ?? majorityOf(size);
	const up = members.filter(
		(m) => m !== target && (m === leader || isCurrent(leaderView, m)) && reachable(r, m),
	);
	if (up.length < quorum) {
		reasons.push({
			asset: ASSET,
			text: `would keep ${up.length} of ${size} members current, needs ${quorum}`,
		});
		for (const m of members.filter((x) => x !== target && !up.includes(x))) {
			reasons.push({
				asset: ASSET,
				replica: m,
				text: `member ${m} ${reachable(r, m) ? 'not current' : 'did not answer'}`,
			});
		}
	}
	return { reasons, unknown };
}

function isCurrent(view: JszSnapshot, name: NodeName): boolean {
	const row = view.replicas.find((x) => x.name === name);
	return row ? row.current && !row.offline : false;
}
