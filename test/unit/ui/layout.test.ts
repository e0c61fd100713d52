import { describe, expect, it } from 'vitest';
import { computeLayout } from '../../../src/ui/layout.js';

const sizes = [
	{ cols: 80, rows: 24 },
	{ cols: 100, rows: 30 },
	{ cols: 120, rows: 40 },
	{ cols: 200, rows: 60 },
	{ cols: 60, rows: 16 },
];

describe('computeLayout', () => {
	for (const { cols, rows } of sizes) {
		for (const lessonRows of [null, 2, 4, 8]) {
			for (const probes of [0, 2, 4]) {
				it(`keeps the frame shorter than the terminal at ${cols}x${rows}, lesson ${lessonRows}, ${probes} probes`, () => {
					const l = computeLayout({ cols, rows, nodes: 3, probes, lessonRows });
					expect(l.tooSmall).toBe(false);
					expect(l.total).toBeLessThan(rows);
					expect(l.header + l.nodes + l.middle + l.logs + l.lesson + l.status + l.keys).toBe(l.total);
					expect(l.middle).toBeGreaterThanOrEqual(4);
					if (lessonRows !== null) expect(l.lesson).toBeGreaterThanOrEqual(3);
					expect(l.clientsWidth + l.rightWidth).toBe(cols);
				});
			}
		}
	}

	it('gives 100x30 without a lesson two lines per probe and a logs panel', () => {
		const l = computeLayout({ cols: 100, rows: 30, nodes: 3, probes: 4, lessonRows: null });
		expect(l.clientsDetailed).toBe(true);
		expect(l.logs).toBeGreaterThanOrEqual(7);
		expect(l.total).toBe(29);
	});

	it('drops the logs panel before squeezing the lesson on 80x24', () => {
		const l = computeLayout({ cols: 80, rows: 24, nodes: 3, probes: 4, lessonRows: 4 });
		expect(l.lesson).toBe(6);
		expect(l.logs).toBe(0);
		expect(l.total).toBeLessThan(24);
	});

	it('says too small instead of overflowing', () => {
		expect(computeLayout({ cols: 100, rows: 10, nodes: 3, probes: 4, lessonRows: null }).tooSmall).toBe(true);
		expect(computeLayout({ cols: 50, rows: 30, nodes: 3, probes: 4, lessonRows: null }).tooSmall).toBe(true);
	});
});
