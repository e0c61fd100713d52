// The rehearsal's waits: the shared ones of base/wait.ts, with an interrupted
// rehearsal (Ctrl-C) rejecting as RehearsalAborted so the runner can tell it
// from a failed gate.

import {
	abortable as abortableBase,
	delay,
	WaitAborted,
	WaitTimeout,
	type Watchable,
	waitFor as waitForBase,
} from '../base/wait.js';
import type { LabState } from '../observe/state.js';

export { WaitTimeout };

export class RehearsalAborted extends WaitAborted {
	override name = 'RehearsalAborted';
	constructor() {
		super('rehearsal interrupted');
	}
}

const interrupted = () => new RehearsalAborted();

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
	lab: Watchable<LabState>,
	check: (state: LabState, now: number) => T | undefined,
	opts: WaitOptions,
): Promise<T> {
	return waitForBase(lab, check, { ...opts, aborted: interrupted });
}

/** Sleep that Ctrl-C cuts short. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
	return delay(ms, signal, interrupted);
}

/** Resolves or rejects like `p`, but rejects at once when the signal aborts. */
export function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
	return abortableBase(p, signal, interrupted);
}

/**
 * A phase that only runs when nothing failed before it, and announces itself only when it
 * passed: a set-up that already failed skips the wait and the "baseline: …" line (a false
 * line right before the FAIL). Returns the failure: the earlier one, the wait's timeout, or null.
 */
export async function gatedPhase(
	failure: string | null,
	wait: () => Promise<void>,
	announce: () => void,
): Promise<string | null> {
	if (failure !== null) return failure;
	try {
		await wait();
	} catch (err) {
		if (!(err instanceof WaitTimeout)) throw err;
		return err.message;
	}
	announce();
	return null;
}
