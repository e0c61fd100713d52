// InOrder: the lines of lessons run side by side come out in course order.

import { describe, expect, it } from 'vitest';
import { InOrder } from '../../../src/lessons/in-order.js';

describe('InOrder', () => {
	it('prints the first lesson as it goes and holds a later one until every lesson before it ended', async () => {
		const out: string[] = [];
		const order = new InOrder(3, (l) => out.push(l));
		order.line(0, 'a1');
		order.line(2, 'c1');
		order.line(1, 'b1');
		expect(out).toEqual(['a1']);
		// Lesson 3 ends first: nothing of it yet, its end waits for lessons 1 and 2.
		const ends: string[] = [];
		const c = order.end(2, () => {
			ends.push('c');
			order.line(2, 'c-end');
		});
		order.line(1, 'b2');
		await order.end(0, () => {
			ends.push('a');
			order.line(0, 'a-end');
		});
		// Lesson 1 over: lesson 2's held lines come out, and from now on it prints as it goes.
		expect(out).toEqual(['a1', 'a-end', 'b1', 'b2']);
		order.line(1, 'b3');
		expect(out.at(-1)).toBe('b3');
		await order.end(1, async () => {
			await new Promise((r) => setTimeout(r, 5));
			ends.push('b');
			order.line(1, 'b-end');
		});
		await c;
		expect(ends).toEqual(['a', 'b', 'c']);
		expect(out).toEqual(['a1', 'a-end', 'b1', 'b2', 'b3', 'b-end', 'c1', 'c-end']);
	});

	it('a failing end rejects its own promise; the lessons after it still come out', async () => {
		const out: string[] = [];
		const order = new InOrder(2, (l) => out.push(l));
		order.line(1, 'b1');
		const b = order.end(1, () => order.line(1, 'b-end'));
		await expect(
			order.end(0, () => {
				throw new Error('disk full');
			}),
		).rejects.toThrow('disk full');
		await b;
		expect(out).toEqual(['b1', 'b-end']);
	});
});
