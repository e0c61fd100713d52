// A max_age stream keeps expiring after the load stopped: the acked messages
// below its first sequence read AFTER the read are the stream's own removals,
// not losses (review B #2; docs/rehearse.md "Verification").
import { describe, expect, it } from 'vitest';
import type { JsLedger, LedgerEntry } from '../../../src/probes/js-publisher.js';
import { compareLedger, splitRemovedByStream } from '../../../src/probes/verifier.js';

function entry(n: number, over: Partial<LedgerEntry> = {}): LedgerEntry {
	return { msgId: `r-${n}`, seq: n, duplicate: false, timedOut: false, attempts: 1, failures: [], ...over };
}
const ledger: JsLedger = {
	runId: 'r',
	startSeq: 1,
	entries: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => entry(n)),
};
/** The read found only 9 and 10: 5..8 expired while it ran (first_seq was 5 before it, 9 after). */
const found = new Map([
	['r-9', [9]],
	['r-10', [10]],
]);

describe('acked messages the stream removed while it was read', () => {
	it('counts them as removed when first_seq is read after the read', () => {
		const { kept, removed } = splitRemovedByStream(ledger, found, 9);
		expect(removed).toBe(8);
		expect(compareLedger(kept, found)).toMatchObject({ acked: 2, ackedStoredOnce: 2, ackedMissing: 0 });
	});

	it('a first_seq read before the read (the old way) would have called 5..8 missing', () => {
		const { kept } = splitRemovedByStream(ledger, found, 5);
		expect(compareLedger(kept, found)).toMatchObject({ acked: 6, ackedMissing: 4 });
	});

	it('never removes what the stream holds, nor an acked message above first_seq', () => {
		const held = new Map([
			['r-2', [12]],
			['r-9', [9]],
		]);
		const { kept, removed } = splitRemovedByStream(ledger, held, 9);
		expect(removed).toBe(7);
		const result = compareLedger(kept, held);
		// r-2 was stored at another sequence; r-10 is above first_seq and not there: lost.
		expect(result).toMatchObject({ acked: 3, ackedStoredOnce: 2, storedAtOtherSeq: 1, ackedMissing: 1 });
		expect(result.missing).toEqual([{ msgId: 'r-10', seq: 10 }]);
	});

	it('leaves unacked entries to compareLedger', () => {
		const unacked: JsLedger = { ...ledger, entries: [entry(1, { seq: null }), entry(2)] };
		const { kept, removed } = splitRemovedByStream(unacked, new Map(), 5);
		expect(removed).toBe(1);
		expect(kept.entries.map((e) => e.msgId)).toEqual(['r-1']);
	});
});
