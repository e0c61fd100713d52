import { describe, expect, it } from 'vitest';
import { logWindow, visibleLogs } from '../../../src/ui/components/LogsPanel.js';
import { mergedRun } from '../../support/fixtures.js';
import { fold } from './replay.js';

const RUN = 'core-2.10.27';

describe('logs panel lines', () => {
	// The log tail delivers each node's file in batches: n1's lines, then n2's, then n3's.
	const startUp = mergedRun(RUN).filter(
		(e) => e.kind === 'log' && e.at <= Date.parse('2026-11-26T00:47:31.000Z'),
	);
	const grouped = ['n1', 'n2', 'n3'].flatMap((n) => startUp.filter((e) => e.kind === 'log' && e.node === n));
	const state = fold(grouped);

	it('interleaves all nodes by their own timestamps', () => {
		const lines = visibleLogs(state.logs, null);
		expect(lines.length).toBe(state.logs.length);
		expect(new Set(lines.slice(0, 30).map((l) => l.node)).size).toBeGreaterThan(1);
		for (let i = 1; i < lines.length; i++) {
			expect((lines[i]?.at ?? 0) >= (lines[i - 1]?.at ?? 0)).toBe(true);
		}
	});

	it('shows one node in its own order', () => {
		const lines = visibleLogs(state.logs, 'n2');
		expect(lines.length).toBeGreaterThan(0);
		expect(lines.every((l) => l.node === 'n2')).toBe(true);
	});

	it('windows from the newest line back', () => {
		const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9];
		expect(logWindow(xs, 3, 0)).toEqual([7, 8, 9]);
		expect(logWindow(xs, 3, 2)).toEqual([5, 6, 7]);
		expect(logWindow(xs, 3, 100)).toEqual([]);
		expect(logWindow(xs, 20, 0)).toEqual(xs);
	});
});
