// The report's tables as rows of text cells, shared by the terminal and the
// Markdown renderers (and the progress lines), so both always say the same.

import { formatReportMillis, formatReportSeconds } from '../base/format.js';
import type { JsFailureKind } from '../observe/events.js';
import { lostText, storedMoreThanOnceText } from '../observe/verify-text.js';
import type { NodeReport, RehearsalReport, StepRecord, StopSignal, Strategy } from './types.js';

export const STRATEGY_LABEL: Record<Strategy, string> = {
	'lame-duck': 'lame duck',
	restart: 'restart (SIGTERM)',
	kill: 'kill (SIGKILL)',
};

const SIGNAL_LABEL: Record<StopSignal, string> = { ldm: 'lame duck', SIGTERM: 'SIGTERM', SIGKILL: 'SIGKILL' };

const FAILURE_LABEL: Record<JsFailureKind, string> = {
	timeout: 'timeout',
	noResponders: 'no responders',
	unavailable: 'JetStream unavailable (10008)',
	other: 'other',
};

export function failuresByKind(failed: Record<JsFailureKind, number>): string {
	const parts = (Object.keys(FAILURE_LABEL) as JsFailureKind[])
		.filter((k) => failed[k] > 0)
		.map((k) => `${FAILURE_LABEL[k]} ${failed[k]}`);
	return parts.length > 0 ? parts.join(', ') : 'none';
}

export function totalFailed(failed: Record<JsFailureKind, number>): number {
	return Object.values(failed).reduce((a, b) => a + b, 0);
}

/** "n2: lame duck 5.6 s → down 0.00 s → mesh 0.08 s → meta leader 0.90 s → ... → healthy (stable 3 s) 4.8 s" */
export function stepProgressLine(step: StepRecord, stableMs: number): string {
	const from = (t: number | null) => (step.spawnedAt === null || t === null ? null : t - step.spawnedAt);
	const parts = [
		`${SIGNAL_LABEL[step.signal]} ${formatReportSeconds(step.exitedAt === null ? null : step.exitedAt - step.actionAt)}`,
		`down ${formatReportSeconds(step.exitedAt === null || step.spawnedAt === null ? null : step.spawnedAt - step.exitedAt)}`,
		`mesh ${formatReportSeconds(from(step.meshAt))}`,
		`meta leader ${formatReportSeconds(from(step.metaLeaderAt))}`,
		`replica current ${formatReportSeconds(from(step.replicaCurrentAt))}`,
		`healthy (stable ${stableMs / 1000} s) ${formatReportSeconds(from(step.passedAt))}`,
	];
	const head = `${step.node}: ${step.fromVersion ?? '?'} → ${step.toVersion}${step.wasMetaLeader ? ' (meta leader)' : ''}`;
	return `${head}: ${parts.join(' → ')}`;
}

/** A table: `columns` are headers, each row starts with its label. */
export interface Table {
	columns: string[];
	rows: string[][];
}

function transpose(labels: string[], series: { title: string; cells: string[] }[]): Table {
	return {
		columns: ['', ...series.map((s) => s.title)],
		rows: labels.map((label, i) => [label, ...series.map((s) => s.cells[i] ?? '–')]),
	};
}

function version(n: NodeReport): string {
	if (n.initialVersion === null || n.initialVersion === n.finalVersion)
		return n.finalVersion ?? 'not running';
	return `${n.initialVersion} → ${n.finalVersion ?? 'not running'}`;
}

const NODE_LABELS = [
	'step',
	'stop signal',
	'signal → exit',
	'down (exit → start)',
	'in the mesh',
	'sees meta leader',
	'replica current',
	'/healthz ok for good',
	'gates passed',
	'/healthz flaps',
	'leader changes (meta/stream/consumer)',
	'longest without meta leader',
	'longest without stream leader',
	'client disconnects',
	'version',
];

/** Nodes as columns in upgrade order; times after "down" count from the new process's start. */
export function nodeTable(r: RehearsalReport): Table {
	const ordered = [...r.nodes].sort((a, b) => (a.step ?? 99) - (b.step ?? 99));
	return transpose(
		NODE_LABELS,
		ordered.map((n) => {
			const stepped = n.step !== null;
			const c = n.leaderChanges;
			return {
				title: n.wasMetaLeader ? `${n.node} (was meta leader)` : n.node,
				cells: [
					stepped ? String(n.step) : 'not reached',
					n.signal ? SIGNAL_LABEL[n.signal] : '–',
					formatReportSeconds(n.stopMs),
					formatReportSeconds(n.downMs),
					formatReportSeconds(n.meshMs),
					formatReportSeconds(n.metaLeaderMs),
					formatReportSeconds(n.replicaCurrentMs),
					formatReportSeconds(n.healthyMs),
					formatReportSeconds(n.gatePassedMs),
					stepped ? String(n.healthFlaps) : '–',
					stepped ? `${c.meta}/${c.streams}/${c.consumers}` : '–',
					stepped ? formatReportMillis(n.metaLeaderlessMs) : '–',
					stepped ? formatReportMillis(n.streamLeaderlessMs) : '–',
					stepped ? String(n.clientDisconnects) : '–',
					version(n),
				],
			};
		}),
	);
}

/** Clients as rows (they are more than the nodes, and their figures are short). */
export function clientTable(r: RehearsalReport): Table {
	return {
		columns: [
			'client',
			'disconnects',
			'lame duck notices',
			'reconnect gap max',
			'median',
			'sent',
			'received',
			'lost',
			'acked',
			'failed',
		],
		rows: r.clients.map((c) => {
			const js = c.kind === 'js-pub' || c.kind === 'js-consumer';
			return [
				`${c.id} (${c.kind})`,
				String(c.disconnects),
				String(c.ldmNotices),
				formatReportMillis(c.reconnectGapMaxMs),
				formatReportMillis(c.reconnectGapMedianMs),
				c.kind === 'core-sub' || c.kind === 'js-consumer' ? '–' : String(c.sent),
				c.kind === 'core-pub' || c.kind === 'js-pub' ? '–' : String(c.received),
				c.kind === 'core-sub' ? String(c.lost) : '–',
				js ? String(c.acked) : '–',
				js ? failuresByKind(c.failed) : '–',
			];
		}),
	};
}

export function jetstreamLine(r: RehearsalReport): string {
	const j = r.jetstream;
	const verified = j.verified
		? `acked ${j.acked}, stored ${j.stored}, acked but missing ${j.ackedMissing}, timed out but stored ${j.timedOutButStored}`
		: `acked ${j.acked}, not verified`;
	const publishes = `${j.published} publishes, ${totalFailed(j.publishFailed)} failed (${failuresByKind(j.publishFailed)}), ${j.retried} retried`;
	return [verified, ...verifiedFindings(j), publishes].join('; ');
}

/** Which acked msgIDs are lost, and which the stream holds more than once (its own finding, not a loss). */
function verifiedFindings(j: RehearsalReport['jetstream']): string[] {
	if (!j.verified) return [];
	const result = {
		acked: j.acked,
		stored: j.stored ?? 0,
		ackedMissing: j.ackedMissing ?? 0,
		timedOutButStored: j.timedOutButStored ?? 0,
		storedMoreThanOnce: j.storedMoreThanOnce ?? 0,
		duplicates: j.duplicates ?? [],
		missing: j.missing ?? [],
	};
	return [lostText(result), storedMoreThanOnceText(result)].filter((t): t is string => t !== null);
}

/**
 * Cumulative over the run (docs/measurements.md "Rehearsal report"). Lost counts only gaps while
 * core-sub was connected; sent = received + lost + what it missed while it was disconnected (core
 * NATS delivers nothing to an absent subscriber) + what was in flight when the probes stopped.
 */
export function coreLine(r: RehearsalReport): string {
	const c = r.core;
	const parts = [`sent ${c.sent}, received ${c.received}, lost ${c.lost}, duplicated ${c.duplicated}`];
	const unaccounted = c.sent - c.received - c.lost;
	const sub = r.clients.find((p) => p.kind === 'core-sub');
	if (unaccounted > 0) {
		const away =
			sub && sub.disconnects > 0
				? `published while core-sub was disconnected (${sub.disconnects}×, longest ${formatReportMillis(sub.reconnectGapMaxMs)}) or `
				: '';
		parts.push(`${unaccounted} neither received nor lost (${away}in flight when the probes stopped)`);
	}
	return parts.join('; ');
}

export function titleLine(r: RehearsalReport): string {
	const order = r.order === 'followers-first' ? 'followers first, meta leader last' : 'as listed';
	return `rolling upgrade ${r.from} → ${r.to}, ${STRATEGY_LABEL[r.strategy]}, ${order}`;
}

function maxOf(values: (number | null)[]): number | null {
	const present = values.filter((v): v is number => v !== null);
	return present.length > 0 ? Math.max(...present) : null;
}

const COMPARE_LABELS = [
	'verdict',
	'total time',
	'upgrade (first signal → last gate)',
	'longest signal → exit',
	'longest down',
	'longest start → gates passed',
	'meta leader changes',
	'longest without meta leader',
	'longest without stream leader',
	'client disconnects',
	'max reconnect gap',
	'core messages lost',
	'JetStream publishes failed',
	'acked but missing',
	'msgIDs stored more than once',
];

function compareCells(r: RehearsalReport): string[] {
	const steps = r.nodes.filter((n) => n.step !== null);
	return [
		r.verdict.toUpperCase(),
		formatReportSeconds(r.totalMs),
		formatReportSeconds(r.upgradeMs),
		formatReportSeconds(maxOf(steps.map((n) => n.stopMs))),
		formatReportSeconds(maxOf(steps.map((n) => n.downMs))),
		formatReportSeconds(maxOf(steps.map((n) => n.gatePassedMs))),
		String(steps.reduce((sum, n) => sum + n.leaderChanges.meta, 0)),
		formatReportMillis(maxOf(steps.map((n) => n.metaLeaderlessMs))),
		formatReportMillis(maxOf(steps.map((n) => n.streamLeaderlessMs))),
		String(r.clients.reduce((sum, c) => sum + c.disconnects, 0)),
		formatReportMillis(maxOf(r.clients.map((c) => c.reconnectGapMaxMs))),
		String(r.core.lost),
		String(totalFailed(r.jetstream.publishFailed)),
		r.jetstream.ackedMissing === null ? 'not verified' : String(r.jetstream.ackedMissing),
		r.jetstream.ackedMissing === null ? 'not verified' : String(r.jetstream.storedMoreThanOnce ?? 0),
	];
}

/** Strategies as columns, key figures as rows. */
export function compareTable(runs: RehearsalReport[]): Table {
	return transpose(
		COMPARE_LABELS,
		runs.map((r) => ({ title: STRATEGY_LABEL[r.strategy], cells: compareCells(r) })),
	);
}
