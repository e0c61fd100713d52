import { describe, expect, it } from 'vitest';
import type { JsLedger, LedgerEntry } from '../../../src/probes/js-publisher.js';
import { compareLedger } from '../../../src/probes/verifier.js';

function entry(n: number, over: Partial<LedgerEntry> = {}): LedgerEntry {
	return { msgId: `run1-${n}`, seq: 100 + n, duplicate: false, timedOut: false, ...over };
}

function ledger(entries: LedgerEntry[]): JsLedger {
	return { runId: 'run1', startSeq: 101, entries };
}

/** What a stream scan found: msgID → sequences. */
function stream(pairs: [number, number][]): Map<string, number[]> {
	const found = new Map<string, number[]>();
	for (const [n, seq] of pairs) found.set(`run1-${n}`, [...(found.get(`run1-${n}`) ?? []), seq]);
	return found;
}

describe('compareLedger', () => {
	it('acked 3, stored 3, lost 0', () => {
		const l = ledger([entry(1), entry(2), entry(3)]);
		expect(
			compareLedger(
				l,
				stream([
					[1, 101],
					[2, 102],
					[3, 103],
				]),
			),
		).toEqual({
			acked: 3,
			stored: 3,
			ackedMissing: 0,
			timedOutButStored: 0,
		});
	});

	it('an acked sequence that is gone, or holds another msgID, is missing', () => {
		const l = ledger([entry(1), entry(2), entry(3)]);
		const r = compareLedger(
			l,
			stream([
				[1, 101],
				[3, 102],
			]),
		);
		expect(r.ackedMissing).toBe(2);
		expect(r.stored).toBe(2);
	});

	it('a timed-out publish whose retry was acked as duplicate had been stored', () => {
		const l = ledger([entry(1), entry(2, { timedOut: true, duplicate: true }), entry(3)]);
		expect(
			compareLedger(
				l,
				stream([
					[1, 101],
					[2, 102],
					[3, 103],
				]),
			).timedOutButStored,
		).toBe(1);
	});

	it('a timed-out publish that was never acked but is in the stream had been stored', () => {
		const l = ledger([entry(1), entry(2, { seq: null, timedOut: true })]);
		const r = compareLedger(
			l,
			stream([
				[1, 101],
				[2, 102],
			]),
		);
		expect(r).toEqual({ acked: 1, stored: 2, ackedMissing: 0, timedOutButStored: 1 });
	});

	it('a timed-out publish stored by its own retry (not a duplicate) does not count', () => {
		const l = ledger([entry(1, { timedOut: true }), entry(2, { seq: null, timedOut: true })]);
		expect(compareLedger(l, stream([[1, 101]])).timedOutButStored).toBe(0);
	});

	it('a msgID stored twice (outside the duplicate window) counts twice as stored', () => {
		const r = compareLedger(
			ledger([entry(1)]),
			stream([
				[1, 101],
				[1, 150],
			]),
		);
		expect(r).toEqual({ acked: 1, stored: 2, ackedMissing: 0, timedOutButStored: 0 });
	});
});
