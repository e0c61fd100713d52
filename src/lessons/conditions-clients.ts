// Conditions over the client probes: connected, reconnected, told about lame
// duck, JetStream publishes failing or acked, the verifier's verdict.

import type { NodeName } from '../base/names.js';
import { failures, probe, probes, probesOn } from '../observe/client-selectors.js';
import type { JsFailureKind, ProbeKind } from '../observe/events.js';
import type { LabState, ProbeState } from '../observe/state.js';
import { verifySummary } from '../observe/verify-text.js';
import { type ConditionDef, no, yes } from './condition-kit.js';
import type { ClientName } from './conditions-cluster.js';

/** A probe now and as it was when the step acted (undefined where it did not run). */
function sinceAction(state: LabState, atAction: LabState, kind: ProbeKind) {
	return { now: probe(state, kind), before: probe(atAction, kind) };
}

export const CLIENT_CONDITIONS: { [N in ClientName]: ConditionDef<N> } = {
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
			const { now, before } = sinceAction(state, ctx.atAction, 'js-pub');
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
			const { now, before } = sinceAction(state, ctx.atAction, 'core-sub');
			if (!now) return no('no core subscriber');
			const delta = now.received - (before?.received ?? 0);
			return delta >= s.count ? yes(`${delta} received`) : no(`${delta} received`);
		},
	},
	'consumer-delivering': {
		describe: (s) => `the JetStream consumer delivers again (${s.count})`,
		evaluate(state, s, ctx) {
			const { now, before } = sinceAction(state, ctx.atAction, 'js-consumer');
			if (!now) return no('no JetStream consumer');
			// A consumer the action restarted (do: probes) counts from zero.
			const base = before && now.received >= before.received ? before.received : 0;
			const delta = now.received - base;
			return delta >= s.count ? yes(`${delta} delivered`) : no(`${delta} delivered since the action`);
		},
	},
	verified: {
		describe: () => 'the verifier compares acked messages with the stream',
		evaluate(state, s, ctx) {
			const now = probe(state, 'js-pub')?.verified ?? null;
			const before = probe(ctx.atStart, 'js-pub')?.verified ?? null;
			if (!now || now === before) return no('verifier running');
			const text = verifySummary(now);
			if (now.ackedMissing > s.maxLost)
				return { met: false, text, failed: `${now.ackedMissing} acked messages lost` };
			return yes(text);
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
