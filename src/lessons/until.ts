// A small helper: resolve as soon as `probe(state)` gives a value, re-checking
// on every state change and every tick; null on timeout or abort.

import type { Lab } from '../lab/types.js';
import type { LabState } from '../observe/state.js';

export function until<T>(
	lab: Pick<Lab, 'getState' | 'subscribe'>,
	probe: (state: LabState) => T | null,
	opts: { timeoutMs: number; tickMs: number; clock: () => number; signal?: AbortSignal },
): Promise<T | null> {
	const began = opts.clock();
	return new Promise((resolve) => {
		let done = false;
		const finish = (v: T | null) => {
			if (done) return;
			done = true;
			unsubscribe();
			clearInterval(timer);
			opts.signal?.removeEventListener('abort', onAbort);
			resolve(v);
		};
		const check = (state: LabState) => {
			if (done) return;
			const v = probe(state);
			if (v !== null) finish(v);
			else if (opts.clock() - began >= opts.timeoutMs) finish(null);
		};
		const onAbort = () => finish(null);
		const unsubscribe = lab.subscribe(check);
		const timer = setInterval(() => check(lab.getState()), opts.tickMs);
		if (opts.signal?.aborted) return finish(null);
		opts.signal?.addEventListener('abort', onAbort);
		check(lab.getState());
	});
}
