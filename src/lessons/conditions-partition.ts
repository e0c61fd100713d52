// Conditions for a partition (lessons with `links: proxied`): each node's own
// word about the meta leader, the majority's leader, a replica that fell
// behind, and natslab's core reach check done. A cut-off node still answers its
// monitoring port (only routes go through the pair proxies), so its /jsz says
// what it believes.

import { agreedMetaLeader as agreedAmong } from '../monitoring/meta-leader.js';
import { coreReachText } from '../observe/reduce-core-reach.js';
import { isUp, mainStream, node, upNodeNames } from '../observe/selectors.js';
import type { NodeState } from '../observe/state.js';
import { type ConditionDef, no, yes } from './condition-kit.js';

export type PartitionName =
	| 'sees-meta-leader'
	| 'majority-meta-leader'
	| 'replica-behind'
	| 'core-reach-checked';

export const PARTITION_CONDITIONS: { [N in PartitionName]: ConditionDef<N> } = {
	'sees-meta-leader': {
		describe: (s) =>
			s.present
				? `${s.node}'s own /jsz names a meta leader`
				: `${s.node}'s own /jsz names no meta leader (it noticed)`,
		evaluate(state, s) {
			const n = node(state, s.node);
			if (!n || !isUp(state, s.node)) return no(`${s.node} ${n?.process ?? 'unknown'}`);
			if (!n.metaView) return no(`${s.node}'s /jsz has not answered yet`);
			// The server's own last answer: `seesMetaLeader` is natslab's reading, held back while a fresh log line disagrees.
			const sees = n.metaView.metaLeader;
			const text = sees ? `${s.node} names ${sees}` : `${s.node} names none`;
			return (sees !== null) === s.present ? yes(text, n.metaView.at) : no(text);
		},
	},
	'majority-meta-leader': {
		describe: (s) => `the nodes other than ${s.without} agree on a meta leader among them`,
		evaluate(state, s, ctx) {
			const others = upNodeNames(state)
				.filter((n) => n !== s.without)
				.flatMap((n) => node(state, n) ?? []);
			if (others.length === 0) return no(`no node but ${s.without} is up`);
			// Their own /jsz words, as the measure's label says: natslab's reading (`seesMetaLeader`) can come
			// from a log line, and then the views' times are older than the cut and the figure fell back
			// to the step's end (a 14 s "agree" where /jsz agreed 4.9 s after the cut).
			const views = others.map((n) => ({ node: n.name, metaLeader: n.metaView?.metaLeader ?? null }));
			const leader = agreedAmong(views);
			if (leader && leader !== s.without) {
				// Answers that agreed before the action still agree: the wait held at the action (0 s).
				const view = latestView(others);
				const from = ctx.actionAt ?? ctx.startedAt;
				const at = view === undefined ? undefined : Math.max(view, from);
				return yes(`${others.map((n) => n.name).join(',')} follow ${leader}`, at);
			}
			return no(views.map((v) => `${v.node} names ${v.metaLeader ?? 'none'}`).join(' · '));
		},
	},
	'replica-behind': {
		describe: (s) => `${s.node}'s replica of the stream falls behind (a lag, seen by another node)`,
		evaluate(state, s) {
			const st = mainStream(state);
			if (!st) return no('stream not seen yet');
			const r = st.replicas.find((x) => x.name === s.node);
			// A node's own view of its replica says nothing about what it missed.
			if (!r || st.viewFrom === s.node) return no(`waiting for another node's view of ${st.name}`);
			// Not current with lag 0 is seen too (a view taken before the leader counted the gap): wait for a number.
			const text = `${s.node} ${r.lag} behind${r.current ? '' : ', not current'} (${st.viewFrom ?? '?'}'s view)`;
			return r.lag > 0 ? yes(text) : no(text);
		},
	},
	'core-reach-checked': {
		describe: () => 'natslab checked core NATS reach (a client publishes, one subscriber per node counts)',
		evaluate(state, _s, ctx) {
			// A check of this step: a newer result than the one the step started with.
			const now = state.coreReach?.at(-1);
			if (!now || now === ctx.atStart.coreReach?.at(-1)) return no('natslab is checking core reach');
			return yes(coreReachText(now), now.at);
		},
	},
};

/** When the newest of these nodes' /jsz answers came. */
function latestView(nodes: NodeState[]): number | undefined {
	const ats = nodes.flatMap((n) => (n.metaView ? [n.metaView.at] : []));
	return ats.length > 0 ? Math.max(...ats) : undefined;
}
