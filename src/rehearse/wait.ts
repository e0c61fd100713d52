// Waiting on the lab's state: re-checked on every state change and on a short
// timer (a gate like "healthy for 3 s" becomes true with time alone). Always
// bounded by a timeout and abortable (Ctrl-C must not wait out a gate).

import type { Lab } from '../lab/types.js';
import type { LabState } from '../observe/state.js';

export class RehearsalAborted extends Error {
	override name = 'RehearsalAborted';
	constructor() {
		super('rehearsal interrupted');
	}
}

export class WaitTimeout extends Error {
	override name = 'WaitTimeout';
}

export interface WaitOptions {
	timeoutMs: number;
	signal: AbortSignal;
	/** Re-check at least this often (ms). */
	everyMs?: number;
	/** The timeout's one-line message, built when it fires (so it can say what was missing). */
	describe: () => string;
}

/** Resolves with the first non-undefined value of `check(state, now)`. */
export function waitFor<T>(
	lab: Lab,
	check: (state: LabState, now: number) => T | undefined,
	opts: WaitOptions,
): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		if (opts.signal.aborted) {
			reject(new RehearsalAborted());
			return;
		}
		let done = false;
		const finish = (fn: () => void) => {
			if (done) return;
			done = true;
			clearInterval(ticker);
			clearTimeout(deadline);
			off();
			opts.signal.removeEventListener('abort', onAbort);
			fn();
		};
		const evaluate = (state: LabState) => {
			let value: T | undefined;
			try {
				value = check(state, Date.now());
			} catch (err) {
				finish(() => reject(err));
				return;
			}
			if (value !== undefined) finish(() => resolve(value as T));
		};
		const onAbort = () => finish(() => reject(new RehearsalAborted()));
		const off = lab.subscribe(evaluate);
		const ticker = setInterval(() => evaluate(lab.getState()), opts.everyMs ?? 200);
		const deadline = setTimeout(() => finish(() => reject(new WaitTimeout(opts.describe()))), opts.timeoutMs);
		opts.signal.addEventListener('abort', onAbort, { once: true });
		evaluate(lab.getState());
	});
}

/** Sleep that Ctrl-C cuts short. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal.aborted) return reject(new RehearsalAborted());
		const timer = setTimeout(() => {
			signal.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		const onAbort = () => {
			clearTimeout(timer);
			reject(new RehearsalAborted());
		};
		signal.addEventListener('abort', onAbort, { once: true });
	});
}

/** Resolves or rejects like `p`, but rejects at once when the signal aborts. */
export function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
	if (signal.aborted) return Promise.reject(new RehearsalAborted());
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(new RehearsalAborted());
		signal.addEventListener('abort', onAbort, { once: true });
		p.then(
			(v) => {
				signal.removeEventListener('abort', onAbort);
				resolve(v);
			},
			(e) => {
				signal.removeEventListener('abort', onAbort);
				reject(e);
			},
		);
	});
}
