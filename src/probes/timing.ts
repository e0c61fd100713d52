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

export function errorMessage(err: unknown): string {
	if (err instanceof Error) return err.message || err.name;
	return String(err);
}
