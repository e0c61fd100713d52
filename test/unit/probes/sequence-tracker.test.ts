import { describe, expect, it } from 'vitest';
import { SequenceTracker } from '../../../src/probes/sequence-tracker.js';

function feed(seqs: number[]): SequenceTracker {
	const t = new SequenceTracker();
	for (const s of seqs) t.observe(s);
	return t;
}

describe('SequenceTracker', () => {
	it('counts an unbroken run with nothing lost', () => {
		const t = feed([1, 2, 3, 4, 5]);
		expect([t.received, t.lost, t.duplicated, t.outOfOrder]).toEqual([5, 0, 0, 0]);
		expect(t.highestSeen).toBe(5);
	});

	it('takes the first number seen as the baseline (earlier messages predate the interest)', () => {
		const t = feed([7, 8, 9]);
		expect([t.received, t.lost]).toEqual([3, 0]);
	});

	it('counts gaps as lost, one message written into a dying socket or a whole outage', () => {
		expect(feed([1, 2, 4, 5]).lost).toBe(1);
		// §9 part C: seq 95..748 never arrived after a SIGSTOP.
		const outage = feed([93, 94, 749, 750]);
		expect(outage.lost).toBe(654);
		expect(outage.received).toBe(4);
	});

	it('counts a repeat as duplicated, not as received', () => {
		const t = feed([1, 2, 2, 3, 1]);
		expect([t.received, t.duplicated, t.lost]).toEqual([3, 2, 0]);
	});

	it('lets a late message fill its gap again (reordering across a failover, §14.5)', () => {
		const t = feed([1, 2, 5, 6, 3]);
		expect(t.lost).toBe(1);
		expect(t.outOfOrder).toBe(1);
		t.observe(4);
		expect([t.received, t.lost, t.outOfOrder, t.duplicated]).toEqual([6, 0, 2, 0]);
		// Once filled, the same number again is a duplicate.
		expect(t.observe(4)).toBe('duplicate');
	});

	it('splits a gap when a message from its middle arrives', () => {
		const t = feed([1, 10]);
		expect(t.lost).toBe(8);
		expect(t.observe(5)).toBe('late');
		expect(t.lost).toBe(7);
		expect(t.observe(2)).toBe('late');
		expect(t.observe(9)).toBe('late');
		expect(t.observe(5)).toBe('duplicate');
		expect(t.lost).toBe(5); // 3, 4, 6, 7, 8
		for (const s of [3, 4, 6, 7, 8]) expect(t.observe(s)).toBe('late');
		expect(t.lost).toBe(0);
	});

	it('extends the range downwards for a message older than the baseline', () => {
		const t = feed([10, 11]);
		expect(t.observe(7)).toBe('late');
		expect(t.lost).toBe(2); // 8, 9
		expect(t.observe(9)).toBe('late');
		expect(t.observe(8)).toBe('late');
		expect([t.lost, t.received, t.outOfOrder]).toEqual([0, 5, 3]);
	});

	it('keeps huge gaps as ranges (no per-number memory)', () => {
		const t = feed([1, 50_000_001]);
		expect(t.lost).toBe(49_999_999);
		expect(t.observe(25_000_000)).toBe('late');
		expect(t.lost).toBe(49_999_998);
	});

	it('ignores numbers that are not sequence numbers', () => {
		const t = feed([1, 2]);
		expect(t.observe(Number.NaN)).toBe('invalid');
		expect(t.observe(-3)).toBe('invalid');
		expect([t.received, t.duplicated, t.lost]).toEqual([2, 0, 0]);
	});

	it('counts the gap the first message after a disconnect opens as missed while away, not lost', () => {
		const t = feed([1, 2, 3]);
		t.markDisconnected();
		t.observe(10); // 4..9 published while the receiver had no interest anywhere
		t.observe(12); // 11: lost while connected
		expect([t.lost, t.missedWhileAway, t.received]).toEqual([1, 6, 5]);
		expect(t.seen()).toEqual({ lowest: 1, highest: 12, missing: [[11, 11]], away: [[4, 9]] });
		t.observe(5); // a late one from the away gap still counts as received
		expect([t.lost, t.missedWhileAway, t.received, t.outOfOrder]).toEqual([1, 5, 6, 1]);
	});
});
