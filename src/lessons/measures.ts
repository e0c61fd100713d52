// What a step records for the recap ("election took 5.2 s", "reconnect gap
// 9 ms", the real log line): pure functions over LabState, taken when the
// step's wait is over. Each gives a sentence; the prose quotes it as {{name}}.
// docs/measurements.md defines each one: from which event to which event, or
// which counter over which window.

import { probe } from '../observe/client-selectors.js';
import { agreedMetaLeader, mainConsumer, mainStream, node, routedPeers } from '../observe/selectors.js';
import type { LabState } from '../observe/state.js';
import { lostText, storedMoreThanOnceText } from '../observe/verify-text.js';
import { clients, coreMessages, jsPublishes, reconnectGap } from './measures-clients.js';
import type { MeasureContext, MeasureFn, Measurement, Result } from './measures-kit.js';
import { consumerGap, coreReach, metaViews, replica } from './measures-partition.js';
import { duration, healthHistory, jsAcksAgain, logInterval, nodeExit } from './measures-time.js';
import type { MeasureName, RecordSpec } from './schema.js';

export type { MeasureContext, Measurement };

type Registry = { [N in MeasureName]: MeasureFn<N> };

const DEFAULT_LABELS: Record<MeasureName, string> = {
	duration: 'took',
	'log-interval': 'between the log lines',
	'js-acks-again': 'action → first JetStream ack',
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
	replica: 'stream replica',
	'meta-views': 'meta leader as each node names it',
	'consumer-gap': 'longest gap between two consumer deliveries',
	'core-reach': 'core NATS reach (natslab check)',
};

export const MEASURES: Registry = {
	duration,
	'log-interval': logInterval,
	'js-acks-again': jsAcksAgain,
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
	'reconnect-gap': reconnectGap,
	'js-publishes': jsPublishes,
	'core-messages': coreMessages,
	'health-history': healthHistory,
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
	clients,
	node: nodeExit,
	replica,
	'meta-views': metaViews,
	'consumer-gap': consumerGap,
	'core-reach': coreReach,
};

export function takeMeasurement(state: LabState, spec: RecordSpec, ctx: MeasureContext): Measurement {
	const fn = MEASURES[spec.measure] as (s: LabState, spec: RecordSpec, c: MeasureContext) => Result;
	const result = fn(state, spec, ctx);
	return { name: spec.name, label: spec.label ?? DEFAULT_LABELS[spec.measure], ...result };
}
