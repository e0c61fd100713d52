// The hub against addresses where nothing listens (real nats.js, real sockets):
// a probe that cannot connect says why, keeps trying, and stops at once.
// Behaviour against live servers is in test/integration/probes.test.ts.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isUserError } from '../../../src/base/errors.js';
import { waitUntil } from '../../../src/base/wait.js';
import type { ClientEvent } from '../../../src/observe/events.js';
import { COUNTERS_EVERY_MS, rotateServers } from '../../../src/probes/hub.js';
import { createProbeHub, type ProbeHub } from '../../../src/probes/index.js';
import type { ProbeOptions, ProbeSpec } from '../../../src/probes/spec.js';

/** A port that was free a moment ago: connecting to it is refused. */
async function closedPort(): Promise<number> {
	const srv = createServer();
	await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
	const port = (srv.address() as { port: number }).port;
	await new Promise<void>((r) => srv.close(() => r()));
	return port;
}

const waitFor = (pred: () => boolean, what: string, timeoutMs = 10_000) =>
	waitUntil(pred, { timeoutMs, everyMs: 20, describe: () => `timed out waiting for ${what}` });

describe('rotateServers', () => {
	it('starts each probe on its own node and keeps the others as fallbacks', () => {
		expect(rotateServers(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c']);
		expect(rotateServers(['a', 'b', 'c'], 1)).toEqual(['b', 'c', 'a']);
		expect(rotateServers(['a', 'b', 'c'], 2)).toEqual(['c', 'a', 'b']);
		expect(rotateServers(['a'], 2)).toEqual(['a']);
		expect(rotateServers([], 1)).toEqual([]);
	});
});

describe('probe hub without a reachable server', () => {
	let hub: ProbeHub | null = null;
	afterEach(async () => {
		await hub?.stop();
		hub = null;
	});

	it('reports why it cannot connect, keeps trying, and stops fast', async () => {
		const port = await closedPort();
		const events: ClientEvent[] = [];
		hub = createProbeHub({ servers: [`nats://127.0.0.1:${port}`], emit: (e) => events.push(e) });
		const opts = { reconnectTimeWait: 100 };
		await hub.start([
			{ kind: 'core', options: opts },
			{ kind: 'jetstream', options: opts },
		]);
		expect(hub.running().sort()).toEqual(['core-pub', 'core-sub', 'js-consumer', 'js-pub']);
		const errors = (probe: string) =>
			events.filter((e) => e.probe === probe && e.type === 'status' && e.status === 'error');
		for (const probe of ['core-pub', 'core-sub', 'js-pub', 'js-consumer']) {
			await waitFor(() => errors(probe).length > 0, `${probe} error`);
			const first = errors(probe)[0];
			expect(first?.type === 'status' && first.detail).toMatch(
				/^connect failed \(attempt 1\): connection refused/,
			);
		}
		await hub.stop();
		expect(hub.running()).toEqual([]);
		const closes = events.filter((e) => e.type === 'status' && e.status === 'close');
		expect(closes.map((e) => e.probe).sort()).toEqual(['core-pub', 'core-sub', 'js-consumer', 'js-pub']);
		// Final counters on stop, all zero: nothing was sent or received.
		const last = events.filter((e) => e.type === 'counters' && e.probe === 'core-pub').pop();
		expect(last?.type === 'counters' && last.counters.sent).toBe(0);
		// The JetStream publisher never published: nothing to look up, no network needed.
		expect(await hub.verify()).toEqual({
			acked: 0,
			stored: 0,
			ackedMissing: 0,
			timedOutButStored: 0,
			ackedStoredOnce: 0,
			storedMoreThanOnce: 0,
			storedAtOtherSeq: 0,
			storedUnacked: 0,
			unackedNotStored: 0,
			givenUp: 0,
			givenUpStored: 0,
			missing: [],
			duplicates: [],
		});
	}, 20_000);

	it('gives up after maxReconnectAttempts connect rounds, as configured', async () => {
		const port = await closedPort();
		const events: ClientEvent[] = [];
		hub = createProbeHub({ servers: [`nats://127.0.0.1:${port}`], emit: (e) => events.push(e) });
		await hub.start([{ kind: 'core', options: { maxReconnectAttempts: 2, reconnectTimeWait: 50 } }]);
		await waitFor(() => hub?.running().length === 0, 'both core probes to give up');
		const close = events.find((e) => e.probe === 'core-sub' && e.type === 'status' && e.status === 'close');
		expect(close?.type === 'status' && close.detail).toBe('gave up after 2 connect attempt(s)');
	}, 20_000);

	it('verify() is null when no JetStream probe ever ran', async () => {
		hub = createProbeHub({ servers: ['nats://127.0.0.1:1'], emit: () => {} });
		expect(await hub.verify()).toBeNull();
	});
});

describe('probe specs from lessons', () => {
	it('bad input is one clear UserError and starts nothing', async () => {
		const hub = createProbeHub({ servers: ['nats://127.0.0.1:1'], emit: () => {} });
		const bad: [ProbeSpec, RegExp][] = [
			[
				{ kind: 'core', rate: 0 },
				/^core probe rate must be a number of messages per second between 0 and 1000 \(got 0\)$/,
			],
			[{ kind: 'jetstream', rate: Number.NaN }, /jetstream probe rate/],
			[
				{ kind: 'core', options: { maxReconnectAttempts: -2 } },
				/^core probe option maxReconnectAttempts must be a whole number ≥ -1 \(got -2\)$/,
			],
			[
				{ kind: 'core', options: { waitOnFirstConnect: 'yes' as unknown as boolean } },
				/waitOnFirstConnect must be true or false/,
			],
			[
				{ kind: 'core', options: { reconectTimeWait: 5 } as ProbeOptions },
				/^unknown core probe option reconectTimeWait$/,
			],
			[{ kind: 'udp' as ProbeSpec['kind'] }, /^unknown probe kind "udp"/],
		];
		for (const [spec, message] of bad) {
			const err = await hub.start([spec]).catch((e: unknown) => e);
			expect(isUserError(err), String(err)).toBe(true);
			expect((err as Error).message).toMatch(message);
		}
		expect(hub.running()).toEqual([]);
	});

	it('a hub needs server URLs', () => {
		expect(() => createProbeHub({ servers: [], emit: () => {} })).toThrow(
			'createProbeHub: no server URLs given',
		);
	});
});

// Counters are batched: however many messages a probe handles, it reports them once per hub
// tick, so the reducer and the screen do not work per message. Only the hub's interval is faked.
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
		const counters = (probe: string) =>
			events.filter((e) => e.probe === probe && e.type === 'counters').length;
		const before = { 'core-pub': counters('core-pub'), 'core-sub': counters('core-sub') };
		vi.advanceTimersByTime(10_000);
		for (const [probe, was] of Object.entries(before)) {
			const n = counters(probe) - was;
			expect(n).toBeGreaterThanOrEqual(10);
			expect(n).toBeLessThanOrEqual(20);
		}
	});
});
