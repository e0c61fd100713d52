// What a receiving probe (core subscriber, JetStream consumer) counts: the
// numbered messages its sequence tracker saw, and the longest silence between
// two new ones (a repeat or a foreign payload does not end a silence).

import { noMessages, type ProbeCounters } from '../observe/events.js';
import { SequenceTracker } from './sequence-tracker.js';
import { LongestGap } from './timing.js';

export class ReceivedCounts {
	private readonly tracker = new SequenceTracker();
	private readonly gap = new LongestGap();

	receive(seq: number, now: number): void {
		const seen = this.tracker.observe(seq);
		if (seen === 'duplicate' || seen === 'invalid') return;
		this.gap.mark(now);
	}

	/** The receiver's connection dropped: see SequenceTracker.markDisconnected. */
	markDisconnected(): void {
		this.tracker.markDisconnected();
	}

	get received(): number {
		return this.tracker.received;
	}

	counters(): Omit<ProbeCounters, 'rate'> {
		const t = this.tracker;
		const seen = t.seen();
		return {
			...noMessages(),
			received: t.received,
			lost: t.lost,
			duplicated: t.duplicated,
			maxGapMs: this.gap.ms,
			...(seen ? { seen } : {}),
		};
	}
}
