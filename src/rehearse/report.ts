// The rehearsal report, computed from the measured steps, the final LabState
// and the JetStream verifier's answer. Pure: no clock, no I/O.

import type { NodeName } from '../base/names.js';
import { probes } from '../observe/client-selectors.js';
import { type JsFailureKind, noMessages, type VerifyResult } from '../observe/events.js';
import { warningList } from '../observe/selectors.js';
import type { LabState, ProbeState } from '../observe/state.js';
import { degradedPeriods, userStreamReasons } from './degraded.js';
import { probeDisconnects } from './step.js';
import {
	type ClientReport,
	type ComparisonReport,
	GATE_LABEL,
	type NodeReport,
	type Order,
	type RehearsalReport,
	type RunFacts,
	type StepRecord,
	type Strategy,
	type UserStreamReport,
	type WarningReport,
} from './types.js';
import { knownWarningNote } from './warnings.js';

export interface ReportInput {
	from: string;
	to: string;
	strategy: Strategy;
	order: Order;
	startedAt: number;
	endedAt: number;
	steps: StepRecord[];
	/** Final state; null when the cluster never came up. */
	state: LabState | null;
	initialVersions: Record<NodeName, string | null>;
	verify: VerifyResult | null;
	/** A failure outside the steps (setup, verifier, abort), one line. */
	failure: string | null;
	/** What ran (absent in unit fixtures that do not care). */
	ran?: RunFacts;
	userStreams?: UserStreamReport[];
}

export function median(values: number[]): number | null {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	const hi = sorted[mid] as number;
	return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] as number) + hi) / 2;
}

function since(from: number | null, to: number | null): number | null {
	return from === null || to === null ? null : Math.max(0, to - from);
}

export function stepFailureText(step: StepRecord): string | null {
	if (!step.failure) return null;
	const named = (step.failure.diagnoses ?? []).map((d) => `; diagnosis ${d.kind}: ${d.summary} → ${d.hint}`);
	return `${step.node}: ${GATE_LABEL[step.failure.gate]}: ${step.failure.reason}${named.join('')}`;
}

function nodeReport(node: NodeName, input: ReportInput): NodeReport {
	const index = input.steps.findIndex((s) => s.node === node);
	const step = index >= 0 ? input.steps[index] : undefined;
	const final = input.state?.cluster.nodes[node];
	// A node whose new binary would not start has a version in the state but runs nothing.
	const running = final !== undefined && final.process !== 'exited' && final.process !== 'down';
	const finalVersion = running ? final.version : null;
	const initialVersion = input.initialVersions[node] ?? step?.fromVersion ?? null;
	return {
		node,
		initialVersion,
		finalVersion,
		finalProcess: final?.process ?? null,
		upgraded: step !== undefined && step.passedAt !== null && finalVersion === step.toVersion,
		step: step ? index + 1 : null,
		signal: step?.signal ?? null,
		wasMetaLeader: step?.wasMetaLeader ?? false,
		stopMs: step ? since(step.actionAt, step.exitedAt) : null,
		exit: step?.exit ?? null,
		downMs: step ? since(step.exitedAt, step.spawnedAt) : null,
		meshMs: step ? since(step.spawnedAt, step.meshAt) : null,
		metaLeaderMs: step ? since(step.spawnedAt, step.metaLeaderAt) : null,
		replicaCurrentMs: step ? since(step.spawnedAt, step.replicaCurrentAt) : null,
		healthyMs: step ? since(step.spawnedAt, step.healthySince) : null,
		gatePassedMs: step ? since(step.spawnedAt, step.passedAt) : null,
		healthFlaps: step?.healthFlaps ?? 0,
		leaderChanges: step?.leaderChanges ?? { meta: 0, streams: 0, consumers: 0 },
		metaLeaderlessMs: step?.metaLeaderlessMs ?? 0,
		streamLeaderlessMs: step?.streamLeaderlessMs ?? 0,
		clientDisconnects: step?.clientDisconnects ?? 0,
		failure: step ? stepFailureText(step) : null,
	};
}

function clientReport(p: ProbeState): ClientReport {
	return {
		id: p.id,
		kind: p.kind,
		disconnects: probeDisconnects(p),
		ldmNotices: p.ldmSeen,
		reconnectGapMaxMs: p.gaps.length > 0 ? Math.max(...p.gaps) : null,
		reconnectGapMedianMs: median(p.gaps),
		sent: p.sent,
		received: p.received,
		lost: p.lost,
		duplicated: p.duplicated,
		acked: p.acked,
		failed: { ...noMessages().failed, ...p.failed },
		retried: p.retried,
	};
}

export function warningReports(state: LabState | null): WarningReport[] {
	return (state ? warningList(state) : []).map((w) => {
		const note = knownWarningNote(`${w.text}\n${w.example}`);
		return { ...w, ...(note ? { note } : {}) };
	});
}

function sumBy(
	clients: ClientReport[],
	kind: ClientReport['kind'],
	pick: (c: ClientReport) => number,
): number {
	return clients.filter((c) => c.kind === kind).reduce((sum, c) => sum + pick(c), 0);
}

export function verdictReasons(input: ReportInput, nodes: NodeReport[], jsAcked: number): string[] {
	const reasons: string[] = [];
	if (input.failure) reasons.push(input.failure);
	for (const step of input.steps) {
		const text = stepFailureText(step);
		if (text) reasons.push(text);
	}
	if (input.state) {
		if (input.verify === null) {
			if (!input.failure) reasons.push('the JetStream verifier gave no result');
		} else if (input.verify.ackedMissing > 0) {
			reasons.push(`${input.verify.ackedMissing} acked JetStream messages are missing from the stream`);
		} else if (jsAcked === 0) {
			reasons.push('no JetStream publish was acked, so the rehearsal proves nothing about message loss');
		}
		const behind = nodes.filter((n) => n.finalVersion !== input.to);
		if (behind.length > 0 && reasons.length === 0) {
			reasons.push(
				`not upgraded: ${behind.map((n) => `${n.node} runs ${n.finalVersion ?? 'nothing'}`).join(', ')}`,
			);
		}
	}
	return reasons;
}

export function buildReport(input: ReportInput): RehearsalReport {
	const order = input.state?.cluster.order ?? [];
	const nodes = order.map((n) => nodeReport(n, input));
	const clients = (input.state ? probes(input.state) : []).map(clientReport);
	const jsClients = clients.filter((c) => c.kind === 'js-pub');
	const publishFailed = noMessages().failed;
	for (const c of jsClients)
		for (const k of Object.keys(publishFailed) as JsFailureKind[]) publishFailed[k] += c.failed[k];
	const jsAcked = input.verify?.acked ?? sumBy(clients, 'js-pub', (c) => c.acked);
	const reasons = verdictReasons(input, nodes, jsAcked);
	if (input.state) reasons.push(...userStreamReasons(input.userStreams ?? []));
	const firstAction = input.steps[0]?.actionAt ?? null;
	const last = input.steps[input.steps.length - 1];
	const report: RehearsalReport = {
		schema: 'natslab.rehearsal/1',
		verdict: reasons.length === 0 ? 'pass' : 'fail',
		reasons,
		from: input.from,
		to: input.to,
		strategy: input.strategy,
		order: input.order,
		startedAt: new Date(input.startedAt).toISOString(),
		totalMs: Math.max(0, input.endedAt - input.startedAt),
		upgradeMs: last?.passedAt ? since(firstAction, last.passedAt) : null,
		nodes,
		clients,
		jetstream: {
			verified: input.verify !== null,
			acked: jsAcked,
			stored: input.verify?.stored ?? null,
			ackedMissing: input.verify?.ackedMissing ?? null,
			timedOutButStored: input.verify?.timedOutButStored ?? null,
			storedMoreThanOnce: input.verify ? (input.verify.storedMoreThanOnce ?? 0) : null,
			duplicates: input.verify?.duplicates ?? [],
			missing: input.verify?.missing ?? [],
			published: sumBy(clients, 'js-pub', (c) => c.sent),
			publishFailed,
			retried: sumBy(clients, 'js-pub', (c) => c.retried),
		},
		core: {
			sent: sumBy(clients, 'core-pub', (c) => c.sent),
			received: sumBy(clients, 'core-sub', (c) => c.received),
			lost: sumBy(clients, 'core-sub', (c) => c.lost),
			duplicated: sumBy(clients, 'core-sub', (c) => c.duplicated),
		},
		warnings: warningReports(input.state),
		diagnoses: input.steps.flatMap((st) => st.failure?.diagnoses ?? []),
		...(input.ran ? { ran: input.ran } : {}),
		userStreams: input.userStreams ?? [],
	};
	return { ...report, degraded: degradedPeriods(report) };
}

export function buildComparison(runs: RehearsalReport[]): ComparisonReport {
	return {
		schema: 'natslab.rehearsal-compare/1',
		verdict: runs.length > 0 && runs.every((r) => r.verdict === 'pass') ? 'pass' : 'fail',
		runs,
	};
}
