// One node of the rolling upgrade on a live lab: stop it the chosen way, wait
// for the old process to be gone, start it on the new version (same config and
// store), then hold the rehearsal until every gate has evidence.

import { isUserError } from '../base/errors.js';
import { formatWholeSeconds } from '../base/format.js';
import type { NodeName } from '../base/names.js';
import type { Lab } from '../lab/types.js';
import type { LabState } from '../observe/state.js';
import { agreedMetaLeader } from './gates.js';
import {
	finishStep,
	markPassed,
	noteUpgradeIssued,
	observeStep,
	type StepProgress,
	startStep,
	stepPassed,
} from './step.js';
import { type GateName, type GateSettings, STOP_SIGNAL, type StepRecord, type Strategy } from './types.js';
import { abortable, RehearsalAborted, WaitTimeout, waitFor } from './wait.js';

export interface StepContext {
	lab: Lab;
	strategy: Strategy;
	toVersion: string;
	streams: string[];
	gates: GateSettings;
	signal: AbortSignal;
	/** Progress lines (stderr): a gate that takes long says what it still waits for. */
	progress?: (line: string) => void;
}

/** How often a slow gate reports what it still waits for. */
const STILL_WAITING_EVERY_MS = 15_000;

/**
 * Next node to upgrade. followers-first: the first remaining node (in cluster order) that does
 * not lead the meta group right now, so the meta leader goes last; as-listed: cluster order.
 */
export function nextNode(
	state: LabState,
	remaining: NodeName[],
	order: 'followers-first' | 'as-listed',
): NodeName | null {
	if (remaining.length === 0) return null;
	if (order === 'as-listed') return remaining[0] ?? null;
	const leader = agreedMetaLeader(state) ?? state.cluster.meta.leader;
	return remaining.find((n) => n !== leader) ?? remaining[0] ?? null;
}

/** The first gate that does not hold, in the order the gates are normally passed. */
function firstOpenGate(p: StepProgress): GateName {
	const g = p.gates;
	if (p.record.spawnedAt === null || !g?.up || !g.onVersion) return 'start';
	if (!g.mesh) return 'mesh';
	if (!g.metaLeader) return 'metaLeader';
	if (!g.replicaCurrent) return 'replicaCurrent';
	return 'healthy';
}

function messageOf(err: unknown): string {
	return err instanceof Error ? err.message : String(err);
}

export async function upgradeNode(ctx: StepContext, node: NodeName): Promise<StepRecord> {
	const { lab, gates, signal } = ctx;
	const stopSignal = STOP_SIGNAL[ctx.strategy];
	let progress = startStep(lab.getState(), {
		node,
		toVersion: ctx.toVersion,
		signal: stopSignal,
		actionAt: Date.now(),
		streams: ctx.streams,
	});
	const fold = (s: LabState) => {
		progress = observeStep(progress, s);
	};
	const off = lab.subscribe(fold);
	const fail = (gate: GateName, reason: string) => finishStep(progress, Date.now(), { gate, reason });
	try {
		try {
			const op = stopSignal === 'ldm' ? 'ldm' : stopSignal === 'SIGKILL' ? 'kill' : 'stop';
			await abortable(lab.act({ op, node }, 'rehearse'), signal);
			// stop and kill resolve at exit; lame duck resolves once the signal is sent and the
			// server drains its clients first (≈ 1 s + grace period + a close per client).
			await waitFor(
				lab,
				(s) => {
					fold(s);
					return progress.record.exitedAt !== null ? true : undefined;
				},
				{
					timeoutMs: gates.exitTimeoutMs,
					signal,
					describe: () =>
						`${node} was still running ${formatWholeSeconds(gates.exitTimeoutMs)} after the ${stopSignal} signal`,
				},
			);
		} catch (err) {
			if (err instanceof RehearsalAborted) throw err;
			return fail('exit', messageOf(err));
		}

		try {
			progress = noteUpgradeIssued(progress, Date.now());
			await abortable(lab.act({ op: 'upgrade', node, toVersion: ctx.toVersion }, 'rehearse'), signal);
		} catch (err) {
			if (err instanceof RehearsalAborted) throw err;
			const reason = messageOf(err);
			return fail(
				'start',
				isUserError(err) ? reason : `could not start ${node} on ${ctx.toVersion}: ${reason}`,
			);
		}

		const waitingSince = Date.now();
		const ticker = setInterval(() => {
			const missing = progress.gates?.missing.join('; ') || 'no sign of the new process yet';
			ctx.progress?.(
				`${node}: still waiting after ${formatWholeSeconds(Date.now() - waitingSince)}: ${missing}`,
			);
		}, STILL_WAITING_EVERY_MS);
		try {
			await waitFor(
				lab,
				(s, now) => {
					fold(s);
					return stepPassed(progress, now, gates) ? true : undefined;
				},
				{
					timeoutMs: gates.gateTimeoutMs,
					signal,
					describe: () => {
						const missing = progress.gates?.missing.join('; ') || 'no sign of the new process';
						return `not reached ${formatWholeSeconds(gates.gateTimeoutMs)} after the start (${missing})`;
					},
				},
			);
		} catch (err) {
			if (err instanceof RehearsalAborted) throw err;
			if (err instanceof WaitTimeout) return fail(firstOpenGate(progress), err.message);
			return fail('healthy', messageOf(err));
		} finally {
			clearInterval(ticker);
		}
		progress = markPassed(progress, Date.now());
		return finishStep(progress, Date.now());
	} finally {
		off();
	}
}
