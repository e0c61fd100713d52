// The verifier's verdict per msgID, from ledger and stream shapes as the real
// publisher and the real stream read produce them (the integration test
// verifier-duplicates.test.ts runs the same code against real servers).
import { describe, expect, it } from 'vitest';
import { verifySummary } from '../../../src/observe/verify-text.js';
import type { JsLedger, LedgerEntry } from '../../../src/probes/js-publisher.js';
import { compareLedger, NAMED_PER_FINDING } from '../../../src/probes/verifier.js';

function entry(n: number, over: Partial<LedgerEntry> = {}): LedgerEntry {
	return {
		msgId: `run1-${n}`,
		seq: 100 + n,
		duplicate: false,
		timedOut: false,
		attempts: 1,
		failures: [],
		...over,
	};
}

function ledger(entries: LedgerEntry[]): JsLedger {
	return { runId: 'run1', startSeq: 101, entries };
}

/** What a stream scan found: message number → the sequences holding `run1-<n>`, in read order. */
function stream(bySeq: Record<number, number[]>): Map<string, number[]> {
	return new Map(Object.entries(bySeq).map(([n, seqs]) => [`run1-${n}`, seqs]));
}

describe('compareLedger', () => {
	it('acked 3, stored 3, lost 0', () => {
		const l = ledger([entry(1), entry(2), entry(3)]);
		expect(compareLedger(l, stream({ 1: [101], 2: [102], 3: [103] }))).toEqual({
			acked: 3,
			stored: 3,
			ackedMissing: 0,
			timedOutButStored: 0,
			ackedStoredOnce: 3,
			storedAtOtherSeq: 0,
			storedMoreThanOnce: 0,
			duplicates: [],
			missing: [],
			storedUnacked: 0,
			unackedNotStored: 0,
			givenUp: 0,
			givenUpStored: 0,
		});
	});

	it('a msgID given up while "in process" is counted and said, stored or not, never lost', () => {
		const given = entry(2, { seq: null, givenUp: true, failures: ['other', 'other'], attempts: 2 });
		const r = compareLedger(ledger([entry(1), given, entry(3)]), stream({ 1: [101], 2: [102], 3: [103] }));
		expect(r.givenUp).toBe(1);
		expect(r.givenUpStored).toBe(1);
		expect(r.ackedMissing).toBe(0);
		expect(r.storedUnacked).toBe(1);
		expect(verifySummary(r)).toContain('msgIDs given up while "in process" 1 (1 of them stored)');
		const notStored = compareLedger(ledger([entry(1), given]), stream({ 1: [101] }));
		expect(notStored.givenUpStored).toBe(0);
		expect(notStored.unackedNotStored).toBe(1);
		expect(verifySummary(notStored)).toContain('msgIDs given up while "in process" 1 (0 of them stored)');
	});

	it('only an acked msgID the stream does not hold is lost, named with its acked sequence', () => {
		const l = ledger([entry(1), entry(2), entry(3)]);
		// msgID 3 sits at 102, where the ack of 2 pointed: stored, not lost. msgID 2 is nowhere.
		const r = compareLedger(l, stream({ 1: [101], 3: [102] }));
		expect(r.ackedMissing).toBe(1);
		expect(r.missing).toEqual([{ msgId: 'run1-2', seq: 102 }]);
		expect(r.ackedStoredOnce).toBe(2);
		expect(r.storedAtOtherSeq).toBe(1);
		expect(r.stored).toBe(2);
	});

	it('retries stored five times (2.9.10, quorum loss) shift every later sequence and lose nothing', () => {
		// The shape of issue #10: msgID 4 timed out four times and every attempt was stored at
		// 104–108; the fifth attempt was acked as 108. The acks after it name sequences the
		// publisher counted on its side, the stream holds those msgIDs four sequences later.
		const entries = [
			entry(1),
			entry(2),
			entry(3),
			entry(4, {
				seq: 108,
				timedOut: true,
				attempts: 5,
				failures: ['timeout', 'timeout', 'timeout', 'timeout'],
			}),
			...Array.from({ length: 20 }, (_, k) => entry(5 + k, { seq: 105 + k })),
		];
		const later = Object.fromEntries(Array.from({ length: 20 }, (_, k) => [5 + k, [109 + k]]));
		const stored = stream({ 1: [101], 2: [102], 3: [103], 4: [104, 105, 106, 107, 108], ...later });
		const r = compareLedger(ledger(entries), stored);
		expect(r.ackedMissing).toBe(0);
		expect(r.missing).toEqual([]);
		expect(r.acked).toBe(24);
		expect(r.stored).toBe(28);
		expect(r.storedMoreThanOnce).toBe(1);
		expect(r.duplicates).toEqual([{ msgId: 'run1-4', seqs: [104, 105, 106, 107, 108], ackSeq: 108 }]);
		expect(r.ackedStoredOnce).toBe(23);
		expect(r.storedAtOtherSeq).toBe(20);
		// Its last attempt stored it itself (not acked as a duplicate): not "timed out yet stored".
		expect(r.timedOutButStored).toBe(0);
	});

	it('a msgID stored twice (resent after the duplicate window) is its own finding, sequences sorted', () => {
		const r = compareLedger(ledger([entry(1), entry(2)]), stream({ 1: [150, 101], 2: [102] }));
		expect(r.acked).toBe(2);
		expect(r.stored).toBe(3);
		expect(r.ackedMissing).toBe(0);
		expect(r.storedMoreThanOnce).toBe(1);
		expect(r.duplicates).toEqual([{ msgId: 'run1-1', seqs: [101, 150], ackSeq: 101 }]);
		expect(r.ackedStoredOnce).toBe(1);
	});

	it('never acked: stored anyway, or not stored, and a never-acked msgID stored twice is a duplicate too', () => {
		const l = ledger([
			entry(1),
			entry(2, { seq: null, timedOut: true, attempts: 3, failures: ['timeout', 'timeout', 'noResponders'] }),
			entry(3, { seq: null, attempts: 2, failures: ['noResponders', 'noResponders'] }),
			entry(4, { seq: null, timedOut: true, attempts: 2, failures: ['timeout', 'timeout'] }),
		]);
		const r = compareLedger(l, stream({ 1: [101], 2: [102], 4: [103, 104] }));
		expect(r.acked).toBe(1);
		expect(r.ackedMissing).toBe(0);
		expect(r.storedUnacked).toBe(2);
		expect(r.unackedNotStored).toBe(1);
		expect(r.timedOutButStored).toBe(2);
		expect(r.duplicates).toEqual([{ msgId: 'run1-4', seqs: [103, 104], ackSeq: null }]);
	});

	it('a timed-out publish whose retry was acked as duplicate had been stored', () => {
		const l = ledger([entry(1), entry(2, { timedOut: true, duplicate: true, attempts: 2 }), entry(3)]);
		const r = compareLedger(l, stream({ 1: [101], 2: [102], 3: [103] }));
		expect(r.timedOutButStored).toBe(1);
		expect(r.storedMoreThanOnce).toBe(0);
	});

	it('names at most NAMED_PER_FINDING msgIDs per finding and counts them all', () => {
		const n = NAMED_PER_FINDING + 5;
		const entries = Array.from({ length: n }, (_, k) => entry(k + 1));
		const twice = Object.fromEntries(Array.from({ length: n }, (_, k) => [k + 1, [101 + k, 1000 + k]]));
		const dup = compareLedger(ledger(entries), stream(twice));
		expect(dup.storedMoreThanOnce).toBe(n);
		expect(dup.duplicates).toHaveLength(NAMED_PER_FINDING);
		const lost = compareLedger(ledger(entries), new Map());
		expect(lost.ackedMissing).toBe(n);
		expect(lost.missing).toHaveLength(NAMED_PER_FINDING);
		expect(lost.missing?.[0]).toEqual({ msgId: 'run1-1', seq: 101 });
	});
});
