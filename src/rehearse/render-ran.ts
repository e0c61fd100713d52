// The report's "what ran" and "your streams" lines, shared by the terminal
// text and the Markdown (the JSON has the same facts as `ran` and `userStreams`).

import { formatReportMillis } from '../base/format.js';
import { lostText } from '../observe/verify-text.js';
import { failuresByKind, totalFailed } from './figures.js';
import type { RehearsalReport, UserStreamReport } from './types.js';

/** "down" in the node table, said so it is not read as the node's time out of service. */
export const DOWN_MEANS =
	'"down" is only the gap between the old process exiting and the new one starting; the node was out of service from its stop signal until "gates passed".';

export function ranLines(r: RehearsalReport): string[] {
	const ran = r.ran;
	if (!ran) return [];
	const out = [`natslab ${ran.natslabVersion}, ${ran.nodeCount} nodes`];
	for (const b of ran.binaries)
		out.push(`nats-server ${b.version}: ${b.source}${b.origin ? ` (${b.origin})` : ''}, sha256 ${b.sha256}`);
	if (ran.lameDuck) {
		const from =
			ran.lameDuck.from === 'varz'
				? 'as /varz reports them'
				: "from the config natslab wrote (these servers' /varz does not show them)";
		out.push(
			`lame duck: duration ${ran.lameDuck.duration}, grace period ${ran.lameDuck.gracePeriod}, ${from}; production defaults are 2m / 10s`,
		);
	}
	if (ran.config) {
		const applied = Object.entries(ran.config.applied).map(([k, v]) => `${k} ${v}`);
		out.push(
			`--config ${ran.config.file}: ${applied.length > 0 ? applied.join(', ') : 'no setting applied'}`,
		);
		if (ran.config.overridden.length > 0)
			out.push(`  natslab's own values replaced yours for: ${ran.config.overridden.join(', ')}`);
	}
	for (const c of ran.varzChecks)
		out.push(
			`  /varz ${c.key}: ${c.running}${c.ok ? ' (as configured)' : ` — NOT what --config asked (${c.expected})`}`,
		);
	if (ran.streamsFile) {
		const load = ran.load ? `, ${ran.load.rate} msgs/s per stream of ${ran.load.sizeBytes} B` : '';
		const own = ran.streamsFile.startsWith("natslab's");
		out.push(
			`${own ? `streams: the lab stream ORDERS (R3) and ${ran.streamsFile}` : `--streams ${ran.streamsFile}`}${load}`,
		);
		if (ran.unsupportedFields.length > 0) out.push(`  not reproduced: ${ran.unsupportedFields.join(', ')}`);
	} else {
		out.push("streams: natslab's lab stream only (ORDERS, R3 file, consumer C1)");
	}
	if (ran.clientOptions) {
		const opts = Object.entries(ran.clientOptions).map(([k, v]) => `${k} ${v}`);
		out.push(`client options (every client): ${opts.join(', ')}`);
	}
	return out;
}

function consumersText(s: UserStreamReport): string {
	if (s.consumers.length === 0) return 'no consumers';
	return s.consumers
		.map((c) => `${c.name} (${c.kind}, ack ${c.ackPolicy}${c.filter ? `, filter ${c.filter}` : ''})`)
		.join(', ');
}

function verifiedText(s: UserStreamReport): string {
	if (!s.verify) return `NOT verified: ${s.error ?? 'no answer'}`;
	const v = s.verify;
	const lost = lostText(v);
	const removed =
		s.removedByStream > 0 ? `, ${s.removedByStream} removed by the stream's own limits or retention` : '';
	return `acked ${v.acked}, stored ${v.stored}, acked but missing ${v.ackedMissing}${removed}${lost ? `; ${lost}` : ''}`;
}

export function userStreamLines(r: RehearsalReport): string[] {
	return (r.userStreams ?? []).flatMap((s) => [
		`${s.name}: R${s.replicas} ${s.storage}; ${consumersText(s)}`,
		`  ${verifiedText(s)}; ${s.published} publishes, ${totalFailed(s.failed)} failed (${failuresByKind(s.failed)}), ${s.retried} retried; ${s.disconnects} disconnects${s.reconnectGapMaxMs !== null ? `, longest reconnect gap ${formatReportMillis(s.reconnectGapMaxMs)}` : ''}`,
	]);
}
