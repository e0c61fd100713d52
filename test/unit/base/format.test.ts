import { describe, expect, it } from 'vitest';
import {
	formatBytes,
	formatDuration,
	formatElapsed,
	formatMs,
	formatRate,
	formatReportMillis,
	formatReportSeconds,
	formatSeconds,
	formatWholeSeconds,
} from '../../../src/base/format.js';

describe('formatBytes / formatRate', () => {
	it('decimal units with the precision a download line needs', () => {
		expect(formatBytes(0)).toBe('0 B');
		expect(formatBytes(999)).toBe('999 B');
		expect(formatBytes(1000)).toBe('1.0 kB');
		expect(formatBytes(64_000)).toBe('64.0 kB');
		expect(formatBytes(812_400)).toBe('812.4 kB');
		expect(formatBytes(4_502_708)).toBe('4.5 MB');
		expect(formatBytes(13_000_000)).toBe('13.0 MB');
		expect(formatBytes(2_500_000_000)).toBe('2.50 GB');
		expect(formatRate(3_240_000.4)).toBe('3.2 MB/s');
		expect(formatRate(-5)).toBe('0 B/s');
	});
});

describe('durations', () => {
	it('in sentences: ms below a second, one decimal below ten, minutes beyond one', () => {
		expect(formatMs(9)).toBe('9 ms');
		expect(formatMs(5234)).toBe('5.2 s');
		expect(formatMs(42_400)).toBe('42 s');
		expect(formatMs(83_000)).toBe('1 min 23 s');
		expect(formatMs(-83_000)).toBe('-1 min 23 s');
		expect(formatMs(Number.NaN)).toBe('?');
	});

	it('compact for the screen, and whole seconds for a live counter', () => {
		expect(formatDuration(850)).toBe('850ms');
		expect(formatDuration(12_400)).toBe('12s');
		expect(formatDuration(185_000)).toBe('3m 05s');
		expect(formatDuration(7_260_000)).toBe('2h 01m');
		expect(formatDuration(-1)).toBe('0ms');
		expect(formatSeconds(4999)).toBe('4s');
		expect(formatSeconds(-10)).toBe('0s');
	});

	it('for the timeline: ms below a second, one decimal above', () => {
		expect(formatElapsed(19)).toBe('19 ms');
		expect(formatElapsed(4712)).toBe('4.7 s');
		expect(formatElapsed(23_800)).toBe('23.8 s');
		expect(formatElapsed(-3)).toBe('0 ms');
		expect(formatWholeSeconds(60_000)).toBe('60 s');
	});

	it('for the report: seconds everywhere, two decimals below one, a dash for no figure', () => {
		expect(formatReportSeconds(850)).toBe('0.85 s');
		expect(formatReportSeconds(6050)).toBe('6.1 s');
		expect(formatReportSeconds(null)).toBe('–');
		expect(formatReportMillis(850)).toBe('850 ms');
		expect(formatReportMillis(2401)).toBe('2.4 s');
		expect(formatReportMillis(undefined)).toBe('–');
	});
});
