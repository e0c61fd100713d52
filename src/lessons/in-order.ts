// Lessons that run side by side (`learn --all --auto --jobs N`) still print as
// the course reads: the first lesson in course order that has not ended prints
// as it goes; a later lesson's lines wait until every lesson before it has ended,
// then come out whole. Each lesson's last part (saving progress, its recap, the
// --quiet line) runs in course order too.

type Last = () => Promise<void> | void;

interface Ending {
	last: Last;
	settled: (err?: unknown) => void;
}

export class InOrder {
	#head = 0;
	readonly #held: string[][];
	readonly #endings: (Ending | undefined)[];
	#chain: Promise<void> = Promise.resolve();

	constructor(
		count: number,
		private readonly out: (line: string) => void,
	) {
		this.#held = Array.from({ length: count }, () => []);
		this.#endings = Array.from({ length: count }, () => undefined);
	}

	/** A line of lesson `i` (its index in the course run): printed now if every lesson before it has ended, else held. */
	line(i: number, text: string): void {
		if (i === this.#head) this.out(text);
		else this.#held[i]?.push(text);
	}

	/**
	 * Lesson `i` ended: `last` runs once every lesson before it has ended and run its own
	 * `last` (its lines print directly then); after it, the next lesson's held lines come out.
	 * Resolves then; rejects with the error of `last` (the lessons after it still go on).
	 */
	end(i: number, last: Last): Promise<void> {
		const done = new Promise<void>((ok, fail) => {
			this.#endings[i] = { last, settled: (err) => (err === undefined ? ok() : fail(err)) };
		});
		this.#chain = this.#chain.then(() => this.#drain());
		return done;
	}

	async #drain(): Promise<void> {
		for (let e = this.#endings[this.#head]; e; e = this.#endings[this.#head]) {
			this.#endings[this.#head] = undefined;
			let error: unknown;
			try {
				await e.last();
			} catch (err) {
				error = err ?? new Error('lesson ending failed');
			}
			this.#head += 1;
			const held = this.#held[this.#head] ?? [];
			this.#held[this.#head] = [];
			for (const text of held) this.out(text);
			e.settled(error);
		}
	}
}
