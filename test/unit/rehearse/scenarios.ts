// The two recorded runs the rehearsal's unit tests replay, with the rolling-upgrade
// step tracker folded over every intermediate state exactly as the runner does.

import type { LabEvent, PollEvent, VerifyResult } from '../../../src/observe/events.js';
import type { LabState } from '../../../src/observe/state.js';
import type { ReportInput } from '../../../src/rehearse/report.js';
import {
	finishStep,
	markPassed,
	observeStep,
	type StepProgress,
	startStep,
	stepPassed,
} from '../../../src/rehearse/step.js';
import type { StepRecord, StopSignal } from '../../../src/rehearse/types.js';
import {
	healthFailures,
	healthzOk,
	healthzOkBetweenFailures,
	logEvents,
	NODES,
	recordedEvents,
	replay,
	streamView,
} from './fixture-run.js';

export interface StepPlan {
	node: string;
	toVersion: string;
	signal: StopSignal;
	/** The harness's stop signal (events.log). */
	actionAt: number;
	/** From here on the node's stream replica is current (README: how each was established). */
	currentAt: number;
}

export interface Replayed {
	steps: StepRecord[];
	/** Every state the tracker saw, for gate checks at chosen moments. */
	states: LabState[];
	final: LabState;
}

/** Replays `events`, starting a tracked step at each plan's `actionAt`, ending it at the next one. */
export function replaySteps(events: LabEvent[], plans: StepPlan[], stableMs: number, end: number): Replayed {
	const states: LabState[] = [];
	const steps: StepRecord[] = [];
	let i = -1;
	let progress: StepProgress | null = null;
	const catchingUp = (at: number): string | null => {
		const plan = plans[i];
		return plan && at >= plan.actionAt && at < plan.currentAt ? plan.node : null;
	};
	const close = (at: number) => {
		if (progress) steps.push(finishStep(progress, at));
		progress = null;
	};
	const final = replay(events, {
		tickMs: 250,
		onTick: (s, at) => {
			const view = streamView(s, at, catchingUp(at));
			return view ? [view] : [];
		},
		before: (s, e) => {
			const next = plans[i + 1];
			if (!next || e.at < next.actionAt) return;
			close(next.actionAt);
			i++;
			progress = startStep(s, { ...next, streams: ['ORDERS'] });
		},
		observe: (s, at) => {
			states.push(s);
			if (!progress) return;
			progress = observeStep(progress, s);
			if (progress.record.passedAt === null && stepPassed(progress, at, { stableMs })) {
				progress = markPassed(progress, at);
			}
		},
	});
	close(end);
	return { steps, states, final };
}

const HEALTHZ_RUN = 'healthz-2.10.27';
/** n2's first restart in that run: SIGTERM, exit, spawn of pid 8484 (events.log). */
export const HEALTHZ_RESTART = {
	sigterm: Date.parse('2026-11-26T01:21:28.005Z'),
	exited: Date.parse('2026-11-26T01:21:28.025Z'),
	spawned: Date.parse('2026-11-26T01:21:28.266Z'),
	pid: 8484,
	/** The next SIGTERM of n2: the window ends here. */
	end: Date.parse('2026-11-26T01:21:37.785Z'),
	/** docs/nats-behavior.md §5, 2.10.27 #1: stream info showed the replica current at +1377 ms. */
	currentAfterMs: 1377,
};

export function healthzRunEvents(): LabEvent[] {
	const r = HEALTHZ_RESTART;
	const logs = NODES.flatMap((n) => logEvents(HEALTHZ_RUN, n));
	const ok: PollEvent[] = healthzOkBetweenFailures('n2', healthFailures(logs, r.pid), 100, r.end - 100);
	return [...recordedEvents(HEALTHZ_RUN), ...ok].filter((e) => e.at < r.end).sort((a, b) => a.at - b.at);
}

export function replayHealthzRestart(stableMs: number): Replayed {
	const r = HEALTHZ_RESTART;
	return replaySteps(
		healthzRunEvents(),
		[
			{
				node: 'n2',
				toVersion: '2.10.27',
				signal: 'SIGTERM',
				actionAt: r.sigterm,
				currentAt: r.spawned + r.currentAfterMs,
			},
		],
		stableMs,
		r.end,
	);
}

const UPGRADE_RUN = 'upgrade-2.9.10-to-2.10.27-to-2.15.1';
const t = (iso: string) => Date.parse(iso);
/** SIGTERM of each 2.9.10 node (events.log), then the first SIGTERM of the 2.15.1 hop, where we stop. */
export const UPGRADE = {
	sigterms: [
		{
			node: 'n1',
			at: t('2026-11-26T00:58:15.175Z'),
			spawnedPid: 25959,
			spawned: t('2026-11-26T00:58:15.201Z'),
		},
		{
			node: 'n2',
			at: t('2026-11-26T00:58:18.189Z'),
			spawnedPid: 25971,
			spawned: t('2026-11-26T00:58:18.207Z'),
		},
		{
			node: 'n3',
			at: t('2026-11-26T00:58:26.327Z'),
			spawnedPid: 26038,
			spawned: t('2026-11-26T00:58:26.347Z'),
		},
	],
	end: t('2026-11-26T00:58:31.432Z'),
	/** The harness sent the next SIGTERM 2 s after the restarted node's /healthz answered 200 (README). */
	settleMs: 2000,
};

export function replayUpgrade(stableMs: number): Replayed {
	const u = UPGRADE;
	const nexts = [...u.sigterms.slice(1).map((s) => s.at), u.end];
	const healthy = u.sigterms.map((_step, k) => (nexts[k] as number) - u.settleMs);
	const ok = u.sigterms.flatMap((s, k) => healthzOk(s.node, healthy[k] as number, u.end - 1, 50));
	const events = [...recordedEvents(UPGRADE_RUN), ...ok]
		.filter((e) => e.at < u.end)
		.sort((a, b) => a.at - b.at);
	const plans: StepPlan[] = u.sigterms.map((s, k) => ({
		node: s.node,
		toVersion: '2.10.27',
		signal: 'SIGTERM',
		actionAt: s.at,
		currentAt: healthy[k] as number,
	}));
	return replaySteps(events, plans, stableMs, u.end);
}

/** A second 2.9.10 → 2.10.27 run of docs/nats-behavior.md §10: 2527 of 2527 acked messages present. */
export const UPGRADE_VERIFIED: VerifyResult = {
	acked: 2527,
	stored: 2527,
	ackedMissing: 0,
	timedOutButStored: 0,
};

/** The report input of the recorded upgrade (restart, followers first, verified), with `over` applied. */
export function upgradeReportInput(
	over: Partial<ReportInput> = {},
	run: Replayed = replayUpgrade(1500),
): ReportInput {
	return {
		from: '2.9.10',
		to: '2.10.27',
		strategy: 'restart',
		order: 'followers-first',
		startedAt: (UPGRADE.sigterms[0]?.at ?? 0) - 5000,
		endedAt: UPGRADE.end,
		steps: run.steps,
		state: run.final,
		initialVersions: { n1: '2.9.10', n2: '2.9.10', n3: '2.9.10' },
		verify: UPGRADE_VERIFIED,
		failure: null,
		...over,
	};
}
