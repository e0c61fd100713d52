// The one home for waiting: on a changing state (re-checked on every change and
// on a short timer, because a condition like "healthy for 3 s" becomes true with
// time alone), on a plain predicate, or for a while. Always bounded and abortable
// (Ctrl-C must not wait out a gate); the deadline is measured with an injectable
// clock so the lesson engine's tests can drive time themselves.

/** Anything that holds a state and says when it changed (the Lab, its store, a test double). */
export interface Watchable<S> {
	getState(): S;
	/** Returns an unsubscribe function. */
	subscribe(listener: (state: S) => void): () => void;
}

export interface WaitForOptions {
	/** Give up after this long (`Infinity`: the check decides when to stop). */
	timeoutMs: number;
	signal?: AbortSignal;
	/** Re-check at least this often, in ms (default 200). */
	everyMs?: number;
	/** Where "now" comes from (default Date.now). */
	clock?: () => number;
	/** The timeout's one-line message, built when it fires (so it can say what was missing). */
	describe?: () => string;
	/** The error an abort rejects with (default WaitAborted). */
	aborted?: () => Error;
}

export class WaitTimeout extends Error {
	override name = 'WaitTimeout';
}

export class WaitAborted extends Error {
	override name = 'WaitAborted';
	constructor(message = 'aborted') {
		super(message);
	}
}

const DEFAULT_EVERY_MS = 200;

/**
 * Resolves with the first value of `check(state, now)` that is not undefined. Rejects with
 * WaitTimeout once `timeoutMs` have passed, with `aborted()` when the signal aborts, or with
 * what `check` throws.
 */
export function waitFor<S, T>(
	source: Watchable<S>,
	check: (state: S, now: number) => T | undefined,
	opts: WaitForOptions,
): Promise<T> {
	const clock = opts.clock ?? Date.now;
	const abortError = opts.aborted ?? (() => new WaitAborted());
	return new Promise<T>((resolve, reject) => {
		if (opts.signal?.aborted) return reject(abortError());
		const began = clock();
		let done = false;
		const finish = (settle: () => void) => {
			if (done) return;
			done = true;
			clearInterval(ticker);
			unsubscribe();
			opts.signal?.removeEventListener('abort', onAbort);
			settle();
		};
		const evaluate = (state: S) => {
			if (done) return;
			const now = clock();
			let value: T | undefined;
			try {
				value = check(state, now);
			} catch (err) {
				return finish(() => reject(err));
			}
			if (value !== undefined) return finish(() => resolve(value as T));
			if (now - began >= opts.timeoutMs) {
				const message = opts.describe?.() ?? `timed out after ${opts.timeoutMs} ms`;
				finish(() => reject(new WaitTimeout(message)));
			}
		};
		const onAbort = () => finish(() => reject(abortError()));
		const unsubscribe = source.subscribe(evaluate);
		const ticker = setInterval(() => evaluate(source.getState()), opts.everyMs ?? DEFAULT_EVERY_MS);
		opts.signal?.addEventListener('abort', onAbort, { once: true });
		evaluate(source.getState());
	});
}

/**
 * Waits on a predicate with nothing to subscribe to (a file, a socket, a screen): asked
 * again every `everyMs`. Resolves with its first value that is not undefined/false.
 */
export async function waitUntil<T>(
	check: () => T | undefined | false | Promise<T | undefined | false>,
	opts: Omit<WaitForOptions, 'clock'> & { everyMs?: number },
): Promise<T> {
	const abortError = opts.aborted ?? (() => new WaitAborted());
	const deadline = Date.now() + opts.timeoutMs;
	for (;;) {
		if (opts.signal?.aborted) throw abortError();
		const value = await check();
		if (value !== undefined && value !== false) return value;
		if (Date.now() >= deadline) {
			throw new WaitTimeout(opts.describe?.() ?? `timed out after ${opts.timeoutMs} ms`);
		}
		await delay(opts.everyMs ?? DEFAULT_EVERY_MS, opts.signal, abortError);
	}
}

/** Sleep that an abort cuts short (rejecting with `aborted()`). */
export function delay(
	ms: number,
	signal?: AbortSignal,
	aborted: () => Error = () => new WaitAborted(),
): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(aborted());
		const onAbort = () => {
			clearTimeout(timer);
			reject(aborted());
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

/** Settles like `p`, but rejects with `aborted()` at once when the signal aborts. */
export function abortable<T>(
	p: Promise<T>,
	signal: AbortSignal,
	aborted: () => Error = () => new WaitAborted(),
): Promise<T> {
	if (signal.aborted) return Promise.reject(aborted());
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(aborted());
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
