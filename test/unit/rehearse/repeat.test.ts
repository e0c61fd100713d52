// --repeat's summary and the degraded periods a pass still names, over the
// recorded 2.9.10 → 2.10.27 upgrade (scenarios.ts) and variants of its report.
import { describe, expect, it } from 'vitest';
import { degradedPeriods, userStreamReasons } from '../../../src/rehearse/degraded.js';
import { buildRepeat, renderRepeatText } from '../../../src/rehearse/repeat.js';
import { buildReport } from '../../../src/rehearse/report.js';
import type { RehearsalReport, UserStreamReport } from '../../../src/rehearse/types.js';
import { upgradeReportInput } from './scenarios.js';

function report(): RehearsalReport {
	return buildReport(upgradeReportInput({ strategy: 'kill' }));
}

function withMetaGap(r: RehearsalReport, ms: number[], failed: number): RehearsalReport {
	return {
		...r,
		nodes: r.nodes.map((n, i) => ({ ...n, metaLeaderlessMs: ms[i] ?? 0 })),
		jetstream: {
			...r.jetstream,
			publishFailed: { timeout: failed, noResponders: 0, unavailable: 0, other: 0 },
		},
	};
}

const ONE_WAY = {
	kind: 'one-way-route' as const,
	node: 'n2',
	summary: 'n2 lists a route to n3 that n3 does not list',
	evidence: ['n2 /routez: n3', 'n3 /routez: n1'],
	hint: 'restart n3',
};

describe('degraded periods', () => {
	it('names time without a meta leader and failed publishes even when the run passes', () => {
		const r = withMetaGap(report(), [0, 4500, 0], 93);
		expect(r.verdict).toBe('pass');
		const lines = degradedPeriods(r);
		expect(lines[0]).toBe('4.5 s without a meta leader');
		expect(lines).toContain('93 failed publishes (each retried with its msgID)');
		expect(degradedPeriods(withMetaGap(report(), [1000, 4500, 0], 0))[0]).toBe(
			'5.5 s without a meta leader (longest 4.5 s)',
		);
	});

	it("fails the verdict on a user stream's missing or unverified messages", () => {
		const s = (over: Partial<UserStreamReport>): UserStreamReport => ({
			name: 'PAYMENTS',
			replicas: 3,
			storage: 'file',
			consumers: [],
			rate: 20,
			sizeBytes: 128,
			published: 100,
			acked: 100,
			failed: { timeout: 0, noResponders: 0, unavailable: 0, other: 0 },
			retried: 0,
			disconnects: 0,
			reconnectGapMaxMs: null,
			removedByStream: 0,
			verify: { acked: 100, stored: 100, ackedMissing: 0, timedOutButStored: 0 },
			error: null,
			...over,
		});
		expect(userStreamReasons([s({})])).toEqual([]);
		expect(
			userStreamReasons([s({ verify: { acked: 100, stored: 98, ackedMissing: 2, timedOutButStored: 0 } })]),
		).toEqual(['2 acked messages are missing from stream PAYMENTS']);
		expect(userStreamReasons([s({ verify: null, error: 'verify: no server answered' })])).toEqual([
			'stream PAYMENTS not verified: verify: no server answered',
		]);
	});
});

describe('--repeat', () => {
	it('gives the pass rate, min/median/max of each figure and each failure with its diagnosis', () => {
		const pass = withMetaGap(report(), [0, 0, 0], 0);
		const slow = withMetaGap(report(), [0, 9000, 0], 12);
		const failed: RehearsalReport = {
			...withMetaGap(report(), [0, 2000, 0], 4),
			verdict: 'fail',
			reasons: ['n3: back in the mesh: timed out after 90 s'],
			diagnoses: [ONE_WAY],
		};
		const r = buildRepeat([pass, slow, failed]);
		expect(r).toMatchObject({ schema: 'natslab.rehearsal-repeat/1', verdict: 'fail', runs: 3, passed: 2 });
		expect(r.figures.find((f) => f.figure === 'time without a meta leader')).toMatchObject({
			min: 0,
			median: 2000,
			max: 9000,
		});
		expect(r.figures.find((f) => f.figure === 'failed publishes')).toMatchObject({
			min: 0,
			median: 4,
			max: 12,
		});
		expect(r.failures).toEqual([
			{ run: 3, reasons: ['n3: back in the mesh: timed out after 90 s'], diagnoses: [ONE_WAY] },
		]);
		const text = renderRepeatText(r);
		expect(text).toContain('Passed 2 of 3 (67 %)');
		expect(text).toMatch(/time without a meta leader\s+0 ms\s+2\.0 s\s+9\.0 s/);
		expect(text).toContain('run 3: n3: back in the mesh: timed out after 90 s');
		expect(text).toContain(
			'diagnosis one-way-route on n2: n2 lists a route to n3 that n3 does not list → restart n3',
		);
		expect(text).toContain('Verdict: FAIL — 1 of 3 runs failed');
	});
});
