// Bounded waiting: a probe must stop fast even while a server is down or frozen,
// so every wait can be cut short and every await on the network has a ceiling.

/** Sleeps that `wakeAll()` ends early (used when a probe stops). */
export class Sleeper {
	private readonly waiting = new Set<() => void>();

	sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const done = () => {
				clearTimeout(timer);
				this.waiting.delete(done);
				resolve();
			};
			const timer = setTimeout(done, Math.max(0, ms));
			this.waiting.add(done);
		});
	}

	wakeAll(): void {
		for (const done of [...this.waiting]) done();
	}
}

/** Waits for `promise` at most `ms`; resolves `undefined` on timeout and never rejects. */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<undefined>((resolve) => {
		timer = setTimeout(() => resolve(undefined), ms);
	});
	try {
		return await Promise.race([promise.catch(() => undefined), timeout]);
	} finally {
		clearTimeout(timer);
	}
}

/** The longest time between two marks (two messages received, two acks): a stall shows up here. */
export class LongestGap {
	private last: number | null = null;
	ms = 0;

	mark(now: number): void {
		if (this.last !== null) this.ms = Math.max(this.ms, now - this.last);
		this.last = now;
	}
}

export function errorMessage(err: unknown): string {
	if (err instanceof Error) return err.message || err.name;
	return String(err);
}
