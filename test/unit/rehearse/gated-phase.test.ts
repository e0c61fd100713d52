import { describe, expect, it } from 'vitest';
import { gatedPhase, WaitTimeout } from '../../../src/rehearse/wait.js';

describe('the baseline phase (gatedPhase)', () => {
	it('says nothing and waits for nothing after a failed set-up', async () => {
		const lines: string[] = [];
		let waited = false;
		const failure = await gatedPhase(
			'setup: could not create stream X',
			async () => {
				waited = true;
			},
			() => lines.push('baseline: every node healthy'),
		);
		expect(failure).toBe('setup: could not create stream X');
		expect(waited).toBe(false);
		expect(lines).toEqual([]);
	});

	it('announces the baseline only once the wait resolved', async () => {
		const lines: string[] = [];
		expect(
			await gatedPhase(
				null,
				async () => {},
				() => lines.push('baseline'),
			),
		).toBeNull();
		expect(lines).toEqual(['baseline']);
	});

	it('turns a timeout into the failure, without the line', async () => {
		const lines: string[] = [];
		const failure = await gatedPhase(
			null,
			async () => {
				throw new WaitTimeout('baseline not reached: n2: no route to n1');
			},
			() => lines.push('baseline'),
		);
		expect(failure).toBe('baseline not reached: n2: no route to n1');
		expect(lines).toEqual([]);
	});

	it('lets any other error through', async () => {
		await expect(
			gatedPhase(
				null,
				async () => {
					throw new Error('boom');
				},
				() => {},
			),
		).rejects.toThrow('boom');
	});
});
