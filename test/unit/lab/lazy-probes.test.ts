// The lab's clients load on first use (src/lab/lazy-probes.ts): a hub that never started has
// nothing to stop or verify, and the first start() reaches the real hub (its checks included).
import { describe, expect, it } from 'vitest';
import { lazyProbeHub, probesModule } from '../../../src/lab/lazy-probes.js';

describe('lazyProbeHub', () => {
	it('stops and verifies nothing before its first start', async () => {
		const hub = lazyProbeHub({ servers: ['nats://127.0.0.1:1'], emit: () => {} });
		await expect(hub.stop()).resolves.toBeUndefined();
		await expect(hub.verify()).resolves.toBeNull();
		expect(hub.running()).toEqual([]);
	});

	it('hands start() to the real hub once loaded: its spec checks answer', async () => {
		const hub = lazyProbeHub({ servers: ['nats://127.0.0.1:1'], emit: () => {} });
		await expect(hub.start([{ kind: 'core', rate: 0 }])).rejects.toThrow(/rate must be a number/);
		expect(hub.running()).toEqual([]);
		await expect(hub.verify()).resolves.toBeNull(); // the real hub: no JetStream probe ran
		await hub.stop();
	});

	it('imports the probes once', async () => {
		expect(probesModule()).toBe(probesModule());
		expect(typeof (await probesModule()).createProbeHub).toBe('function');
	});
});
