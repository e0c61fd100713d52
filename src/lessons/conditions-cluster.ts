// Conditions over the servers: leaders, routes, processes, health, quorum, logs.

import {
	agreedMetaLeader,
	healthProblems,
	isDown,
	isUp,
	mainConsumer,
	mainStream,
	meshGaps,
	node,
	replicaCurrent,
	routedPeers,
	upNodeNames,
} from '../observe/selectors.js';
import type { ConsumerState, LabState, StreamState } from '../observe/state.js';
import { type ConditionDef, no, type Registry, yes } from './condition-kit.js';
import type { PartitionName } from './conditions-partition.js';

type ClusterName = Exclude<keyof Registry, ClientName | PartitionName>;
type ClientName =
	| 'clients-connected'
	| 'client-reconnected'
	| 'clients-got-ldm'
	| 'js-publish-failing'
	| 'js-acked'
	| 'core-delivering'
	| 'consumer-delivering'
	| 'verified'
	| 'probe-state';

export type { ClientName };

export const CLUSTER_CONDITIONS: { [N in ClusterName]: ConditionDef<N> } = {
	'meta-leader': {
		describe: (s) => (s.node ? `${s.node} leads the meta group` : 'a meta leader every node agrees on'),
		evaluate(state, s) {
			const leader = agreedMetaLeader(state);
			if (!leader)
				return no(state.cluster.meta.leader ? `nodes disagree about the meta leader` : 'no meta leader');
			if (s.node && leader !== s.node) return no(`meta leader is ${leader}`);
			return yes(`meta leader ${leader}`, state.cluster.meta.since);
		},
	},
	'meta-leader-moved': {
		describe: (s) => `the meta leader moves off ${s.from}`,
		evaluate(state, s) {
			const leader = agreedMetaLeader(state, [s.from]);
			if (leader) return yes(`meta leader ${s.from} → ${leader}`, state.cluster.meta.since);
			const now = state.cluster.meta.leader;
			return no(
				now === s.from ? `${s.from} still leads` : now ? `survivors do not agree yet` : 'no meta leader yet',
			);
		},
	},
	'no-meta-leader': {
		describe: (s) =>
			s.logged ? 'a running node logs “JetStream cluster no metadata leader”' : 'no meta leader',
		evaluate(state, s, ctx) {
			if (s.logged) {
				const line = state.logs.find(
					(l) =>
						l.at >= ctx.startedAt &&
						isUp(state, l.node) &&
						l.raw.includes('JetStream cluster no metadata leader'),
				);
				return line ? yes(`${line.node} logged it`, line.at) : no('not logged yet');
			}
			const leader = state.cluster.meta.leader;
			if (leader) return no(`meta leader ${leader}`);
			// The evidence says whose word it is: the servers' own views (their /jsz and log lines), or only
			// natslab's reading before any answered.
			const named = state.cluster.meta.servers?.view === 'none';
			return yes(
				named ? 'the servers name none (their /jsz and logs)' : 'none known yet',
				state.cluster.meta.since,
			);
		},
	},
	'stream-leader': {
		describe: (s) => `${s.stream ?? 'the stream'} has a leader`,
		evaluate: (state, s) => ledByUpNode(state, mainStream(state, s.stream), 'stream not seen yet'),
	},
	'stream-leader-moved': {
		describe: (s) => `${s.stream ?? 'the stream'}'s leader moves off ${s.from}`,
		evaluate(state, s) {
			const st = mainStream(state, s.stream);
			if (!st) return no('stream not seen yet');
			if (st.leader && st.leader !== s.from && isUp(state, st.leader))
				return yes(`${st.name} leader ${s.from} → ${st.leader}`, st.leaderSince ?? undefined);
			return no(st.leader === s.from ? `${s.from} still leads ${st.name}` : `${st.name} has no leader`);
		},
	},
	'consumer-leader': {
		describe: (s) => `${s.consumer ?? 'the consumer'} has a leader`,
		evaluate: (state, s) => ledByUpNode(state, mainConsumer(state, s.consumer), 'consumer not seen yet'),
	},
	'full-mesh': {
		describe: () => 'every running node has a route to every other',
		evaluate(state) {
			const missing = meshGaps(state).map((g) => `${g.node} lacks ${g.lacking.join(',')}`);
			return missing.length === 0
				? yes(`${upNodeNames(state).length} nodes, full mesh`)
				: no(missing.join(' · '));
		},
	},
	'node-up': {
		describe: (s) => `${s.node} is up`,
		evaluate(state, s) {
			const n = node(state, s.node);
			return isUp(state, s.node) ? yes(`${s.node} up`, n?.since) : no(`${s.node} ${n?.process ?? 'unknown'}`);
		},
	},
	'node-down': {
		describe: (s) => `${s.node} has exited`,
		evaluate(state, s) {
			const n = node(state, s.node);
			return isDown(state, s.node)
				? yes(`${s.node} exited`, n?.exit?.at ?? n?.since)
				: no(`${s.node} ${n?.process ?? 'unknown'}${n?.clients != null ? `, ${n.clients} clients` : ''}`);
		},
	},
	'node-rejoined': {
		describe: (s) => `${s.node} rejoins: routes, meta leader, stream replica caught up`,
		evaluate(state, s) {
			const n = node(state, s.node);
			if (!n || !isUp(state, s.node)) return no(`${s.node} ${n?.process ?? 'unknown'}`);
			const others = upNodeNames(state).filter((x) => x !== s.node);
			const peers = routedPeers(state, s.node) ?? [];
			const routed = others.filter((o) => peers.includes(o)).length;
			const leader = agreedMetaLeader(state);
			const st = mainStream(state);
			const gaps: string[] = [];
			if (routed < others.length) gaps.push(`routes ${routed}/${others.length}`);
			if (!leader || n.seesMetaLeader !== leader) gaps.push('does not see the meta leader yet');
			// A lab without a stream (core-only lessons) has no replica to catch up.
			if (st && !replicaCurrent(state, st.name, s.node)) {
				const r = st.replicas.find((x) => x.name === s.node);
				gaps.push(`${st.name} replica ${r ? (r.offline ? 'offline' : `lag ${r.lag}`) : 'not current'}`);
			}
			return gaps.length === 0
				? yes(`${s.node} routed, sees ${leader}, replica current`)
				: no(gaps.join(' · '));
		},
	},
	'health-ok': {
		describe: (s) => (s.node === 'all' ? '/healthz ok on every node' : `${s.node} /healthz ok`),
		evaluate(state, s) {
			const names = s.node === 'all' ? state.cluster.order : [s.node];
			const bad = healthProblems(state, names);
			if (bad.length > 0) return no(bad.join(' · '));
			const since = Math.max(...names.map((name) => node(state, name)?.health?.since ?? 0));
			return yes(`${names.join(',')} 200 ok`, since);
		},
	},
	'quorum-lost': {
		describe: () => 'the meta group loses quorum',
		evaluate(state) {
			const q = state.cluster.meta.quorum;
			const text = `${q.reachable}/${q.size} reachable, needs ${q.needed}`;
			return q.ok ? no(text) : yes(text);
		},
	},
	'quorum-regained': {
		describe: () => 'the meta group has quorum and a leader again',
		evaluate(state) {
			const q = state.cluster.meta.quorum;
			const leader = agreedMetaLeader(state);
			const text = `${q.reachable}/${q.size} reachable, needs ${q.needed}, leader ${leader ?? 'none'}`;
			return q.ok && leader ? yes(text, state.cluster.meta.since) : no(text);
		},
	},
	'log-seen': {
		describe: (s) => `${s.node ?? 'a node'} logs “${s.match}”`,
		evaluate(state, s, ctx) {
			const line = state.logs.find(
				(l) =>
					(s.since === 'lab' || l.at >= ctx.startedAt) &&
					(!s.node || l.node === s.node) &&
					l.raw.includes(s.match),
			);
			return line ? yes(`${line.node}: ${line.raw}`, line.at) : no('not yet');
		},
	},
	'routes-to': {
		describe: (s) =>
			s.present
				? `the other nodes keep a route to ${s.node}`
				: `the other nodes drop their routes to ${s.node}`,
		evaluate(state, s) {
			const others = state.cluster.order.filter((n) => n !== s.node && isUp(state, n));
			if (others.length === 0) return no('no other node is up');
			const having = others.filter((n) => routedPeers(state, n)?.includes(s.node));
			const text = `${having.length}/${others.length} still route to ${s.node}`;
			const met = s.present ? having.length === others.length : having.length === 0;
			return met ? yes(text) : no(text);
		},
	},
};

/** A stream's or consumer's Raft group has a leader, and that node is up. */
function ledByUpNode(state: LabState, group: StreamState | ConsumerState | null, unseen: string) {
	if (!group) return no(unseen);
	return group.leader && isUp(state, group.leader)
		? yes(`${group.name} leader ${group.leader}`, group.leaderSince ?? undefined)
		: no(`${group.name} has no leader`);
}
