// A partial lab start (lab.ts) and cluster.startAll wait for every node's start before
// they rethrow a failure and shut down: no server may still be starting during cleanup.

import { describe, expect, it } from 'vitest';
import { settleAll } from '../../../src/base/settle.js';

describe('settleAll', () => {
	it('rejects with the first failure only after every other promise settled', async () => {
		let releaseSlow: () => void = () => {};
		let slowSettled = false;
		const slow = new Promise<void>((resolve) => {
			releaseSlow = resolve;
		}).then(() => {
			slowSettled = true;
		});
		const first = new Error('n1 did not start');
		const settled = settleAll([Promise.reject(first), slow, Promise.reject(new Error('n3 too'))]);
		let outcome: unknown = 'pending';
		settled.catch((err: unknown) => {
			outcome = err;
		});
		// Plenty of turns for an early rejection (Promise.all would have rejected by now).
		for (let i = 0; i < 20; i++) await Promise.resolve();
		await new Promise((r) => setImmediate(r));
		expect(outcome).toBe('pending');
		releaseSlow();
		await expect(settled).rejects.toBe(first);
		expect(slowSettled).toBe(true);
	});

	it('resolves when every promise resolves', async () => {
		await expect(settleAll([Promise.resolve(1), Promise.resolve(2)])).resolves.toBeUndefined();
	});
});
