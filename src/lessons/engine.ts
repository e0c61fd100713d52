// The step engine: runs one lesson against a live Lab. For each step it
// resolves the target from the live state, performs (or asks the learner for)
// the action, waits on the step's conditions, records measurements and asks
// the check question. The same code runs interactively (keys from the lesson
// panel) and unattended (`learn --auto`: natslab presses the keys itself).

import type { NodeName } from '../base/names.js';
import type { Lab } from '../lab/types.js';
import { diagnosisNote } from '../observe/diagnoses.js';
import type { LabState } from '../observe/state.js';
import type { CondContext } from './conditions.js';
import { DiagnosisWatch, withDiagnoses } from './diagnosis-watch.js';
import { LessonScreen } from './interaction.js';
import type { Lesson, Step } from './load.js';
import { type Measurement, takeMeasurement } from './measures.js';
import { OffPlanWatch, offPlanMessage } from './off-plan.js';
import { fillCheck, placeholderValues } from './placeholders.js';
import type { LessonEvent, LessonKey, LessonResult, RunMode, StepResult } from './results.js';
import type { CheckSpec } from './schema.js';
import { actStep } from './session-act.js';
import type { SessionParts, Target } from './session-parts.js';
import { lessonResult, recapView } from './session-recap.js';
import { resolveRecord, resolveRef, resolveWaits } from './session-targets.js';
import { waitReady, waitStep } from './session-waits.js';
import { fillTemplate } from './template.js';
import { blankStep, type LessonView } from './view.js';

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
		const result = (status: LessonResult['status'], failure?: string): LessonResult =>
			lessonResult(lesson, this.clock() - began, steps, this.recorded, status, failure);

		const ready = await waitReady(this.parts(), this.context(this.opts.lab.getState(), this.clock()));
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
		this.screen.update(recapView(lesson, steps, this.recorded));
		if (this.interactive) await this.screen.next();
		return result('done');
	}

	/** What the session's pieces (session-*.ts) share, with the current previous target. */
	private parts(): SessionParts {
		return {
			lab: this.opts.lab,
			lesson: this.opts.lesson,
			screen: this.screen,
			clock: this.clock,
			tickMs: this.tickMs,
			signal: this.abort.signal,
			previous: this.previousTarget,
			watch: this.watch,
			offPlan: this.offPlan,
			readyTimeoutMs: this.opts.readyTimeoutMs,
			onEvent: this.opts.onEvent,
		};
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
			const r = await resolveRef(this.parts(), ref, null);
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

		const acted = await actStep(this.parts(), step, target, interactive, replay, res);
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
			const waits = await resolveWaits(this.parts(), step.waits, target);
			if (typeof waits === 'string') return fail(waits);
			const waited = await waitStep(this.parts(), step, waits, ctx, mode, replay, res);
			if (waited === 'skipped') res.status = 'skipped';
			else if (typeof waited === 'string') return fail(waited);
			else ({ metAt, waitAt } = waited);
		}
		if (res.status === 'done') {
			const mctx = { ...ctx, now: metAt, metAt, waitAt };
			res.measurements = step.records.map((r) =>
				takeMeasurement(this.opts.lab.getState(), resolveRecord(this.parts(), r, target), mctx),
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

	private fillCheck(check: CheckSpec, target: Target | null): CheckSpec {
		return fillCheck(check, this.values(target));
	}
}
