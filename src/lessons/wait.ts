// Waits until every condition of a step holds, never on fixed sleeps: the
// conditions are re-evaluated on each state change, and once per tick so that
// time-based parts (steady for N s, timeouts, the live counter) move on even
// when the cluster is quiet.

import { formatMs } from '../base/format.js';
import { WaitAborted, type Watchable, waitFor } from '../base/wait.js';
import type { LabState } from '../observe/state.js';
import type { ProbeSpec } from '../probes/spec.js';
import { type CondContext, describeWait, evaluateWait } from './conditions.js';
import { WaitSchema, type WaitSpec } from './schema.js';
import type { WaitView } from './view.js';

export interface WaitOptions {
	clock: () => number;
	tickMs: number;
	signal?: AbortSignal;
	onUpdate: (views: WaitView[]) => void;
}

interface Tracked {
	spec: WaitSpec;
	met: boolean;
	/** Evidence time (or start of the steady run) once met. */
	at?: number;
	heldSince: number | null;
	status: string;
}

export type WaitOutcome =
	| { ok: true; metAt: number; at: (number | undefined)[]; views: WaitView[] }
	| { ok: false; reason: 'timeout' | 'failed' | 'aborted'; index: number; detail: string; views: WaitView[] };

export function waitForAll(
	lab: Watchable<LabState>,
	specs: WaitSpec[],
	ctx: Omit<CondContext, 'now'>,
	opts: WaitOptions,
): Promise<WaitOutcome> {
	const began = opts.clock();
	const items: Tracked[] = specs.map((spec) => ({ spec, met: false, heldSince: null, status: '' }));
	const views = (now: number): WaitView[] =>
		items.map((t) => ({
			text: describeWait(t.spec),
			status: t.status,
			met: t.met,
			elapsedMs: now - began,
			timeoutMs: t.spec.timeout,
			steadyMs: t.spec.steady,
			heldMs: t.heldSince === null ? undefined : now - t.heldSince,
		}));

	// Each condition carries its own timeout, so the evaluation decides when to give up.
	const evaluate = (state: LabState, now: number): WaitOutcome | undefined => {
		for (const [index, t] of items.entries()) {
			if (t.met) continue;
			const s = evaluateWait(state, t.spec, { ...ctx, now });
			t.status = s.text;
			if (s.failed) return { ok: false, reason: 'failed', index, detail: s.failed, views: views(now) };
			if (!s.met) {
				t.heldSince = null;
			} else if (t.spec.steady) {
				t.heldSince ??= now;
				if (now - t.heldSince >= t.spec.steady) {
					t.met = true;
					t.at = t.heldSince;
				}
			} else {
				t.met = true;
				// Evidence time when the condition has one (a log line's own timestamp), else now.
				t.at = s.at ?? now;
			}
			if (!t.met && now - began >= t.spec.timeout) {
				return { ok: false, reason: 'timeout', index, detail: t.status, views: views(now) };
			}
		}
		if (items.every((t) => t.met))
			return { ok: true, metAt: now, at: items.map((t) => t.at), views: views(now) };
		opts.onUpdate(views(now));
		return undefined;
	};
	return waitFor(lab, evaluate, {
		timeoutMs: Number.POSITIVE_INFINITY,
		everyMs: opts.tickMs,
		clock: opts.clock,
		signal: opts.signal,
	}).catch((err: unknown): WaitOutcome => {
		if (!(err instanceof WaitAborted)) throw err;
		return { ok: false, reason: 'aborted', index: 0, detail: 'aborted', views: views(opts.clock()) };
	});
}

/** "timed out after 30 s waiting for <what> (now: <state>) – <otherwise>". */
export function describeWaitFailure(waits: WaitSpec[], outcome: Exclude<WaitOutcome, { ok: true }>): string {
	const spec = waits[outcome.index];
	const text = spec ? describeWait(spec) : 'a condition';
	const otherwise = spec?.otherwise ? ` – ${spec.otherwise}` : '';
	if (outcome.reason === 'failed') return `${text}: ${outcome.detail}${otherwise}`;
	return `timed out after ${formatMs(spec?.timeout ?? 0)} waiting for ${text} (now: ${outcome.detail})${otherwise}`;
}

/** What a lesson's prose assumes before step 1: leaders known, the mesh whole, clients settled. */
export function readySpecs(
	probes: ProbeSpec[],
	timeoutMs: number,
	opts: { metaLeader: boolean } = { metaLeader: true },
): WaitSpec[] {
	const kinds = new Set(probes.map((p) => p.kind));
	// A lab started with part of its nodes (front matter `start`) may rightly have no meta leader.
	const specs: WaitSpec[] = [
		...(opts.metaLeader ? [WaitSchema.parse({ for: 'meta-leader' })] : []),
		WaitSchema.parse({ for: 'full-mesh' }),
	];
	if (kinds.has('jetstream')) {
		specs.push(WaitSchema.parse({ for: 'stream-leader' }), WaitSchema.parse({ for: 'consumer-leader' }));
	}
	// Connections younger than nats.js's reconnectTimeWait (2 s) wait out the rest before
	// re-dialling (docs/nats-behavior.md §14.2); let them settle so a step's first fault is typical.
	if (kinds.size > 0) specs.push(WaitSchema.parse({ for: 'clients-connected', steady: '2.5s' }));
	for (const s of specs) s.timeout = timeoutMs;
	return specs;
}
