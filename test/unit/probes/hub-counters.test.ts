// Probe counters are batched: however many messages a probe handles, it reports its
// counters once per hub tick (2 Hz), so the reducer and the screen do not work per message.
// Real hub and nats.js against a refused port; only the hub's interval clock is faked.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClientEvent } from '../../../src/observe/events.js';
import { COUNTERS_EVERY_MS, createProbeHub, type ProbeHub } from '../../../src/probes/hub.js';

async function closedPort(): Promise<number> {
	const srv = createServer();
	await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
	const port = (srv.address() as { port: number }).port;
	await new Promise<void>((r) => srv.close(() => r()));
	return port;
}

describe('probe counters', () => {
	let hub: ProbeHub | null = null;
	afterEach(async () => {
		await hub?.stop();
		hub = null;
		vi.useRealTimers();
	});

	it('go out at most twice a second per probe, as one event each', async () => {
		expect(COUNTERS_EVERY_MS).toBeGreaterThanOrEqual(500);
		const port = await closedPort();
		const events: ClientEvent[] = [];
		vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
		hub = createProbeHub({ servers: [`nats://127.0.0.1:${port}`], emit: (e) => events.push(e) });
		await hub.start([{ kind: 'core', options: { reconnectTimeWait: 100 } }]);
		const counters = (probe: string) => events.filter((e) => e.probe === probe && e.type === 'counters');
		const before = { pub: counters('core-pub').length, sub: counters('core-sub').length };
		vi.advanceTimersByTime(10_000);
		for (const [probe, was] of [
			['core-pub', before.pub],
			['core-sub', before.sub],
		] as const) {
			const n = counters(probe).length - was;
			expect(n).toBeGreaterThanOrEqual(10);
			expect(n).toBeLessThanOrEqual(20);
		}
	});
});
