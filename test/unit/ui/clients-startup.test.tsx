// The clients panel while the probes come up behind the dashboard: what it waits for
// (the lab stream, then the connections), then the probes; a failed start in one line.
// The probe start is src/lab/probe-startup.ts itself, held and released by the test.
import { afterEach, describe, expect, it } from 'vitest';
import { startProbesBehind } from '../../../src/lab/probe-startup.js';
import { ClientsPanel } from '../../../src/ui/components/ClientsPanel.js';
import { held } from '../../support/held.js';
import { cleanup, FakeLab, renderWithProviders, waitForFrame } from '../../support/render.js';
import { stateAt } from './replay.js';

afterEach(() => cleanup());

// Real core-2.10.27 run: all three up, n3 leads the meta group; no probe has reported yet.
const ALL_UP = '2026-11-26T00:47:33.000Z';

function noProbes() {
	const s = stateAt('core-2.10.27', ALL_UP);
	return { ...s, clients: { probes: {}, order: [] } };
}

function renderPanel(lab: FakeLab) {
	return renderWithProviders(<ClientsPanel width={44} height={10} detailed />, { lab });
}

describe('ClientsPanel while the probes start behind the dashboard', () => {
	it('says the lab stream is being created, then that the probes start, then shows nothing extra', async () => {
		const stream = held();
		const probes = held();
		const lab = new FakeLab(noProbes());
		lab.probeStartup = startProbesBehind({ stream: stream.run, probes: probes.run });
		const r = renderPanel(lab);
		const first = await waitForFrame(
			r.frame,
			(f) => f.includes('lab stream ORDERS: creating'),
			'stream line',
		);
		expect(first).toContain('clients start once it exists');
		expect(first).not.toContain('no client probes running');
		stream.release();
		await waitForFrame(r.frame, (f) => f.includes('clients: starting probes'), 'starting line');
		probes.release();
		const done = await waitForFrame(r.frame, (f) => f.includes('no client probes running'), 'running');
		expect(done).not.toContain('starting');
		expect(done).not.toContain('lab stream');
	});

	it('a failed start is one red line naming why', async () => {
		const stream = held();
		const lab = new FakeLab(noProbes());
		lab.probeStartup = startProbesBehind({ stream: stream.run, probes: async () => {} });
		const r = renderPanel(lab);
		await waitForFrame(r.frame, (f) => f.includes('lab stream ORDERS: creating'), 'stream line');
		stream.fail(new Error('could not create stream ORDERS: no suitable peers'));
		const f = await waitForFrame(r.frame, (x) => x.includes('clients did not start'), 'failure line');
		expect(f).toContain('✗ clients did not start: could not create');
	});

	it('a Lab without a probe start (a test double) shows the panel as before', async () => {
		const r = renderPanel(new FakeLab(noProbes()));
		await waitForFrame(r.frame, (f) => f.includes('no client probes running'), 'empty panel');
	});
});
