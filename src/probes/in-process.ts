// A msgID the stream leader keeps answering "in process": 2.10.27 stages a msgID with sequence 0
// when its leader proposes it and answers a retry {"seq":0,"duplicate":true} until the proposal
// commits (2.15.1: error 10158 "duplicate message id is in process"). In the hung-node lesson in CI
// one such proposal never committed after a thaw and every retry got that answer for over 30 s,
// blocking every later publish (docs/nats-behavior.md §14.5b).

/**
 * How long an unbroken run of "in process" answers to one msgID may last before the publisher gives
 * it up and publishes the next. With a quorum a commit takes milliseconds, so 15 s of nothing but
 * that answer means the attempt will not commit soon. A timeout or another error breaks the run
 * (the leader may be stalled, and the attempt may still commit once it has its quorum again).
 */
export const IN_PROCESS_GIVE_UP_MS = 15_000;

/** The answer to a retry whose earlier attempt is proposed and not committed (both versions' words). */
export function isInProcessText(text: string): boolean {
	return /sequence 0|in process/.test(text);
}

/** One msgID's unbroken run of "in process" answers. */
export class InProcessRun {
	private since: number | null = null;

	/** An answer to the current msgID, at `at` (ms): "in process" or anything else. */
	answer(inProcess: boolean, at: number): void {
		if (!inProcess) this.since = null;
		else this.since ??= at;
	}

	/** A new msgID: no run. */
	reset(): void {
		this.since = null;
	}

	/** True once the run has lasted IN_PROCESS_GIVE_UP_MS. */
	exhausted(at: number): boolean {
		return this.since !== null && at - this.since >= IN_PROCESS_GIVE_UP_MS;
	}
}
