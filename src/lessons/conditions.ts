// What a lesson step waits for: pure functions over LabState and the step's
// context. The engine (./engine.ts) evaluates them on every state change and
// every second, latches the first success, and handles `steady` and timeouts.

import type { NodeName } from '../cluster/types.js';
import type { JsFailureKind } from '../observe/events.js';
import type { LabState, ProbeState } from '../observe/state.js';
import type { ConditionName, WaitSpec } from './schema.js';
import {
	agreedLeader,
	failures,
	isDown,
	isUp,
	mainConsumer,
	mainStream,
	node,
	probe,
	probes,
	probesOn,
	replicaCaughtUp,
	routedPeers,
	upNodes,
} from './state-view.js';

export interface CondContext {
	/** Wall clock now (ms). */
	now: number;
	/** When the step started. */
	startedAt: number;
	/** When the step's (last) action was performed, if any. */
	actionAt: number | null;
	/** State when the step started, before its action. */
	atStart: LabState;
	/** State right after the step's action (atStart if it has none). */
	atAction: LabState;
	/** State when the lesson's first step began (for totals over the whole lesson). */
	atLesson: LabState;
}

export interface CondStatus {
	met: boolean;
	/** Live detail: what the state says right now. */
	text: string;
	/** Set when waiting longer cannot help (the verifier found lost messages...). */
	failed?: string;
	/** When the condition became true according to the evidence (log line time...), if known. */
	at?: number;
}

type Spec<N extends ConditionName> = Extract<WaitSpec, { for: N }>;
interface ConditionDef<N extends ConditionName> {
	/** "n3 rejoined and caught up": what the learner waits for. */
	describe(spec: Spec<N>): string;
	evaluate(state: LabState, spec: Spec<N>, ctx: CondContext): CondStatus;
}
type Registry = { [N in ConditionName]: ConditionDef<N> };

const yes = (text: string, at?: number): CondStatus => ({ met: true, text, at });
const no = (text: string): CondStatus => ({ met: false, text });

export const CONDITIONS: Registry = {
	'meta-leader': {
		describe: (s) => (s.node ? `${s.node} leads the meta group` : 'a meta leader every node agrees on'),
		evaluate(state, s) {
			const leader = agreedLeader(state);
			if (!leader)
				return no(state.cluster.meta.leader ? `nodes disagree about the meta leader` : 'no meta leader');
			if (s.node && leader !== s.node) return no(`meta leader is ${leader}`);
			return yes(`meta leader ${leader}`, state.cluster.meta.since);
		},
	},
	'meta-leader-moved': {
		describe: (s) => `the meta leader moves off ${s.from}`,
		evaluate(state, s) {
			const leader = agreedLeader(state, [s.from]);
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
			return leader ? no(`meta leader ${leader}`) : yes('no meta leader', state.cluster.meta.since);
		},
	},
	'stream-leader': {
		describe: (s) => `${s.stream ?? 'the stream'} has a leader`,
		evaluate(state, s) {
			const st = mainStream(state, s.stream);
			if (!st) return no('stream not seen yet');
			return st.leader && isUp(state, st.leader)
				? yes(`${st.name} leader ${st.leader}`, st.leaderSince ?? undefined)
				: no(`${st.name} has no leader`);
		},
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
		evaluate(state, s) {
			const c = mainConsumer(state, s.consumer);
			if (!c) return no('consumer not seen yet');
			return c.leader && isUp(state, c.leader)
				? yes(`${c.name} leader ${c.leader}`, c.leaderSince ?? undefined)
				: no(`${c.name} has no leader`);
		},
	},
	'full-mesh': {
		describe: () => 'every running node has a route to every other',
		evaluate(state) {
			const up = upNodes(state);
			const missing = up.flatMap((n) => {
				const peers = routedPeers(state, n);
				const lacking = up.filter((p) => p !== n && !peers?.includes(p));
				return lacking.length > 0 ? [`${n} lacks ${lacking.join(',')}`] : [];
			});
			return missing.length === 0 ? yes(`${up.length} nodes, full mesh`) : no(missing.join(' · '));
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
			const others = upNodes(state).filter((x) => x !== s.node);
			const peers = routedPeers(state, s.node) ?? [];
			const routed = others.filter((o) => peers.includes(o)).length;
			const leader = agreedLeader(state);
			const st = mainStream(state);
			const gaps: string[] = [];
			if (routed < others.length) gaps.push(`routes ${routed}/${others.length}`);
			if (!leader || n.seesMetaLeader !== leader) gaps.push('does not see the meta leader yet');
			if (!replicaCaughtUp(s.node, st)) {
				const r = st?.replicas.find((x) => x.name === s.node);
				gaps.push(
					`${st?.name ?? 'stream'} replica ${r ? (r.offline ? 'offline' : `lag ${r.lag}`) : 'not current'}`,
				);
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
			const bad = names.flatMap((name) => {
				const h = node(state, name)?.health;
				if (!isUp(state, name)) return [`${name} not up`];
				if (!h) return [`${name} not polled yet`];
				return h.ok ? [] : [`${name} ${h.status}${h.error ? ` “${h.error}”` : ''}`];
			});
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
			const leader = agreedLeader(state);
			const text = `${q.reachable}/${q.size} reachable, needs ${q.needed}, leader ${leader ?? 'none'}`;
			return q.ok && leader ? yes(text, state.cluster.meta.since) : no(text);
		},
	},
	'clients-connected': {
		describe: (s) => (s.probe ? `${s.probe} connected` : 'every client connected'),
		evaluate(state, s) {
			const list = s.probe ? [probe(state, s.probe)].filter((p): p is ProbeState => !!p) : probes(state);
			if (list.length === 0) return no('no clients yet');
			const bad = list.filter((p) => p.state !== 'connected');
			return bad.length === 0
				? yes(list.map((p) => `${p.id}@${p.node ?? '?'}`).join(' '))
				: no(bad.map((p) => `${p.id} ${p.state}`).join(' · '));
		},
	},
	'client-reconnected': {
		describe: (s) =>
			s.probe
				? `${s.probe} reconnects`
				: s.node
					? `the clients of ${s.node} reconnect elsewhere`
					: 'clients reconnect',
		evaluate(state, s, ctx) {
			const watched = watchedProbes(ctx.atStart, s.node, s.probe);
			if (watched.length === 0)
				return yes(s.node ? `no client was connected to ${s.node}` : 'no client to watch');
			const pending = watched.filter((before) => {
				const now = state.clients.probes[before.id];
				return now?.state !== 'connected' || now.gaps.length <= before.gaps.length;
			});
			if (pending.length === 0) {
				const where = watched.map((b) => `${b.id}→${state.clients.probes[b.id]?.node ?? '?'}`).join(' ');
				return yes(where);
			}
			return no(pending.map((b) => `${b.id} ${state.clients.probes[b.id]?.state ?? 'gone'}`).join(' · '));
		},
	},
	'clients-got-ldm': {
		describe: (s) => `the clients of ${s.node} receive the lame duck notice (ldm)`,
		evaluate(state, s, ctx) {
			const watched = probesOn(ctx.atStart, s.node);
			if (watched.length === 0) return yes(`no client was connected to ${s.node}`);
			const pending = watched.filter((b) => (state.clients.probes[b.id]?.ldmSeen ?? 0) <= b.ldmSeen);
			const at = Math.max(...watched.map((b) => state.clients.probes[b.id]?.lastEvent?.at ?? 0));
			return pending.length === 0
				? yes(`${watched.map((b) => b.id).join(', ')} got ldm`, at || undefined)
				: no(`waiting on ${pending.map((b) => b.id).join(', ')}`);
		},
	},
	'js-publish-failing': {
		describe: (s) =>
			s.kind === 'any' ? 'JetStream publishes fail' : `JetStream publishes fail with ${s.kind}`,
		evaluate(state, s, ctx) {
			const now = probe(state, 'js-pub');
			const before = probe(ctx.atStart, 'js-pub');
			if (!now) return no('no JetStream publisher');
			const count = (p: ProbeState | undefined) =>
				s.kind === 'any' ? failures(p) : (p?.failed[s.kind as JsFailureKind] ?? 0);
			const delta = count(now) - count(before);
			const text = `${delta} failed (${now.lastError ?? 'no error yet'}), ${now.acked - (before?.acked ?? 0)} acked`;
			return delta >= s.count ? yes(text) : no(text);
		},
	},
	'js-acked': {
		describe: (s) => `JetStream publishes are acked again (${s.count})`,
		evaluate(state, s, ctx) {
			const now = probe(state, 'js-pub');
			const before = probe(ctx.atAction, 'js-pub');
			if (!now) return no('no JetStream publisher');
			const delta = now.acked - (before?.acked ?? 0);
			return delta >= s.count
				? yes(`${delta} acked`)
				: no(`${delta} acked${now.lastError ? `, last error ${now.lastError}` : ''}`);
		},
	},
	'core-delivering': {
		describe: () => 'core messages arrive at the subscriber',
		evaluate(state, s, ctx) {
			const now = probe(state, 'core-sub');
			const before = probe(ctx.atAction, 'core-sub');
			if (!now) return no('no core subscriber');
			const delta = now.received - (before?.received ?? 0);
			return delta >= s.count ? yes(`${delta} received`) : no(`${delta} received`);
		},
	},
	verified: {
		describe: () => 'the verifier compares acked messages with the stream',
		evaluate(state, s, ctx) {
			const now = probe(state, 'js-pub')?.verified ?? null;
			const before = probe(ctx.atStart, 'js-pub')?.verified ?? null;
			if (!now || now === before) return no('verifier running');
			const text = `acked ${now.acked}, stored ${now.stored}, acked but missing ${now.ackedMissing}`;
			if (now.ackedMissing > s.maxLost)
				return { met: false, text, failed: `${now.ackedMissing} acked messages lost` };
			return yes(text);
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
	'probe-state': {
		describe: (s) => `${s.probe} is ${s.state}`,
		evaluate(state, s) {
			const p = probe(state, s.probe);
			if (!p) return no(`${s.probe} not started`);
			const text = `${s.probe} ${p.state}${p.node ? ` @${p.node}` : ''}${p.lastError ? ` (${p.lastError})` : ''}`;
			return p.state === s.state ? yes(text, p.lastEvent?.at) : no(text);
		},
	},
};

/** Probes to watch for a reconnect: the named one, or those connected to `node` at the start. */
function watchedProbes(
	atStart: LabState,
	nodeName: NodeName | undefined,
	kind: ProbeState['kind'] | undefined,
): ProbeState[] {
	if (kind) {
		const p = probe(atStart, kind);
		return p ? [p] : [];
	}
	if (nodeName) return probesOn(atStart, nodeName);
	return probes(atStart).filter((p) => p.state === 'connected');
}

export function describeWait(spec: WaitSpec): string {
	return (CONDITIONS[spec.for] as ConditionDef<typeof spec.for>).describe(spec as never);
}

export function evaluateWait(state: LabState, spec: WaitSpec, ctx: CondContext): CondStatus {
	return (CONDITIONS[spec.for] as ConditionDef<typeof spec.for>).evaluate(state, spec as never, ctx);
}
