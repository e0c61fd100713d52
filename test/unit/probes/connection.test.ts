import { describe, expect, it } from 'vitest';
import { ProbeConnection } from '../../../src/probes/connection.js';
import { ProbeOut } from '../../../src/probes/out.js';

function setup(options = {}) {
	const out = new ProbeOut('js-pub', () => {}, Date.now);
	return new ProbeConnection(
		out,
		['nats://127.0.0.1:4222', 'nats://127.0.0.1:4223'],
		options,
	).connectOptions();
}

describe('probe connection options', () => {
	it('names the client after its probe, keeps the server order and never gives up by default', () => {
		const o = setup();
		expect(o.name).toBe('natslab-js-pub');
		expect(o.servers).toEqual(['nats://127.0.0.1:4222', 'nats://127.0.0.1:4223']);
		expect(o.noRandomize).toBe(true);
		expect(o.maxReconnectAttempts).toBe(-1);
	});

	it('asks nats.js for no async stack traces (the probes report names and messages, and the stacks cost CPU)', () => {
		expect(setup().noAsyncTraces).toBe(true);
	});

	it("passes a lesson's client settings through and leaves the others to nats.js", () => {
		const o = setup({ pingInterval: 500, maxPingOut: 3, timeout: 1000 });
		expect(o).toMatchObject({ pingInterval: 500, maxPingOut: 3, timeout: 1000 });
		expect('ignoreClusterUpdates' in setup()).toBe(false);
		expect('waitOnFirstConnect' in setup()).toBe(false);
	});
});
