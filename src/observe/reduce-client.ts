// Client probe events → ProbeState: connection state machine, reconnect gaps
// (disconnect → reconnect), counters, JetStream failure runs, verification.

import { formatElapsed } from '../base/format.js';
import type { Draft } from './draft.js';
import { type ClientEvent, noMessages } from './events.js';
import type { ProbeState } from './state.js';
import { verifySummary } from './verify-text.js';

const GAPS_KEPT = 50;
const RATES_KEPT = 60;
const ACKED_AGAIN_KEPT = 20;

function newProbe(id: string, kind: ProbeState['kind']): ProbeState {
	return {
		id,
		kind,
		node: null,
		server: null,
		state: 'connecting',
		lastError: null,
		gaps: [],
		disconnectedAt: null,
		lastEvent: null,
		ldmSeen: 0,
		...noMessages(),
		maxGapMs: 0,
		rates: [],
		verified: null,
		failingSince: null,
		ackedAtFailure: 0,
	};
}

export function reduceClient(d: Draft, e: ClientEvent): void {
	if (!d.probes.get(e.probe)) {
		d.probes.set(e.probe, newProbe(e.probe, e.probeKind));
		d.probeOrder = [...d.probeOrder, e.probe];
	}
	const p = d.probes.get(e.probe) as ProbeState;
	const id = e.probe;
	const opts = { probe: id };
	switch (e.type) {
		case 'status':
			status(d, p, e);
			return;
		case 'counters': {
			const c = e.counters;
			const patch: Partial<ProbeState> = {
				sent: c.sent,
				received: c.received,
				lost: c.lost,
				duplicated: c.duplicated,
				acked: c.acked,
				failed: c.failed,
				retried: c.retried,
				maxGapMs: c.maxGapMs,
				seen: c.seen,
				rates: [...p.rates, c.rate].slice(-RATES_KEPT),
			};
			if (p.failingSince != null && c.acked > (p.ackedAtFailure ?? 0)) {
				patch.failingSince = null;
				patch.ackedAgainAt = [...(p.ackedAgainAt ?? []), e.at].slice(-ACKED_AGAIN_KEPT);
				d.entry('client', `${id} acks again after ${formatElapsed(e.at - p.failingSince)} of failures`, opts);
			}
			d.probes.patch(id, patch);
			return;
		}
		case 'jsFailure': {
			const patch: Partial<ProbeState> = { lastError: `${e.failure}: ${e.message}` };
			if (p.failingSince == null) {
				patch.failingSince = e.at;
				patch.ackedAtFailure = p.acked;
				d.entry('client', `${id} publishes failing (${e.failure}: ${e.message})`, opts);
			}
			d.probes.patch(id, patch);
			return;
		}
		case 'verified': {
			const r = e.result;
			d.probes.patch(id, { verified: r });
			d.entry('client', `${id} verified: ${verifySummary(r)}`, opts);
			return;
		}
	}
}

function status(d: Draft, p: ProbeState, e: Extract<ClientEvent, { type: 'status' }>): void {
	// PINGs and server INFO updates arrive every second or so and change nothing a reader needs.
	if (e.status === 'ping' || e.status === 'update') return;
	const node = e.server ? (d.base.addressBook[e.server] ?? null) : null;
	const where = node ?? e.server ?? 'a server';
	const lastEvent: ProbeState['lastEvent'] = e.server
		? { type: e.status, at: e.at, server: e.server }
		: { type: e.status, at: e.at };
	const patch: Partial<ProbeState> = { lastEvent };
	if (e.connectUrls) patch.connectUrls = e.connectUrls;
	const opts = { probe: p.id, evidence: { source: 'client', probe: p.id, detail: detailOf(e) } as const };
	switch (e.status) {
		case 'connecting':
			patch.state = 'connecting';
			break;
		case 'connected':
			Object.assign(patch, { state: 'connected', server: e.server ?? p.server, node: node ?? p.node });
			d.entry('client', `${p.id} connected to ${where}`, opts);
			break;
		case 'disconnect':
			patch.state = 'reconnecting';
			if (p.disconnectedAt === null) {
				patch.disconnectedAt = e.at;
				d.entry('client', `${p.id} disconnected from ${where}`, opts);
			}
			break;
		case 'reconnecting':
			patch.state = 'reconnecting';
			break;
		case 'reconnect': {
			Object.assign(patch, { state: 'connected', server: e.server ?? p.server, node, disconnectedAt: null });
			const gap = p.disconnectedAt === null ? null : e.at - p.disconnectedAt;
			if (gap !== null) patch.gaps = [...p.gaps, gap].slice(-GAPS_KEPT);
			d.entry(
				'client',
				`${p.id} reconnected to ${where}${gap === null ? '' : ` after ${formatElapsed(gap)}`}`,
				opts,
			);
			break;
		}
		case 'ldm':
			patch.ldmSeen = p.ldmSeen + 1;
			d.entry('client', `${p.id} got lame duck notice from ${where}`, opts);
			break;
		case 'staleConnection':
			d.entry('client', `${p.id} stale connection${p.node ? ` to ${p.node}` : ''} (no PONG)`, opts);
			break;
		case 'error':
			patch.lastError = e.detail ?? 'error';
			break;
		case 'close':
			patch.state = 'closed';
			d.entry('client', `${p.id} closed`, opts);
			break;
		default:
			break;
	}
	d.probes.patch(p.id, patch);
}

function detailOf(e: { status: string; server?: string; detail?: string }): string {
	return [e.status, e.server, e.detail].filter(Boolean).join(' ');
}
