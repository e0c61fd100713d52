// Counts what a receiver saw of a numbered stream of messages: how many arrived,
// which numbers are still missing (lost so far), which came twice, which came late.
// Core NATS is at-most-once and, across a failover, not even ordered per publisher
// (docs/nats-behavior.md §14.5: ~190 messages arrived 8 s late, after newer ones), so a
// gap is only "lost so far": a late arrival fills it again.

import type { SeenNumbers } from '../observe/events.js';

/** Closed interval of missing sequence numbers. */
type Range = [lo: number, hi: number];

/** Each failover opens one or two ranges; this many cover hours of a lesson at a few bytes each. */
const MISSING_RANGES_KEPT = 200;

/** `invalid`: not a sequence number (foreign payload); nothing is counted. */
export type Observation = 'new' | 'late' | 'duplicate' | 'invalid';

export class SequenceTracker {
	received = 0;
	duplicated = 0;
	/** Messages that filled a gap, i.e. arrived after a higher number. */
	outOfOrder = 0;
	private lowest: number | null = null;
	private highest = 0;
	/** Sorted, disjoint, non-adjacent ranges of numbers between lowest and highest not seen yet. */
	private readonly missing: Range[] = [];
	private missingCount = 0;

	/** Numbers in [lowest, highest] not received (yet). Before the first message nothing counts. */
	get lost(): number {
		return this.missingCount;
	}

	get highestSeen(): number {
		return this.highest;
	}

	/** The numbers seen so far, for counting a window by number; the newest `keep` missing ranges only. */
	seen(keep = MISSING_RANGES_KEPT): SeenNumbers | undefined {
		if (this.lowest === null) return undefined;
		const truncated = this.missing.length > keep;
		return {
			lowest: this.lowest,
			highest: this.highest,
			missing: this.missing.slice(-keep).map(([lo, hi]): [number, number] => [lo, hi]),
			...(truncated ? { truncated } : {}),
		};
	}

	observe(seq: number): Observation {
		if (!Number.isSafeInteger(seq) || seq < 0) return 'invalid';
		if (this.lowest === null) {
			// The first message is the baseline: what was published before the
			// receiver's interest reached the publisher's server is not a loss.
			this.lowest = seq;
			this.highest = seq;
			this.received++;
			return 'new';
		}
		if (seq > this.highest) {
			if (seq > this.highest + 1) this.addMissing(this.highest + 1, seq - 1);
			this.highest = seq;
			this.received++;
			return 'new';
		}
		if (seq < this.lowest) {
			// Older than anything seen: everything between it and the old baseline is a gap.
			if (seq < this.lowest - 1) this.addMissingFront(seq + 1, this.lowest - 1);
			this.lowest = seq;
			this.received++;
			this.outOfOrder++;
			return 'late';
		}
		if (this.takeMissing(seq)) {
			this.received++;
			this.outOfOrder++;
			return 'late';
		}
		this.duplicated++;
		return 'duplicate';
	}

	private addMissing(lo: number, hi: number): void {
		const last = this.missing[this.missing.length - 1];
		if (last && last[1] + 1 === lo) last[1] = hi;
		else this.missing.push([lo, hi]);
		this.missingCount += hi - lo + 1;
	}

	private addMissingFront(lo: number, hi: number): void {
		const first = this.missing[0];
		if (first && hi + 1 === first[0]) first[0] = lo;
		else this.missing.unshift([lo, hi]);
		this.missingCount += hi - lo + 1;
	}

	/** Removes seq from the missing ranges; false when it was not missing (a duplicate). */
	private takeMissing(seq: number): boolean {
		let lo = 0;
		let hi = this.missing.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			const range = this.missing[mid] as Range;
			if (seq < range[0]) hi = mid - 1;
			else if (seq > range[1]) lo = mid + 1;
			else {
				this.missingCount--;
				if (range[0] === range[1]) this.missing.splice(mid, 1);
				else if (seq === range[0]) range[0]++;
				else if (seq === range[1]) range[1]--;
				else this.missing.splice(mid, 1, [range[0], seq - 1], [seq + 1, range[1]]);
				return true;
			}
		}
		return false;
	}
}
