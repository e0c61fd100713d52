// What the clients felt during a rehearsal, named even when it passes (a pass
// with "4.5 s without a meta leader, 93 failed publishes" is not a quiet one),
// and the verdict reasons of the user's own streams. Pure.

import { formatReportMillis, formatReportSeconds } from '../base/format.js';
import type { JsFailureKind } from '../observe/events.js';
import type { RehearsalReport, UserStreamReport } from './types.js';

function total(failed: Record<JsFailureKind, number>): number {
	return Object.values(failed).reduce((a, b) => a + b, 0);
}

function longest(values: number[]): number {
	return values.length > 0 ? Math.max(...values) : 0;
}

/** One line each; empty when nothing showed. */
export function degradedPeriods(r: Omit<RehearsalReport, 'degraded'>): string[] {
	const stepped = r.nodes.filter((n) => n.step !== null);
	const out: string[] = [];
	const meta = stepped.map((n) => n.metaLeaderlessMs);
	const metaTotal = meta.reduce((a, b) => a + b, 0);
	if (metaTotal > 0) {
		const most = longest(meta);
		const detail = most < metaTotal ? ` (longest ${formatReportSeconds(most)})` : '';
		out.push(`${formatReportSeconds(metaTotal)} without a meta leader${detail}`);
	}
	const stream = longest(stepped.map((n) => n.streamLeaderlessMs));
	if (stream > 0) out.push(`${formatReportSeconds(stream)} longest without the lab stream's leader`);
	const user = r.userStreams ?? [];
	const sources = [
		{ name: 'ORDERS', failed: total(r.jetstream.publishFailed) },
		...user.map((s) => ({ name: `${s.name} R${s.replicas}`, failed: total(s.failed) })),
	].filter((x) => x.failed > 0);
	const failed = sources.reduce((sum, x) => sum + x.failed, 0);
	// Per stream when the user's run too: an R1 stream is down for as long as its one node is.
	const where = user.length > 0 ? `; ${sources.map((x) => `${x.name} ${x.failed}`).join(' · ')}` : '';
	if (failed > 0) out.push(`${failed} failed publishes (each retried with its msgID${where})`);
	const disconnects =
		r.clients.reduce((sum, c) => sum + c.disconnects, 0) + user.reduce((sum, s) => sum + s.disconnects, 0);
	if (disconnects > 0) {
		const gaps = [
			...r.clients.map((c) => c.reconnectGapMaxMs),
			...user.map((s) => s.reconnectGapMaxMs),
		].filter((g): g is number => g !== null);
		const gap = gaps.length > 0 ? `, longest reconnect gap ${formatReportMillis(Math.max(...gaps))}` : '';
		out.push(`${disconnects} client disconnects${gap}`);
	}
	if (r.core.lost > 0) out.push(`${r.core.lost} core NATS messages lost (core NATS has no redelivery)`);
	const flaps = stepped.reduce((sum, n) => sum + n.healthFlaps, 0);
	if (flaps > 0) out.push(`${flaps} /healthz flaps after a restart`);
	return out;
}

/** Why the user's streams fail the verdict. */
export function userStreamReasons(streams: UserStreamReport[]): string[] {
	const out: string[] = [];
	for (const s of streams) {
		if (s.verify === null) out.push(`stream ${s.name} not verified: ${s.error ?? 'no answer'}`);
		else if (s.verify.ackedMissing > 0)
			out.push(`${s.verify.ackedMissing} acked messages are missing from stream ${s.name}`);
		else if (s.acked === 0) out.push(`no publish to stream ${s.name} was acked, so it proves nothing`);
	}
	return out;
}
