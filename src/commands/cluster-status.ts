// `natslab cluster status` as text: each node's process and health, then the
// meta group (leader, size, quorum) and every stream's and consumer's leader,
// with the replicas' state where the stream leader reported it.
import type { ClusterStatus } from '../cluster/cluster.js';
import { isLeadersOwnView } from '../monitoring/raft-group.js';

export function renderStatus(s: ClusterStatus): string {
	const quorum =
		s.metaClusterSize === null
			? ''
			: `, meta group of ${s.metaClusterSize} (quorum needed ${s.metaQuorumNeeded ?? 'unknown'})`;
	const head = `cluster "lab" (workspace ${s.workspace}): ${s.metaLeader ? `JetStream meta leader ${s.metaLeader}` : 'no agreed JetStream meta leader'}${quorum}`;
	const rows = s.nodes.map((n) => {
		const state = !n.running ? 'stopped' : n.paused ? 'paused' : 'up';
		const pid = n.pid === null ? '' : `pid ${n.pid}`;
		const health = n.healthz
			? `healthz ${n.healthz.status}${n.healthz.error ? ` ${n.healthz.error}` : ''}`
			: n.running && !n.paused
				? 'not answering'
				: '';
		const leader = n.jsz ? `sees leader ${n.jsz.metaLeader ?? 'none'}` : '';
		return `  ${n.name}  ${state.padEnd(7)} ${pid.padEnd(10)} ${n.version.padEnd(8)} ${n.clientUrl}  ${leader}  ${health}`.trimEnd();
	});
	return `${[head, ...rows, ...renderStreams(s)].join('\n')}\n`;
}

/** Each stream's leader and replicas (current / lag) and each consumer's leader, as the stream leader sees them. */
function renderStreams(s: ClusterStatus): string[] {
	if (s.streams.length === 0) return ['  streams: none'];
	// A node cut off from the others still reports the leader it last knew (measured: a lone n1 named itself).
	const caveat = s.metaLeader
		? []
		: ['  (no agreed meta leader: each stream is as one node reports it, which may be out of date)'];
	return [
		...caveat,
		...s.streams.flatMap((st) => {
			// Only the leader knows whether the others are current; a follower lists them all as not current.
			const fromLeader = st.viewFrom === undefined || isLeadersOwnView(st.leader, st.viewFrom);
			const state = (r: (typeof st.replicas)[number]) =>
				r.offline ? ' offline' : !fromLeader ? '' : r.current ? ' current' : ` behind (lag ${r.lag})`;
			// A follower's answer lists every member but itself.
			const self = !fromLeader && st.viewFrom && !st.replicas.some((r) => r.name === st.viewFrom);
			const replicas = [
				...st.replicas.filter((r) => r.name !== st.leader).map((r) => `${r.name}${state(r)}`),
				...(self ? [st.viewFrom] : []),
			].sort();
			const view = fromLeader ? '' : ` (as ${st.viewFrom} sees it: only the leader knows who is current)`;
			return [
				`  stream ${st.stream}: leader ${st.leader ?? 'none'}, replicas ${replicas.join(', ') || 'none'}, ${st.messages} messages${view}`,
				...(st.consumers ?? []).map((c) => `    consumer ${c.name}: leader ${c.leader ?? 'none'}`),
			];
		}),
	];
}
