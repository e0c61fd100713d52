// The step engine: runs one lesson against a live Lab. For each step it
// resolves the target from the live state, performs (or asks the learner for)
// the action, waits on the step's conditions, records measurements and asks
// the check question. The same code runs interactively (keys from the lesson
// panel) and unattended (`learn --auto`: natslab presses the keys itself).

import type { ActionSource, NodeName } from '../cluster/types.js';
import { isUserError } from '../errors.js';
import type { Lab } from '../lab/types.js';
import type { LabState } from '../observe/state.js';
import { actionText, performAction } from './actions.js';
import type { CondContext } from './conditions.js';
import { describeWait } from './conditions.js';
import { formatMs } from './duration.js';
import type { Lesson, Step } from './load.js';
import { type Measurement, takeMeasurement } from './measures.js';
import { type ActionSpec, type CheckSpec, type NodeRef, WaitSchema, type WaitSpec } from './schema.js';
import { agreedLeader, mainConsumer, mainStream } from './state-view.js';
import { resolveNode } from './targets.js';
import { fillTemplate } from './template.js';
import { until } from './until.js';
import { type CheckView, keysFor, type LessonPhase, type LessonView, type WaitView } from './view.js';
import { type WaitOutcome, waitForAll } from './wait.js';

export type RunMode = 'interactive' | 'auto';
export interface LessonKey {
	ch: string;
	enter?: boolean;
}

export interface StepResult {
	index: number;
	title: string;
	status: 'done' | 'skipped' | 'failed';
	ms: number;
	target: string | null;
	actions: string[];
	waits: { text: string; status: string; met: boolean }[];
	measurements: Measurement[];
	check?: { question: string; answer: string; firstTry: boolean };
	failure?: string;
}

export interface LessonResult {
	id: string;
	title: string;
	status: 'done' | 'failed' | 'aborted';
	ms: number;
	steps: StepResult[];
	measurements: Measurement[];
	/** One line: which step, what it waited for, what the state said. */
	failure?: string;
}

export type LessonEvent =
	| {
			type: 'step-start';
			index: number;
			title: string;
			target: { node: NodeName; why: string } | null;
			replay: boolean;
	  }
	| { type: 'action'; index: number; text: string; by: ActionSource }
	| { type: 'waiting'; index: number; texts: string[] }
	| { type: 'step-end'; result: StepResult };

export interface LessonSessionOptions {
	lab: Lab;
	lesson: Lesson;
	/** Number of lessons in the course (for "lesson 6/9"). */
	total?: number;
	mode: RunMode;
	/** Resume: steps before this index are redone automatically first. */
	startAt?: number;
	clock?: () => number;
	tickMs?: number;
	/** How long to wait for leaders and clients before step 1. */
	readyTimeoutMs?: number;
	signal?: AbortSignal;
	onEvent?: (e: LessonEvent) => void;
	/** After each step: the index of the next step, and everything measured so far. */
	onProgress?: (nextStep: number, measurements: Measurement[]) => void;
}

const RESOLVE_TIMEOUT_MS = 30_000;
/** A key that was used but does not end the wait for keys. */
const KEEP = Symbol('keep');

export class LessonSession {
	private state: LessonView;
	private readonly listeners = new Set<(v: LessonView) => void>();
	private pendingKey: ((k: LessonKey) => boolean) | null = null;
	private readonly clock: () => number;
	private readonly tickMs: number;
	private readonly recorded: Measurement[] = [];
	private previousTarget: NodeName | null = null;
	/** Lab state when the first step began. */
	private atLesson: LabState | null = null;
	private readonly abort = new AbortController();

	constructor(private readonly opts: LessonSessionOptions) {
		this.clock = opts.clock ?? Date.now;
		this.tickMs = opts.tickMs ?? 250;
		opts.signal?.addEventListener('abort', () => this.abort.abort());
		const { lesson } = opts;
		this.state = {
			lesson: { id: lesson.id, title: lesson.title, order: lesson.order, total: opts.total ?? lesson.order },
			stepIndex: 0,
			stepCount: lesson.steps.length,
			stepTitle: lesson.title,
			prose: lesson.intro,
			phase: 'starting',
			target: null,
			prompt: null,
			waits: [],
			check: null,
			hint: null,
			showHint: false,
			measurements: [],
			recap: [],
			message: null,
			keys: '',
		};
	}

	get view(): LessonView {
		return this.state;
	}

	subscribe(listener: (v: LessonView) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** True while a step is running (quitting should ask first). */
	get busy(): boolean {
		return !['finished', 'failed'].includes(this.state.phase);
	}

	/** Stops waiting; run() resolves with status 'aborted'. */
	stop(): void {
		this.abort.abort();
	}

	/** A key from the lesson panel. Returns true when the lesson used it. */
	onKey(key: LessonKey): boolean {
		if (key.ch === 'h' && this.state.hint && this.state.phase !== 'asking') {
			this.update({ showHint: !this.state.showHint });
			return true;
		}
		return this.pendingKey ? this.pendingKey(key) : false;
	}

	private update(patch: Partial<LessonView>): void {
		const next = { ...this.state, ...patch };
		next.keys = keysFor(next.phase, !!next.hint);
		this.state = next;
		for (const l of [...this.listeners]) l(next);
	}

	/**
	 * Resolves with the first key `accept` takes (interactive mode only). `accept`
	 * runs synchronously inside onKey: returning KEEP uses the key but goes on
	 * waiting, so keys arriving in one chunk are each handled (toolchain.md P2).
	 */
	private key<T>(accept: (k: LessonKey) => T | null | typeof KEEP): Promise<T | null> {
		return new Promise((resolve) => {
			const onAbort = () => {
				this.pendingKey = null;
				resolve(null);
			};
			if (this.abort.signal.aborted) return onAbort();
			this.abort.signal.addEventListener('abort', onAbort, { once: true });
			this.pendingKey = (k) => {
				const v = accept(k);
				if (v === null) return false;
				if (v === KEEP) return true;
				this.pendingKey = null;
				this.abort.signal.removeEventListener('abort', onAbort);
				resolve(v as T);
				return true;
			};
		});
	}

	async run(): Promise<LessonResult> {
		const began = this.clock();
		const { lesson } = this.opts;
		const steps: StepResult[] = [];
		const result = (status: LessonResult['status'], failure?: string): LessonResult => ({
			id: lesson.id,
			title: lesson.title,
			status,
			ms: this.clock() - began,
			steps,
			measurements: [...this.recorded],
			...(failure ? { failure } : {}),
		});

		const ready = await this.waitReady();
		if (!ready.ok) {
			if (ready.reason === 'aborted') return result('aborted');
			const failure = `${lesson.id}: the lab was not ready: ${ready.detail}`;
			this.update({ phase: 'failed', message: failure });
			return result('failed', failure);
		}
		this.atLesson = this.opts.lab.getState();
		const startAt = Math.min(this.opts.startAt ?? 0, lesson.steps.length);
		for (const step of lesson.steps) {
			const replay = step.index < startAt;
			const r = await this.runStep(step, replay ? 'auto' : this.opts.mode, replay);
			steps.push(r);
			if (this.abort.signal.aborted) return result('aborted');
			if (r.status === 'failed') {
				this.update({ phase: 'failed', message: r.failure ?? 'step failed' });
				if (this.opts.mode === 'interactive') await this.key((k) => (k.enter ? true : null));
				return result('failed', r.failure);
			}
			this.opts.onProgress?.(step.index + 1, [...this.recorded]);
		}
		this.update({
			phase: 'finished',
			stepTitle: `Recap: ${lesson.title}`,
			prose: '',
			waits: [],
			check: null,
			prompt: null,
			hint: null,
			message: null,
			measurements: [],
			recap: [...this.recorded],
		});
		if (this.opts.mode === 'interactive') await this.key((k) => (k.enter ? true : null));
		return result('done');
	}

	/** Before step 1: leaders known, clients connected (what the lesson's prose assumes). */
	private async waitReady(): Promise<WaitOutcome> {
		const kinds = new Set(this.opts.lesson.probes.map((p) => p.kind));
		const specs: WaitSpec[] = [
			WaitSchema.parse({ for: 'meta-leader' }),
			WaitSchema.parse({ for: 'full-mesh' }),
		];
		if (kinds.has('jetstream')) {
			specs.push(WaitSchema.parse({ for: 'stream-leader' }), WaitSchema.parse({ for: 'consumer-leader' }));
		}
		// Connections younger than nats.js's reconnectTimeWait (2 s) wait out the rest before
		// re-dialling (nats-behavior.md §14.2); let them settle so a step's first fault is typical.
		if (kinds.size > 0) specs.push(WaitSchema.parse({ for: 'clients-connected', steady: '2.5s' }));
		const timeout = this.opts.readyTimeoutMs ?? 60_000;
		for (const s of specs) s.timeout = timeout;
		const state = this.opts.lab.getState();
		const now = this.clock();
		return waitForAll(this.opts.lab, specs, this.context(state, now), {
			clock: this.clock,
			tickMs: this.tickMs,
			signal: this.abort.signal,
			onUpdate: (waits) => this.update({ waits }),
		});
	}

	private context(atStart: LabState, startedAt: number): Omit<CondContext, 'now'> {
		return { atStart, atAction: atStart, atLesson: this.atLesson ?? atStart, startedAt, actionAt: null };
	}

	private values(target: { node: NodeName; why: string } | null): Record<string, string | undefined> {
		const state = this.opts.lab.getState();
		const v = this.opts.lab.versions;
		const values: Record<string, string | undefined> = {
			target: target?.node,
			targetWhy: target?.why,
			previous: this.previousTarget ?? undefined,
			metaLeader: agreedLeader(state) ?? state.cluster.meta.leader ?? 'none',
			streamLeader: mainStream(state)?.leader ?? 'none',
			consumerLeader: mainConsumer(state)?.leader ?? 'none',
			stream: mainStream(state)?.name ?? 'ORDERS',
			consumer: mainConsumer(state)?.name ?? 'ORDERS > C1',
			version: v.initial,
			fromVersion: v.initial,
			toVersion: v.upgradeTo ?? undefined,
		};
		for (const m of this.recorded) values[m.name] = m.text;
		return values;
	}

	private async resolve(
		ref: NodeRef,
		target: NodeName | null,
	): Promise<{ node: NodeName; why: string } | string> {
		const ctx = { target, previous: this.previousTarget, upgradeTo: this.opts.lab.versions.upgradeTo };
		const first = resolveNode(this.opts.lab.getState(), ref, ctx);
		if (first.node !== null) return first;
		this.update({ phase: 'resolving', message: `waiting for ${first.waitingFor}` });
		const found = await until(
			this.opts.lab,
			(s) => {
				const r = resolveNode(s, ref, ctx);
				return r.node !== null ? r : null;
			},
			{ timeoutMs: RESOLVE_TIMEOUT_MS, tickMs: this.tickMs, clock: this.clock, signal: this.abort.signal },
		);
		this.update({ message: null });
		return found ?? `no node for ${ref}: waited ${formatMs(RESOLVE_TIMEOUT_MS)} for ${first.waitingFor}`;
	}

	private async runStep(step: Step, mode: RunMode, replay: boolean): Promise<StepResult> {
		const began = this.clock();
		const res: StepResult = {
			index: step.index,
			title: step.title,
			status: 'done',
			ms: 0,
			target: null,
			actions: [],
			waits: [],
			measurements: [],
		};
		const fail = (failure: string): StepResult => ({
			...res,
			status: 'failed',
			failure,
			ms: this.clock() - began,
		});
		const where = `${this.opts.lesson.id} step ${step.index + 1} “${step.title}”`;
		this.update({
			phase: replay ? 'replaying' : 'resolving',
			stepIndex: step.index,
			stepTitle: step.title,
			prose: '',
			target: null,
			prompt: null,
			waits: [],
			check: null,
			hint: null,
			showHint: false,
			measurements: [],
			message: replay ? `catching up: redoing step ${step.index + 1} on your fresh cluster` : null,
		});

		// The target is chosen now, from the live state.
		let target: { node: NodeName; why: string } | null = null;
		const ref = step.target ?? step.actions.find((a) => a.target)?.target;
		if (ref) {
			const r = await this.resolve(ref, null);
			if (typeof r === 'string') return fail(`${where}: ${r}`);
			target = r;
			res.target = r.node;
		}
		this.opts.onEvent?.({ type: 'step-start', index: step.index, title: step.title, target, replay });
		const values = this.values(target);
		this.update({
			phase: replay ? 'replaying' : 'acting',
			target,
			prose: fillTemplate(step.prose, values),
			hint: step.hint ? fillTemplate(step.hint, values) : null,
		});

		const atStart = this.opts.lab.getState();
		const startedAt = this.clock();
		if (step.check?.when === 'before')
			res.check = await this.ask(this.fillCheck(step.check, target), mode, replay);

		let actionAt: number | null = null;
		for (const a of step.actions) {
			const picked = await this.actionNode(a, target);
			if ('error' in picked) return fail(`${where}: ${picked.error}`);
			const node = picked.node;
			const text = actionText(a, node, this.opts.lab.versions.upgradeTo);
			const byLearner = a.by === 'learner';
			if (byLearner && mode === 'interactive') {
				this.update({ phase: 'action', prompt: `press ${a.key} to ${text}`, message: null });
				const pressed = await this.key((k) => (k.ch === a.key ? true : null));
				if (!pressed) return fail(`${where}: stopped`);
			}
			this.update({ phase: replay ? 'replaying' : 'acting', prompt: null, message: `natslab: ${text}…` });
			const by: ActionSource = byLearner && mode === 'interactive' ? 'learner' : 'lesson';
			this.opts.onEvent?.({ type: 'action', index: step.index, text, by });
			actionAt = this.clock();
			try {
				await performAction(this.opts.lab, a, node, by);
			} catch (err) {
				const why = isUserError(err) || err instanceof Error ? err.message : String(err);
				return fail(`${where}: could not ${text}: ${why}`);
			}
			res.actions.push(text);
		}
		this.update({ message: null });
		if (target) this.previousTarget = target.node;

		if (step.waits.length > 0) {
			const waits = await this.resolveWaits(step.waits, target);
			if (typeof waits === 'string') return fail(`${where}: ${waits}`);
			this.opts.onEvent?.({ type: 'waiting', index: step.index, texts: waits.map(describeWait) });
			const ctx: Omit<CondContext, 'now'> = {
				...this.context(atStart, startedAt),
				atAction: this.opts.lab.getState(),
				actionAt,
			};
			for (;;) {
				this.update({ phase: replay ? 'replaying' : 'waiting' });
				const outcome = await waitForAll(this.opts.lab, waits, ctx, {
					clock: this.clock,
					tickMs: this.tickMs,
					signal: this.abort.signal,
					onUpdate: (v) => this.update({ waits: v }),
				});
				res.waits = outcome.views.map((v) => ({ text: v.text, status: v.status, met: v.met }));
				this.update({ waits: outcome.views });
				if (outcome.ok) {
					const mctx = { ...ctx, now: outcome.metAt, metAt: outcome.metAt, waitAt: outcome.at };
					res.measurements = step.records.map((r) =>
						takeMeasurement(this.opts.lab.getState(), this.resolveRecord(r, target), mctx),
					);
					break;
				}
				if (outcome.reason === 'aborted') return fail(`${where}: stopped`);
				const failure = this.waitFailure(where, waits, outcome);
				if (mode === 'auto') return fail(failure);
				this.update({ phase: 'timedOut', message: failure, showHint: true });
				const choice = await this.key((k) => (k.ch === 'r' || k.ch === 's' ? k.ch : null));
				if (choice === 's') {
					res.status = 'skipped';
					break;
				}
				if (choice !== 'r') return fail(`${where}: stopped`);
				this.update({ message: null });
			}
		}
		if (step.waits.length === 0 && step.records.length > 0) {
			const now = this.clock();
			const ctx = {
				...this.context(atStart, startedAt),
				atAction: this.opts.lab.getState(),
				actionAt,
				now,
				metAt: now,
				waitAt: [],
			};
			res.measurements = step.records.map((r) =>
				takeMeasurement(this.opts.lab.getState(), this.resolveRecord(r, target), ctx),
			);
		}
		this.recorded.push(...res.measurements);
		this.update({ measurements: res.measurements, message: null });

		if (step.check && step.check.when === 'after')
			res.check = await this.ask(this.fillCheck(step.check, target), mode, replay);
		res.ms = this.clock() - began;
		this.opts.onEvent?.({ type: 'step-end', result: res });
		if (mode === 'interactive' && !replay) {
			this.update({ phase: 'stepDone' });
			await this.key((k) => (k.enter || k.ch === 'n' ? true : null));
		}
		return res;
	}

	private waitFailure(where: string, waits: WaitSpec[], outcome: Exclude<WaitOutcome, { ok: true }>): string {
		const spec = waits[outcome.index];
		const text = spec ? describeWait(spec) : 'a condition';
		const otherwise = spec?.otherwise ? ` – ${spec.otherwise}` : '';
		if (outcome.reason === 'failed') return `${where}: ${text}: ${outcome.detail}${otherwise}`;
		return `${where}: timed out after ${formatMs(spec?.timeout ?? 0)} waiting for ${text} (now: ${outcome.detail})${otherwise}`;
	}

	private async actionNode(
		a: ActionSpec,
		target: { node: NodeName } | null,
	): Promise<{ node: NodeName | null } | { error: string }> {
		if (['verify', 'probes', 'stop-probes'].includes(a.do)) return { node: null };
		if (!a.target) return target ? { node: target.node } : { error: 'action has no target' };
		const r = await this.resolve(a.target, target?.node ?? null);
		return typeof r === 'string' ? { error: r } : { node: r.node };
	}

	/** Node references inside waits (`node`, `from`) become names now. */
	private async resolveWaits(
		waits: WaitSpec[],
		target: { node: NodeName } | null,
	): Promise<WaitSpec[] | string> {
		const out: WaitSpec[] = [];
		for (const w of waits) {
			const copy = { ...w } as Record<string, unknown>;
			for (const key of ['node', 'from'] as const) {
				const ref = copy[key];
				if (typeof ref !== 'string' || ref === 'all') continue;
				const r = await this.resolve(ref, target?.node ?? null);
				if (typeof r === 'string') return r;
				copy[key] = r.node;
			}
			out.push(copy as WaitSpec);
		}
		return out;
	}

	private resolveRecord<R extends Step['records'][number]>(r: R, target: { node: NodeName } | null): R {
		if (!('node' in r) || typeof r.node !== 'string') return r;
		const res = resolveNode(this.opts.lab.getState(), r.node, {
			target: target?.node ?? null,
			previous: this.previousTarget,
			upgradeTo: this.opts.lab.versions.upgradeTo,
		});
		return { ...r, node: res.node ?? r.node };
	}

	/** The question's texts may quote measurements too ({{gaveUp}}). */
	private fillCheck(check: CheckSpec, target: { node: NodeName; why: string } | null): CheckSpec {
		const values = this.values(target);
		return {
			...check,
			question: fillTemplate(check.question, values),
			choices: check.choices.map((c) => fillTemplate(c, values)),
			...(check.explain ? { explain: fillTemplate(check.explain, values) } : {}),
		};
	}

	private async ask(check: CheckSpec, mode: RunMode, replay: boolean): Promise<StepResult['check']> {
		const answer = check.choices[check.answer - 1] ?? '';
		const view: CheckView = { question: check.question, choices: check.choices, chosen: null, correct: null };
		if (mode === 'auto' || replay) {
			this.update({ check: { ...view, chosen: check.answer - 1, correct: true, explain: check.explain } });
			return { question: check.question, answer, firstTry: true };
		}
		this.update({ phase: 'asking', check: view });
		let firstTry = true;
		const picked = await this.key((k) => {
			const i = 'abcd'.indexOf(k.ch);
			if (k.ch === '' || i < 0 || i >= check.choices.length) return null;
			if (i === check.answer - 1) {
				this.update({ check: { ...view, chosen: i, correct: true, explain: check.explain } });
				return i;
			}
			firstTry = false;
			this.update({ check: { ...view, chosen: i, correct: false, feedback: 'not quite – try again' } });
			return KEEP;
		});
		return { question: check.question, answer, firstTry: picked !== null && firstTry };
	}
}

export type { LessonPhase, LessonView, WaitView };
