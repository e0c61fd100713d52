// Measurements of the client probes over a step's window (docs/measurements.md): reconnect gaps,
// JetStream publishes acked/failed, core messages counted by message number, what a drained
// node's clients did.

import { formatMs } from '../base/format.js';
import { coreWindow, failures, probe, probes, probesOn } from '../observe/client-selectors.js';
import type { ProbeState } from '../observe/state.js';
import { type MeasureFn, windowStart } from './measures-kit.js';

const KIND_TEXT = {
	timeout: 'timeout',
	noResponders: 'no responders',
	unavailable: 'JetStream unavailable (10008)',
	other: 'other',
};

export const reconnectGap: MeasureFn<'reconnect-gap'> = (state, s, ctx) => {
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
		return { text: watched.length === 0 && s.node ? `no client was connected to ${s.node}` : 'no reconnect' };
	const max = Math.max(...gaps.map((g) => g.gap));
	return {
		text: gaps.map((g) => `${g.id} ${formatMs(g.gap)} (${g.from ?? '?'} → ${g.to ?? '?'})`).join(', '),
		value: max,
	};
};

/** js-pub's acks and failures from the window's start (the step's action, or the lesson's start) to the step's end. */
export const jsPublishes: MeasureFn<'js-publishes'> = (state, s, ctx) => {
	const now = probe(state, 'js-pub');
	const before = probe(windowStart(ctx, s.since).state, 'js-pub');
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
};

/**
 * The numbers core-pub published in the window, and what core-sub holds of exactly those
 * (observe's coreWindow): sent = received + lost + not arrived. Not comparable while the
 * subscriber was away: core NATS drops messages nobody is subscribed to.
 */
export const coreMessages: MeasureFn<'core-messages'> = (state, s, ctx) => {
	const w = coreWindow(windowStart(ctx, s.since).state, state);
	if (!w) return { text: 'no core probes' };
	if (!w.comparable) {
		const why =
			w.subscriberDownMs > 0
				? `core-sub was disconnected for ${formatMs(w.subscriberDownMs)}`
				: w.beforeSubscriber > 0
					? `core-sub was not subscribed yet for ${w.beforeSubscriber} of them`
					: 'core-sub is not connected';
		return { text: `${w.sent} sent; ${why}: received/lost not comparable (${w.received} of them arrived)` };
	}
	// sent = received + lost + missed while away + still in flight: the text lists them in that order.
	const away =
		w.missedWhileAway > 0
			? `, ${w.missedWhileAway} missed while core-sub moved (disconnected ${formatMs(w.subscriberDownMs)}; not counted as lost)`
			: '';
	const pending = w.notArrived > 0 ? `, ${w.notArrived} still in flight` : '';
	const reconnected =
		w.subscriberDownMs > 0 && w.missedWhileAway === 0
			? ` (core-sub reconnected after ${formatMs(w.subscriberDownMs)}, missed none)`
			: '';
	return {
		text: `${w.sent} sent, ${w.received} received, ${w.lost} lost${away}${pending}${reconnected}`,
		value: w.lost,
	};
};

export const clients: MeasureFn<'clients'> = (state, s, ctx) => {
	const watched = probesOn(ctx.atStart, s.node);
	if (watched.length === 0) return { text: `no client was connected to ${s.node}`, value: 0 };
	const parts = watched.map((before) => {
		const now = state.clients.probes[before.id];
		if (!now) return `${before.id} gone`;
		const ldm = now.ldmSeen > before.ldmSeen ? 'got ldm, ' : '';
		const fresh = now.gaps.slice(before.gaps.length);
		const moved =
			now.node && now.node !== s.node ? `moved to ${now.node}` : `still on ${now.node ?? '?'} (${now.state})`;
		const gap = fresh.length > 0 ? ` after a ${formatMs(Math.max(...fresh))} gap` : '';
		return `${before.id}: ${ldm}${moved}${gap}`;
	});
	return { text: parts.join('; '), value: watched.length, node: s.node };
};
