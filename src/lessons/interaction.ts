// The learner-facing side of a running lesson: the LessonView it publishes and
// the keys it waits for. Key handlers run synchronously inside onKey, so keys
// arriving in one chunk are each handled (docs/toolchain.md P2).

import type { LessonKey, StepResult } from './results.js';
import type { CheckSpec } from './schema.js';
import { type CheckView, keysFor, type LessonView } from './view.js';

/** A key that was used but does not end the wait for keys. */
export const KEEP = Symbol('keep');

export class LessonScreen {
	private state: LessonView;
	private readonly listeners = new Set<(v: LessonView) => void>();
	private pendingKey: ((k: LessonKey) => boolean) | null = null;

	constructor(
		initial: LessonView,
		private readonly signal: AbortSignal,
	) {
		this.state = initial;
	}

	get view(): LessonView {
		return this.state;
	}

	subscribe(listener: (v: LessonView) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	update(patch: Partial<LessonView>): void {
		const next = { ...this.state, ...patch };
		next.keys = keysFor(next.phase, !!next.hint, next.check?.choices.length);
		this.state = next;
		for (const l of [...this.listeners]) l(next);
	}

	/** A key from the lesson panel. Returns true when the lesson used it. */
	onKey(key: LessonKey): boolean {
		if (key.ch === 'h' && this.state.hint && this.state.phase !== 'asking') {
			this.update({ showHint: !this.state.showHint });
			return true;
		}
		return this.pendingKey ? this.pendingKey(key) : false;
	}

	/**
	 * Resolves with the first key `accept` takes; null when the lesson is stopped.
	 * `accept` returns null for keys it does not use, KEEP for keys it uses
	 * without ending the wait.
	 */
	key<T>(accept: (k: LessonKey) => T | null | typeof KEEP): Promise<T | null> {
		return new Promise((resolve) => {
			const onAbort = () => {
				this.pendingKey = null;
				resolve(null);
			};
			if (this.signal.aborted) return onAbort();
			this.signal.addEventListener('abort', onAbort, { once: true });
			this.pendingKey = (k) => {
				const v = accept(k);
				if (v === null) return false;
				if (v === KEEP) return true;
				this.pendingKey = null;
				this.signal.removeEventListener('abort', onAbort);
				resolve(v as T);
				return true;
			};
		});
	}

	/** Enter (or n) to go on. */
	next(): Promise<true | null> {
		return this.key((k) => (k.enter || k.ch === 'n' ? true : null));
	}

	/** Asks a check question: answered by the learner (a–d), or shown answered when unattended. */
	async ask(check: CheckSpec, interactive: boolean): Promise<StepResult['check']> {
		const answer = check.choices[check.answer - 1] ?? '';
		const view: CheckView = { question: check.question, choices: check.choices, chosen: null, correct: null };
		const right = (i: number) =>
			this.update({ check: { ...view, chosen: i, correct: true, explain: check.explain } });
		if (!interactive) {
			right(check.answer - 1);
			return { question: check.question, answer, firstTry: true };
		}
		this.update({ phase: 'asking', check: view });
		let firstTry = true;
		const picked = await this.key((k) => {
			const i = 'abcd'.indexOf(k.ch);
			if (k.ch === '' || i < 0 || i >= check.choices.length) return null;
			if (i === check.answer - 1) {
				right(i);
				return i;
			}
			firstTry = false;
			this.update({ check: { ...view, chosen: i, correct: false, feedback: 'not quite – try again' } });
			return KEEP;
		});
		return { question: check.question, answer, firstTry: picked !== null && firstTry };
	}
}
