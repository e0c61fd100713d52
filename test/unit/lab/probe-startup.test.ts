// The probes a Lab is created with start behind the dashboard (src/lab/probe-startup.ts):
// the phases the clients panel shows, and the outcome the lessons and the rehearsal wait on.
import { describe, expect, it } from 'vitest';
import { startProbesBehind } from '../../../src/lab/probe-startup.js';
import type { ProbeStartup } from '../../../src/lab/types.js';
import { held } from '../../support/held.js';

const settled = () => new Promise((r) => setImmediate(r));

describe('startProbesBehind', () => {
	it('goes stream → starting → running, telling subscribers, and resolves ready() only then', async () => {
		const stream = held();
		const probes = held();
		const run = startProbesBehind({ stream: stream.run, probes: probes.run });
		const seen: ProbeStartup['phase'][] = [];
		run.subscribe((s) => seen.push(s.phase));
		let ready = false;
		void run.ready().then(() => {
			ready = true;
		});
		expect(run.getState()).toEqual({ phase: 'stream' });
		stream.release();
		await settled();
		expect(run.getState()).toEqual({ phase: 'starting' });
		expect(ready).toBe(false);
		probes.release();
		await settled();
		expect(run.getState()).toEqual({ phase: 'running' });
		expect(ready).toBe(true);
		expect(seen).toEqual(['starting', 'running']);
	});

	it('without a stream step starts the probes at once', () => {
		const probes = held();
		expect(startProbesBehind({ stream: null, probes: probes.run }).getState()).toEqual({ phase: 'starting' });
	});

	it('a failed start: phase failed with the first line, onFailed told once, ready() rejects with the error', async () => {
		const stream = held();
		const failures: string[] = [];
		const run = startProbesBehind({
			stream: stream.run,
			probes: async () => {},
			onFailed: (err) => failures.push(err.message),
		});
		stream.fail(new Error('could not create stream ORDERS: no suitable peers\nmore detail'));
		await expect(run.ready()).rejects.toThrow('no suitable peers');
		expect(run.getState()).toEqual({
			phase: 'failed',
			error: 'could not create stream ORDERS: no suitable peers',
		});
		expect(failures).toHaveLength(1);
	});

	it('nothing asked for: phase none and ready() resolves', async () => {
		const run = startProbesBehind(null);
		expect(run.getState()).toEqual({ phase: 'none' });
		await expect(run.ready()).resolves.toBeUndefined();
	});
});
