import { describe, expect, it } from 'vitest';
import { subjectsOverlap } from '../../../src/rehearse/subjects.js';

describe('subjectsOverlap', () => {
	const cases: [string, string, boolean][] = [
		['orders.>', 'orders.created', true],
		['orders.>', '*.>', true],
		['orders.>', '*.*', true],
		['orders.>', '*.created', true],
		['orders.>', '>', true],
		['orders.>', 'orders', false],
		['orders.>', 'payments.>', false],
		['orders.*', 'orders.a.b', false],
		['orders.*.x', 'orders.a.*', true],
		['a.b', 'a.b', true],
		['a.b', 'a.c', false],
		['a.*', 'a', false],
		['*', 'a.b', false],
		['a.b.>', 'a.*', false],
		['a.b.>', 'a.*.c', true],
	];
	it.each(cases)('%s and %s: %s', (a, b, overlap) => {
		expect(subjectsOverlap(a, b)).toBe(overlap);
		expect(subjectsOverlap(b, a)).toBe(overlap);
	});
});
