// Waiting in a running lesson: before step 1 (leaders known, clients
// connected) and on a step's conditions. Interactively a timed-out step offers
// wait-again or skip; unattended it fails, with any diagnosis found meanwhile.

import { diagnosisNote } from '../observe/diagnoses.js';
import { type CondContext, describeWait } from './conditions.js';
import { withDiagnoses } from './diagnosis-watch.js';
import type { Step } from './load.js';
import type { RunMode, StepResult } from './results.js';
import type { WaitSpec } from './schema.js';
import type { SessionParts } from './session-parts.js';
import type { LessonView } from './view.js';
import { describeWaitFailure, readySpecs, type WaitOutcome, waitForAll } from './wait.js';

export function waitAll(
	p: SessionParts,
	specs: WaitSpec[],
	ctx: Omit<CondContext, 'now'>,
): Promise<WaitOutcome> {
	return waitForAll(p.lab, specs, ctx, {
		clock: p.clock,
		tickMs: p.tickMs,
		signal: p.signal,
		onUpdate: (waits) => p.screen.update({ waits, diagnosis: diagnosisView(p) }),
	});
}

/** The first named diagnosis, for the panel while a wait goes on. */
export function diagnosisView(p: SessionParts): LessonView['diagnosis'] {
	return p.watch?.view(p.lab.getState().cluster.order) ?? null;
}

/** Before step 1: leaders known, clients connected (what the lesson's prose assumes). */
export async function waitReady(p: SessionParts, ctx: Omit<CondContext, 'now'>): Promise<WaitOutcome> {
	// The lab's probes start behind the screen: a start that failed fails the lesson at once.
	const failed = await p.lab.probesReady?.().then(
		() => null,
		(err: unknown) => (err instanceof Error ? err.message : String(err)),
	);
	if (failed)
		return {
			ok: false,
			reason: 'failed',
			index: 0,
			detail: `the clients did not start: ${failed}`,
			views: [],
		};
	const { start } = p.lesson;
	const partial = start !== undefined && p.lab.getState().cluster.order.some((n) => !start.includes(n));
	return waitAll(p, readySpecs(p.lesson.probes, p.readyTimeoutMs ?? 60_000, { metaLeader: !partial }), ctx);
}

/** Waits on the step's (resolved) conditions; interactively a timeout offers retry or skip. */
export async function waitStep(
	p: SessionParts,
	step: Step,
	waits: WaitSpec[],
	ctx: Omit<CondContext, 'now'>,
	mode: RunMode,
	replay: boolean,
	res: StepResult,
): Promise<{ metAt: number; waitAt: (number | undefined)[] } | 'skipped' | string> {
	p.onEvent?.({ type: 'waiting', index: step.index, texts: waits.map(describeWait) });
	for (;;) {
		p.screen.update({ phase: replay ? 'replaying' : 'waiting' });
		const outcome = await waitAll(p, waits, ctx);
		res.waits = outcome.views.map((v) => ({ text: v.text, status: v.status, met: v.met }));
		p.screen.update({ waits: outcome.views });
		if (outcome.ok) return { metAt: outcome.metAt, waitAt: outcome.at };
		if (outcome.reason === 'aborted') return 'stopped';
		const failure = describeWaitFailure(waits, outcome);
		const found = p.watch?.current() ?? [];
		if (found.length > 0) res.diagnoses = found.map(diagnosisNote);
		if (mode === 'auto' || replay) return withDiagnoses(failure, found);
		const where = `${p.lesson.id} step ${step.index + 1} “${step.title}”`;
		p.screen.update({
			phase: 'timedOut',
			message: `${where}: ${failure}`,
			showHint: true,
			diagnosis: diagnosisView(p),
		});
		// w and x, not r and s: those stay the node keys, and restarting a node is often the fix.
		const choice = await p.screen.key((k) => (k.ch === 'w' || k.ch === 'x' ? k.ch : null));
		if (choice === 'x') return 'skipped';
		if (choice !== 'w') return 'stopped';
		p.screen.update({ message: null });
	}
}
