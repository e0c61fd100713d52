// The step engine: runs one lesson against a live Lab. For each step it
// resolves the target from the live state, performs (or asks the learner for)
// the action, waits on the step's conditions, records measurements and asks
// the check question. The same code runs interactively (keys from the lesson
// panel) and unattended (`learn --auto`: natslab presses the keys itself).

import { formatMs } from '../base/format.js';
import type { ActionSource, NodeName } from '../base/names.js';
import { waitFor } from '../base/wait.js';
import type { Lab } from '../lab/types.js';
import { diagnosisNote } from '../observe/diagnoses.js';
import type { LabState } from '../observe/state.js';
import { actionText, performAction } from './actions.js';
import { type CondContext, describeWait } from './conditions.js';
import { DiagnosisWatch, withDiagnoses } from './diagnosis-watch.js';
import { findOrFreeFollower, givenUp } from './free-follower.js';
import { LessonScreen } from './interaction.js';
import type { Lesson, Step } from './load.js';
import { type Measurement, takeMeasurement } from './measures.js';
import { OffPlanWatch, offPlanMessage } from './off-plan.js';
import { fillCheck, placeholderValues } from './placeholders.js';
import type { LessonEvent, LessonKey, LessonResult, RunMode, StepResult } from './results.js';
import type { ActionSpec, CheckSpec, NodeRef, WaitSpec } from './schema.js';
import { resolveNode } from './targets.js';
import { fillTemplate } from './template.js';
import { blankStep, type LessonView } from './view.js';
import { describeWaitFailure, readySpecs, type WaitOutcome, waitForAll } from './wait.js';

export type { LessonEvent, LessonKey, LessonResult, RunMode, StepResult } from './results.js';
export type { LessonView } from './view.js';

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
	/**
	 * After each step: the index of the next step, everything measured so far, and the steps this
	 * run skipped past after their wait failed (a lesson with one is not done).
	 */
	onProgress?: (nextStep: number, measurements: Measurement[], skipped: number[]) => void;
}

type Target = { node: NodeName; why: string };

/** How long a step waits for its role (a meta leader, a stopped node...) to exist. */
const RESOLVE_TIMEOUT_MS = 30_000;

export class LessonSession {
	private readonly screen: LessonScreen;
	private readonly clock: () => number;
	private readonly tickMs: number;
	private readonly recorded: Measurement[] = [];
	private previousTarget: NodeName | null = null;
	/** Lab state when the first step began. */
	private atLesson: LabState | null = null;
	private readonly abort = new AbortController();
	private watch: DiagnosisWatch | null = null;
	private offPlan: OffPlanWatch | null = null;

	constructor(private readonly opts: LessonSessionOptions) {
		this.clock = opts.clock ?? Date.now;
		this.tickMs = opts.tickMs ?? 250;
		opts.signal?.addEventListener('abort', () => this.abort.abort());
		const { lesson } = opts;
		this.screen = new LessonScreen(
			{
				lesson: {
					id: lesson.id,
					title: lesson.title,
					order: lesson.order,
					total: opts.total ?? lesson.order,
				},
				stepIndex: 0,
				stepCount: lesson.steps.length,
				stepTitle: lesson.title,
				prose: lesson.intro,
				phase: 'starting',
				...blankStep(),
				recap: [],
				message: null,
				keys: '',
			},
			this.abort.signal,
		);
	}

	get view(): LessonView {
		return this.screen.view;
	}

	subscribe(listener: (v: LessonView) => void): () => void {
		return this.screen.subscribe(listener);
	}

	/** True while a step is running (quitting should ask first). */
	get busy(): boolean {
		return !['finished', 'failed'].includes(this.view.phase);
	}

	/** Stops waiting; run() resolves with status 'aborted'. */
	stop(): void {
		this.abort.abort();
	}

	/** A key from the lesson panel. Returns true when the lesson used it. */
	onKey(key: LessonKey): boolean {
		return this.screen.onKey(key);
	}

	private get interactive(): boolean {
		return this.opts.mode === 'interactive';
	}

	async run(): Promise<LessonResult> {
		this.watch = new DiagnosisWatch(this.opts.lab, this.clock);
		this.offPlan = new OffPlanWatch(this.opts.lab, (action) => {
			this.screen.update({ message: offPlanMessage(action) });
			this.opts.lab.emit({
				kind: 'note',
				at: this.clock(),
				text: `outside the lesson's plan: learner ${action}`,
			});
		});
		try {
			return await this.runLesson();
		} finally {
			this.watch.stop();
			this.offPlan.stop();
		}
	}

	private async runLesson(): Promise<LessonResult> {
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
			...(steps.at(-1)?.diagnoses ? { diagnoses: steps.at(-1)?.diagnoses } : {}),
		});

		const ready = await this.waitReady();
		if (!ready.ok) {
			if (ready.reason === 'aborted') return result('aborted');
			// A cluster that never meshes may be in a named condition (a one-way route).
			const found = this.watch?.current() ?? [];
			const failure = withDiagnoses(`${lesson.id}: the lab was not ready: ${ready.detail}`, found);
			this.screen.update({ phase: 'failed', message: failure });
			const named = found.length > 0 ? { diagnoses: found.map(diagnosisNote) } : {};
			return { ...result('failed', failure), ...named };
		}
		this.atLesson = this.opts.lab.getState();
		const startAt = Math.min(this.opts.startAt ?? 0, lesson.steps.length);
		for (const step of lesson.steps) {
			const replay = step.index < startAt;
			const r = await this.runStep(step, replay ? 'auto' : this.opts.mode, replay);
			steps.push(r);
			if (this.abort.signal.aborted) return result('aborted');
			if (r.status === 'failed') {
				this.screen.update({ phase: 'failed', message: r.failure ?? 'step failed' });
				if (this.interactive) await this.screen.next();
				return result('failed', r.failure);
			}
			const skipped = steps.filter((x) => x.status === 'skipped').map((x) => x.index);
			this.opts.onProgress?.(step.index + 1, [...this.recorded], skipped);
		}
		const skippedSteps = steps.filter((x) => x.status === 'skipped').map((x) => x.index + 1);
		this.screen.update({
			phase: 'finished',
			stepTitle: `Recap: ${lesson.title}`,
			prose: '',
			waits: [],
			check: null,
			prompt: null,
			hint: null,
			message:
				skippedSteps.length > 0
					? `skipped step ${skippedSteps.join(', ')}: not marked done; it resumes at step ${skippedSteps[0]}`
					: null,
			measurements: [],
			recap: [...this.recorded],
		});
		if (this.interactive) await this.screen.next();
		return result('done');
	}

	/** Before step 1: leaders known, clients connected (what the lesson's prose assumes). */
	private async waitReady(): Promise<WaitOutcome> {
		// The lab's probes start behind the screen: a start that failed fails the lesson at once.
		const failed = await this.opts.lab.probesReady?.().then(
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
		const specs = readySpecs(this.opts.lesson.probes, this.opts.readyTimeoutMs ?? 60_000);
		return this.wait(specs, this.context(this.opts.lab.getState(), this.clock()));
	}

	private wait(specs: WaitSpec[], ctx: Omit<CondContext, 'now'>): Promise<WaitOutcome> {
		return waitForAll(this.opts.lab, specs, ctx, {
			clock: this.clock,
			tickMs: this.tickMs,
			signal: this.abort.signal,
			onUpdate: (waits) => this.screen.update({ waits, diagnosis: this.diagnosisView() }),
		});
	}

	/** The first named diagnosis, for the panel while a wait goes on. */
	private diagnosisView(): LessonView['diagnosis'] {
		return this.watch?.view(this.opts.lab.getState().cluster.order) ?? null;
	}

	private context(atStart: LabState, startedAt: number): Omit<CondContext, 'now'> {
		return { atStart, atAction: atStart, atLesson: this.atLesson ?? atStart, startedAt, actionAt: null };
	}

	private values(target: Target | null): Record<string, string | undefined> {
		return placeholderValues(
			this.opts.lab.getState(),
			this.opts.lab.versions,
			target,
			this.previousTarget,
			this.recorded,
		);
	}

	/** A node reference → a node, waiting (bounded) until the live state has one for the role. */
	private async resolve(ref: NodeRef, target: NodeName | null): Promise<Target | string> {
		const ctx = { target, previous: this.previousTarget, upgradeTo: this.opts.lab.versions.upgradeTo };
		const first = resolveNode(this.opts.lab.getState(), ref, ctx);
		if (first.node !== null) return first;
		this.screen.update({ phase: 'resolving', message: `waiting for ${first.waitingFor}` });
		const wait = {
			timeoutMs: RESOLVE_TIMEOUT_MS,
			everyMs: this.tickMs,
			clock: this.clock,
			signal: this.abort.signal,
		};
		// When every node leads something, natslab moves C1's leader to make a follower (./free-follower.ts).
		const found =
			ref === 'a-follower'
				? await findOrFreeFollower(this.opts.lab, wait)
				: await waitFor(
						this.opts.lab,
						(s) => {
							const r = resolveNode(s, ref, ctx);
							return r.node !== null ? r : undefined;
						},
						wait,
					).catch(givenUp);
		this.screen.update({ message: null });
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
		const fail = (why: string): StepResult => ({
			...res,
			status: 'failed',
			failure: `${this.opts.lesson.id} step ${step.index + 1} “${step.title}”: ${why}`,
			ms: this.clock() - began,
		});
		const interactive = mode === 'interactive' && !replay;
		this.screen.update({
			phase: replay ? 'replaying' : 'resolving',
			stepIndex: step.index,
			stepTitle: step.title,
			prose: '',
			...blankStep(),
			message: replay ? `catching up: redoing step ${step.index + 1} on your fresh cluster` : null,
		});

		// The target is chosen now, from the live state.
		let target: Target | null = null;
		// Without a step target, the actions' target counts when they all share one.
		const actionRefs = [...new Set(step.actions.flatMap((a) => (a.target ? [a.target] : [])))];
		const ref = step.target ?? (actionRefs.length === 1 ? actionRefs[0] : undefined);
		if (ref) {
			const r = await this.resolve(ref, null);
			if (typeof r === 'string') return fail(r);
			target = r;
			res.target = r.node;
		}
		this.opts.onEvent?.({ type: 'step-start', index: step.index, title: step.title, target, replay });
		const values = this.values(target);
		this.screen.update({
			phase: replay ? 'replaying' : 'acting',
			target,
			prose: fillTemplate(step.prose, values),
			hint: step.hint ? fillTemplate(step.hint, values) : null,
		});

		const atStart = this.opts.lab.getState();
		const startedAt = this.clock();
		if (step.check?.when === 'before')
			res.check = await this.screen.ask(this.fillCheck(step.check, target), interactive);

		const acted = await this.act(step, target, interactive, replay, res);
		if (typeof acted === 'string') return fail(acted);
		if (target) this.previousTarget = target.node;
		const ctx: Omit<CondContext, 'now'> = {
			...this.context(atStart, startedAt),
			atAction: this.opts.lab.getState(),
			beforeAction: acted.beforeAction ?? atStart,
			actionAt: acted.actionAt,
		};

		let metAt = this.clock();
		let waitAt: (number | undefined)[] = [];
		if (step.waits.length > 0) {
			const waited = await this.waitStep(step, target, ctx, mode, replay, res);
			if (waited === 'skipped') res.status = 'skipped';
			else if (typeof waited === 'string') return fail(waited);
			else ({ metAt, waitAt } = waited);
		}
		if (res.status === 'done') {
			const mctx = { ...ctx, now: metAt, metAt, waitAt };
			res.measurements = step.records.map((r) =>
				takeMeasurement(this.opts.lab.getState(), this.resolveRecord(r, target), mctx),
			);
		}
		this.recorded.push(...res.measurements);
		this.screen.update({ measurements: res.measurements, message: null });

		if (step.check?.when === 'after')
			res.check = await this.screen.ask(this.fillCheck(step.check, target), interactive);
		res.ms = this.clock() - began;
		this.opts.onEvent?.({ type: 'step-end', result: res });
		if (interactive) {
			this.screen.update({ phase: 'stepDone' });
			await this.screen.next();
		}
		return res;
	}

	/** The step's actions in order; the learner's by key when interactive. A string is a failure. */
	private async act(
		step: Step,
		target: Target | null,
		interactive: boolean,
		replay: boolean,
		res: StepResult,
	): Promise<{ actionAt: number | null; beforeAction?: LabState } | string> {
		let actionAt: number | null = null;
		let beforeAction: LabState | undefined;
		for (const a of step.actions) {
			const picked = await this.actionNode(a, target);
			if ('error' in picked) return picked.error;
			const text = actionText(a, picked.node, this.opts.lab.versions.upgradeTo);
			const byLearner = a.by === 'learner' && interactive;
			if (byLearner) {
				this.screen.update({ phase: 'action', prompt: `press ${a.key} to ${text}`, message: null });
				if (!(await this.screen.key((k) => (k.ch === a.key ? true : null)))) return 'stopped';
			}
			this.screen.update({
				phase: replay ? 'replaying' : 'acting',
				prompt: null,
				message: `natslab: ${text}…`,
			});
			const by: ActionSource = byLearner ? 'learner' : 'lesson';
			this.opts.onEvent?.({ type: 'action', index: step.index, text, by });
			actionAt = this.clock();
			beforeAction = this.opts.lab.getState();
			if (by === 'learner') this.offPlan?.expectOwn();
			try {
				await performAction(this.opts.lab, a, picked.node, by);
			} catch (err) {
				return `could not ${text}: ${err instanceof Error ? err.message : String(err)}`;
			}
			res.actions.push(text);
		}
		this.screen.update({ message: null });
		return { actionAt, beforeAction };
	}

	/** Waits on the step's conditions; interactively a timeout offers retry or skip. */
	private async waitStep(
		step: Step,
		target: Target | null,
		ctx: Omit<CondContext, 'now'>,
		mode: RunMode,
		replay: boolean,
		res: StepResult,
	): Promise<{ metAt: number; waitAt: (number | undefined)[] } | 'skipped' | string> {
		const waits = await this.resolveWaits(step.waits, target);
		if (typeof waits === 'string') return waits;
		this.opts.onEvent?.({ type: 'waiting', index: step.index, texts: waits.map(describeWait) });
		for (;;) {
			this.screen.update({ phase: replay ? 'replaying' : 'waiting' });
			const outcome = await this.wait(waits, ctx);
			res.waits = outcome.views.map((v) => ({ text: v.text, status: v.status, met: v.met }));
			this.screen.update({ waits: outcome.views });
			if (outcome.ok) return { metAt: outcome.metAt, waitAt: outcome.at };
			if (outcome.reason === 'aborted') return 'stopped';
			const failure = describeWaitFailure(waits, outcome);
			const found = this.watch?.current() ?? [];
			if (found.length > 0) res.diagnoses = found.map(diagnosisNote);
			if (mode === 'auto' || replay) return withDiagnoses(failure, found);
			const where = `${this.opts.lesson.id} step ${step.index + 1} “${step.title}”`;
			this.screen.update({
				phase: 'timedOut',
				message: `${where}: ${failure}`,
				showHint: true,
				diagnosis: this.diagnosisView(),
			});
			// w and x, not r and s: those stay the node keys, and restarting a node is often the fix.
			const choice = await this.screen.key((k) => (k.ch === 'w' || k.ch === 'x' ? k.ch : null));
			if (choice === 'x') return 'skipped';
			if (choice !== 'w') return 'stopped';
			this.screen.update({ message: null });
		}
	}

	private async actionNode(
		a: ActionSpec,
		target: Target | null,
	): Promise<{ node: NodeName | null } | { error: string }> {
		if (['verify', 'probes', 'stop-probes'].includes(a.do)) return { node: null };
		if (!a.target) return target ? { node: target.node } : { error: 'action has no target' };
		const r = await this.resolve(a.target, target?.node ?? null);
		return typeof r === 'string' ? { error: r } : { node: r.node };
	}

	/** Node references inside waits (`node`, `from`) become names now. */
	private async resolveWaits(waits: WaitSpec[], target: Target | null): Promise<WaitSpec[] | string> {
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

	private resolveRecord<R extends Step['records'][number]>(r: R, target: Target | null): R {
		if (!('node' in r) || typeof r.node !== 'string') return r;
		const res = resolveNode(this.opts.lab.getState(), r.node, {
			target: target?.node ?? null,
			previous: this.previousTarget,
			upgradeTo: this.opts.lab.versions.upgradeTo,
		});
		return { ...r, node: res.node ?? r.node };
	}

	private fillCheck(check: CheckSpec, target: Target | null): CheckSpec {
		return fillCheck(check, this.values(target));
	}
}
