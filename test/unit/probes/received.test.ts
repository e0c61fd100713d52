import { describe, expect, it } from 'vitest';
import { ReceivedCounts } from '../../../src/probes/received.js';
import { LongestGap } from '../../../src/probes/timing.js';

describe('LongestGap', () => {
	it('is the longest time between two marks, 0 before the second', () => {
		const g = new LongestGap();
		g.mark(1000);
		expect(g.ms).toBe(0);
		g.mark(1020);
		g.mark(4020);
		g.mark(4040);
		expect(g.ms).toBe(3000);
	});
});

describe('ReceivedCounts', () => {
	it('counts received, lost and duplicated; a repeat does not end a silence', () => {
		const c = new ReceivedCounts();
		c.receive(1, 0);
		c.receive(2, 20);
		c.receive(5, 40); // 3 and 4 missing so far
		c.receive(5, 9000); // a redelivery after a long stall: no new message
		c.receive(6, 9020);
		expect(c.received).toBe(4);
		expect(c.counters()).toMatchObject({
			received: 4,
			lost: 2,
			duplicated: 1,
			maxGapMs: 8980,
			sent: 0,
			acked: 0,
		});
	});
});
