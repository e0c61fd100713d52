// What a step records for the recap ("election took 5.2 s", "reconnect gap
// 9 ms", the real log line): pure functions over LabState, taken when the
// step's wait is over. Each gives a sentence; the prose quotes it as {{name}}.

import { formatMs } from '../base/format.js';
import type { NodeName } from '../base/names.js';
import { failures, probe, probes, probesOn } from '../observe/client-selectors.js';
import { agreedMetaLeader, mainConsumer, mainStream, node, routedPeers } from '../observe/selectors.js';
import type { LabState, ProbeState } from '../observe/state.js';
import { lostText, storedMoreThanOnceText } from '../observe/verify-text.js';
import type { CondContext } from './conditions.js';
import type { MeasureName, RecordSpec } from './schema.js';

export interface Measurement {
	name: string;
	label: string;
	/** The sentence that {{name}} becomes. */
	text: string;
	/** A number for machines (ms, counts), when there is one. */
	value?: number;
	node?: NodeName;
}

export interface MeasureContext extends CondContext {
	/** When the step's wait was over, wall clock. */
	metAt: number;
	/** Per wait item: the evidence time (log line, poll) when it came true, or when it began to hold steadily. */
	waitAt: (number | undefined)[];
}

type Spec<N extends MeasureName> = Extract<RecordSpec, { measure: N }>;
type Result = Omit<Measurement, 'name' | 'label'>;
type Registry = { [N in MeasureName]: (state: LabState, spec: Spec<N>, ctx: MeasureContext) => Result };

const DEFAULT_LABELS: Record<MeasureName, string> = {
	duration: 'took',
	'log-line': 'log line',
	leaders: 'leaders',
	'reconnect-gap': 'reconnect gap',
	'client-urls': 'servers advertised to the client',
	'js-publishes': 'JetStream publishes',
	'core-messages': 'core messages',
	'health-history': '/healthz',
	routes: 'routes',
	verify: 'verifier',
	versions: 'versions',
	quorum: 'meta quorum',
	probe: 'client',
	clients: 'clients',
	node: 'node',
};

export const MEASURES: Registry = {
	duration(_state, s, ctx) {
		const from = ctx.actionAt ?? ctx.startedAt;
		const evidence = ctx.waitAt[s.wait];
		// Evidence times come from server log timestamps; fall back to our clock if they look off.
		const end =
			evidence !== undefined && evidence >= from - 50 && evidence <= ctx.metAt + 50 ? evidence : ctx.metAt;
		const ms = Math.max(0, end - from);
		return { text: formatMs(ms), value: ms };
	},
	'log-line'(state, s, ctx) {
		const lines = state.logs.filter(
			(l) =>
				(s.since === 'lab' || l.at >= ctx.startedAt - 50) &&
				(!s.node || l.node === s.node) &&
				l.raw.includes(s.match),
		);
		// The newest by default: the survivor's line, not the one a stopping node printed on its way out.
		const line = s.which === 'first' ? lines[0] : lines.at(-1);
		return line ? { text: line.raw, node: line.node } : { text: `(no line containing “${s.match}” yet)` };
	},
	leaders(state) {
		const st = mainStream(state);
		const c = mainConsumer(state);
		const parts = [`meta ${agreedMetaLeader(state) ?? state.cluster.meta.leader ?? 'none'}`];
		if (st) parts.push(`${st.name} ${st.leader ?? 'none'}`);
		if (c) parts.push(`${c.name} ${c.leader ?? 'none'}`);
		return { text: parts.join(' · ') };
	},
	'client-urls'(state, s) {
		// The server's INFO `connect_urls`: how a client learns every server of the cluster
		// even when it was given only one URL.
		const p = probe(state, s.probe);
		const urls = p?.connectUrls ?? [];
		if (!p || urls.length === 0) return { text: `${s.probe} has not been told about any server yet` };
		const named = urls.map((u) => (state.addressBook[u] ? `${u} (${state.addressBook[u]})` : u));
		return { text: `${p.id} on ${p.node ?? '?'} was told: ${named.join(', ')}`, value: urls.length };
	},
	'reconnect-gap'(state, s, ctx) {
		const watched = s.probe
			? [probe(ctx.atStart, s.probe)].filter((p): p is ProbeState => !!p)
			: s.node
				? probesOn(ctx.atStart, s.node)
				: probes(ctx.atStart);
		const gaps = watched.flatMap((before) => {
			const now = state.clients.probes[before.id];
			const fresh = now ? now.gaps.slice(before.gaps.length) : [];
			return fresh.length > 0
				? [{ id: before.id, gap: Math.max(...fresh), from: before.node, to: now?.node }]
				: [];
		});
		if (gaps.length === 0)
			return {
				text: watched.length === 0 && s.node ? `no client was connected to ${s.node}` : 'no reconnect',
			};
		const max = Math.max(...gaps.map((g) => g.gap));
		return {
			text: gaps.map((g) => `${g.id} ${formatMs(g.gap)} (${g.from ?? '?'} → ${g.to ?? '?'})`).join(', '),
			value: max,
		};
	},
	'js-publishes'(state, s, ctx) {
		const now = probe(state, 'js-pub');
		const before = probe(s.since === 'lesson' ? ctx.atLesson : ctx.atStart, 'js-pub');
		if (!now) return { text: 'no JetStream publisher' };
		const acked = now.acked - (before?.acked ?? 0);
		const kinds = (['timeout', 'noResponders', 'unavailable', 'other'] as const)
			.map((k) => [k, now.failed[k] - (before?.failed[k] ?? 0)] as const)
			.filter(([, n]) => n > 0)
			.map(([k, n]) => `${n} ${KIND_TEXT[k]}`);
		const failed = failures(now) - failures(before);
		const last = failed > 0 && now.lastError ? ` – last error “${now.lastError}”` : '';
		return {
			text: `${acked} acked, ${failed} failed${kinds.length ? ` (${kinds.join(', ')})` : ''}${last}`,
			value: failed,
		};
	},
	'core-messages'(state, s, ctx) {
		const pub = probe(state, 'core-pub');
		const sub = probe(state, 'core-sub');
		if (!pub || !sub) return { text: 'no core probes' };
		const base = s.since === 'lesson' ? ctx.atLesson : ctx.atStart;
		// Probes restarted since the baseline start counting from zero again.
		const from = (p: ProbeState | undefined, now: number, key: 'sent' | 'received' | 'lost') =>
			p && p[key] <= now ? p[key] : 0;
		const sent = pub.sent - from(probe(base, 'core-pub'), pub.sent, 'sent');
		const received = sub.received - from(probe(base, 'core-sub'), sub.received, 'received');
		const lost = sub.lost - from(probe(base, 'core-sub'), sub.lost, 'lost');
		return { text: `${sent} sent, ${received} received, ${lost} lost`, value: lost };
	},
	'health-history'(state, s, ctx) {
		const from = ctx.actionAt ?? ctx.startedAt;
		const entries = state.timeline.filter((e) => e.kind === 'health' && e.node === s.node && e.at >= from);
		const h = node(state, s.node)?.health;
		const steps = entries.map((e) => `${e.text} (+${formatMs(e.at - from)})`);
		if (steps.length === 0) steps.push(h ? `${h.status}${h.ok ? ' ok' : ` ${h.error ?? ''}`}` : 'not polled');
		return { text: steps.join(' → '), value: entries.length, node: s.node };
	},
	routes(state, s) {
		if (s.node) {
			const target = s.node;
			const others = state.cluster.order.filter((n) => n !== target && node(state, n)?.process === 'up');
			const having = others.filter((n) => routedPeers(state, n)?.includes(target));
			return {
				text: `${having.length ? having.join(', ') : 'no node'} still list${having.length === 1 ? 's' : ''} a route to ${target}`,
				node: target,
				value: having.length,
			};
		}
		const text = state.cluster.order
			.filter((n) => node(state, n)?.process === 'up')
			.map((n) => `${n} → ${(routedPeers(state, n) ?? []).join(' ') || 'none'}`)
			.join(' · ');
		return { text };
	},
	verify(state) {
		const v = probe(state, 'js-pub')?.verified;
		if (!v) return { text: 'not verified' };
		const counts = `${v.acked} acked, ${v.stored} stored, ${v.ackedMissing} acked but missing, ${v.timedOutButStored} timed out yet stored`;
		// By msgID: which acked ones are lost, and which the stream holds more than once (not a loss).
		const findings = [lostText(v), storedMoreThanOnceText(v)].filter((t): t is string => t !== null);
		return { text: [counts, ...findings].join('; '), value: v.ackedMissing };
	},
	versions(state) {
		return { text: state.cluster.order.map((n) => `${n} ${node(state, n)?.version ?? '?'}`).join(' · ') };
	},
	quorum(state) {
		const q = state.cluster.meta.quorum;
		return { text: `${q.reachable} of ${q.size} reachable, quorum needs ${q.needed}`, value: q.reachable };
	},
	probe(state, s) {
		const p = probe(state, s.probe);
		if (!p) return { text: `${s.probe} not running` };
		const last = p.lastEvent ? `, last event ${p.lastEvent.type}` : '';
		const err = p.lastError ? ` (${p.lastError})` : '';
		return { text: `${p.id} ${p.state}${p.node ? ` @${p.node}` : ''}${last}${err}` };
	},
	clients(state, s, ctx) {
		const watched = probesOn(ctx.atStart, s.node);
		if (watched.length === 0) return { text: `no client was connected to ${s.node}`, value: 0 };
		const parts = watched.map((before) => {
			const now = state.clients.probes[before.id];
			if (!now) return `${before.id} gone`;
			const ldm = now.ldmSeen > before.ldmSeen ? 'got ldm, ' : '';
			const fresh = now.gaps.slice(before.gaps.length);
			const moved =
				now.node && now.node !== s.node
					? `moved to ${now.node}`
					: `still on ${now.node ?? '?'} (${now.state})`;
			const gap = fresh.length > 0 ? ` after a ${formatMs(Math.max(...fresh))} gap` : '';
			return `${before.id}: ${ldm}${moved}${gap}`;
		});
		return { text: parts.join('; '), value: watched.length, node: s.node };
	},
	node(state, s, ctx) {
		const n = node(state, s.node);
		if (!n) return { text: `${s.node} unknown` };
		const from = ctx.actionAt ?? ctx.startedAt;
		if (n.exit && n.exit.at >= from) {
			const how = n.exit.signal ? `signal ${n.exit.signal}` : `code ${n.exit.code}`;
			return {
				text: `${s.node} exited (${how}) ${formatMs(n.exit.at - from)} after the action`,
				value: n.exit.at - from,
				node: s.node,
			};
		}
		return { text: `${s.node} ${n.process}${n.version ? ` on ${n.version}` : ''}`, node: s.node };
	},
};

const KIND_TEXT = {
	timeout: 'timeout',
	noResponders: 'no responders',
	unavailable: 'JetStream unavailable (10008)',
	other: 'other',
};

export function takeMeasurement(state: LabState, spec: RecordSpec, ctx: MeasureContext): Measurement {
	const fn = MEASURES[spec.measure] as (s: LabState, spec: RecordSpec, c: MeasureContext) => Result;
	const result = fn(state, spec, ctx);
	return { name: spec.name, label: spec.label ?? DEFAULT_LABELS[spec.measure], ...result };
}
