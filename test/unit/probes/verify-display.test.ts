// Wherever a verify result is shown — the shared text, the lesson's `verified`
// wait and `verify` measure, the clients panel line — "stored more than once"
// appears as its own finding and is never counted as lost. The result is the
// one compareLedger builds from the issue #10 shape (retries stored 5 times).
import { describe, expect, it } from 'vitest';
import { type CondContext, evaluateWait } from '../../../src/lessons/conditions.js';
import { takeMeasurement } from '../../../src/lessons/measures.js';
import { RecordSchema, WaitSchema } from '../../../src/lessons/schema.js';
import type { VerifyResult } from '../../../src/observe/events.js';
import type { LabState } from '../../../src/observe/state.js';
import { storedMoreThanOnceText, verifySummary } from '../../../src/observe/verify-text.js';
import type { LedgerEntry } from '../../../src/probes/js-publisher.js';
import { compareLedger } from '../../../src/probes/verifier.js';
import { compactCounters, probeCounters } from '../../../src/ui/components/ClientsPanel.js';
import { at, counters, fold, stateAt, status } from '../lessons/support.js';

const entry = (n: number, seq: number | null, over: Partial<LedgerEntry> = {}): LedgerEntry => ({
	msgId: `r1-${n}`,
	seq,
	duplicate: false,
	timedOut: false,
	attempts: 1,
	failures: [],
	...over,
});

/** r1-2's retries stored at 102–106 (acked 106); r1-3 acked 103 but stored at 107; r1-4 acked and gone. */
const RESULT: VerifyResult = compareLedger(
	{
		runId: 'r1',
		startSeq: 101,
		entries: [
			entry(1, 101),
			entry(2, 106, { timedOut: true, attempts: 5, failures: ['timeout', 'timeout', 'timeout', 'timeout'] }),
			entry(3, 103),
			entry(4, 104),
		],
	},
	new Map([
		['r1-1', [101]],
		['r1-2', [102, 103, 104, 105, 106]],
		['r1-3', [107]],
	]),
);

const t = at('00:47:32.000');
const connected = fold(stateAt('core-2.10.27', '00:47:32.000'), [
	status('js-pub', t, 'connected', '127.0.0.1:4224'),
	counters('js-pub', t, { acked: 3 }),
]);
const verified: LabState = fold(connected, [
	{ kind: 'client', probe: 'js-pub', probeKind: 'js-pub', at: t + 10, type: 'verified', result: RESULT },
]);
const ctx: CondContext = {
	atStart: connected,
	atAction: connected,
	atLesson: connected,
	startedAt: t,
	actionAt: t,
	now: t + 10,
};

describe('verify results on show', () => {
	it('the shared text: counts, the lost msgID, the msgID stored five times', () => {
		expect(RESULT).toMatchObject({ acked: 4, ackedMissing: 1, storedMoreThanOnce: 1 });
		expect(verifySummary(RESULT)).toBe(
			'acked 4, stored 7, acked but missing 1; lost: r1-4 (acked 104); ' +
				'1 msgID stored more than once: r1-2 at 102, 103, 104, 105, 106 (acked 106)',
		);
		expect(storedMoreThanOnceText({ ...RESULT, storedMoreThanOnce: 0, duplicates: [] })).toBeNull();
		const many = Array.from({ length: 38 }, (_, k) => 4253 + k);
		expect(
			storedMoreThanOnceText({ ...RESULT, duplicates: [{ msgId: 'r1-9', seqs: many, ackSeq: null }] }),
		).toBe('1 msgID stored more than once: r1-9 at 4253, 4254, …, 4290 (38 copies) (never acked)');
	});

	it('the lesson’s verified wait and verify measure name the duplicate beside the loss', () => {
		const r = evaluateWait(verified, WaitSchema.parse({ for: 'verified', maxLost: 1 }), ctx);
		expect(r.met).toBe(true);
		expect(r.text).toContain('1 msgID stored more than once: r1-2 at 102, 103, 104, 105, 106 (acked 106)');
		const m = takeMeasurement(verified, RecordSchema.parse({ name: 'verdict', measure: 'verify' }), {
			...ctx,
			metAt: t + 10,
			waitAt: [],
		});
		expect(m.value).toBe(1);
		expect(m.text).toBe(
			'4 acked, 7 stored, 1 acked but missing, 0 timed out yet stored; lost: r1-4 (acked 104); ' +
				'1 msgID stored more than once: r1-2 at 102, 103, 104, 105, 106 (acked 106)',
		);
	});

	it('the clients panel line: lost is the verifier’s, dup the msgIDs stored more than once', () => {
		const p = verified.clients.probes['js-pub'];
		if (!p) throw new Error('no js-pub');
		expect(probeCounters(p)).toBe('acked 3 failed 0 lost 1 dup 1');
		expect(compactCounters(p)).toMatch(/^fail 0 lost 1 dup 1/);
		const before = connected.clients.probes['js-pub'];
		if (!before) throw new Error('no js-pub');
		expect(probeCounters(before)).toBe('acked 3 failed 0 lost 0');
	});
});
