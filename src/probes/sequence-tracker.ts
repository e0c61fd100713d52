// Counts what a receiver saw of a numbered stream of messages: how many arrived,
// which numbers are still missing (lost so far), which came twice, which came late.
// Core NATS is at-most-once and, across a failover, not even ordered per publisher
// (docs/nats-behavior.md §14.5: ~190 messages arrived 8 s late, after newer ones), so a
// gap is only "lost so far": a late arrival fills it again.

import type { SeenNumbers } from '../observe/events.js';
import { NumberRanges } from './number-ranges.js';

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
	/** Numbers between lowest and highest not seen yet, while the receiver was connected. */
	private readonly missing = new NumberRanges();
	/**
	 * The gap the first message after a disconnect opened: published while the receiver had no interest
	 * anywhere (core NATS delivers nothing then), in flight to the server it left, or before its new
	 * server learned its interest; its move, not counted as lost (docs/measurements.md).
	 */
	private readonly away = new NumberRanges();
	private disconnected = false;

	/** Numbers in [lowest, highest] not received (yet) while connected. Before the first message nothing counts. */
	get lost(): number {
		return this.missing.count;
	}

	/** Numbers not received (yet) because they were published while the receiver was disconnected. */
	get missedWhileAway(): number {
		return this.away.count;
	}

	get highestSeen(): number {
		return this.highest;
	}

	/** The receiver lost its connection: the gap its next new message opens is its own absence. */
	markDisconnected(): void {
		if (this.lowest !== null) this.disconnected = true;
	}

	/** The numbers seen so far, for counting a window by number; the newest `keep` ranges of each kind only. */
	seen(keep = MISSING_RANGES_KEPT): SeenNumbers | undefined {
		if (this.lowest === null) return undefined;
		const truncated = this.missing.size > keep || this.away.size > keep;
		return {
			lowest: this.lowest,
			highest: this.highest,
			missing: this.missing.newest(keep),
			away: this.away.newest(keep),
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
			if (seq > this.highest + 1)
				(this.disconnected ? this.away : this.missing).addAbove(this.highest + 1, seq - 1);
			this.disconnected = false;
			this.highest = seq;
			this.received++;
			return 'new';
		}
		if (seq < this.lowest) {
			// Older than anything seen: everything between it and the old baseline is a gap.
			if (seq < this.lowest - 1) this.missing.addBelow(seq + 1, this.lowest - 1);
			this.lowest = seq;
			this.received++;
			this.outOfOrder++;
			return 'late';
		}
		if (this.missing.take(seq) || this.away.take(seq)) {
			this.received++;
			this.outOfOrder++;
			return 'late';
		}
		this.duplicated++;
		return 'duplicate';
	}
}
