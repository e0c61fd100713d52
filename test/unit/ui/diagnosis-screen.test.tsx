// The dashboard names a one-way route once it has held: in the nodes panel's
// border and on the status line, recovery first, inside an 80x24 terminal.
// The state is the recorded upgrade's final state with n2's real /routez
// answer missing n1 (test/unit/observe/diagnosis-states.ts).

import { afterEach, describe, expect, it } from 'vitest';
import { ONE_WAY_ROUTE_HOLD_MS } from '../../../src/observe/diagnoses.js';
import { Dashboard } from '../../../src/ui/components/Dashboard.js';
import { cleanup, FakeLab, renderWithProviders, waitForFrame } from '../../support/render.js';
import { oneWayState, upgraded } from '../observe/diagnosis-states.js';

afterEach(() => cleanup());

function renderAt(state: ReturnType<typeof oneWayState>) {
	let now = state.now;
	const r = renderWithProviders(<Dashboard mode="sandbox" onQuit={() => {}} />, {
		lab: new FakeLab(state),
		size: { cols: 80, rows: 24 },
		color: false,
		clock: () => now,
	});
	return { ...r, later: (ms: number) => (now += ms) };
}

describe('a named diagnosis on the dashboard', () => {
	it('shows one-way-route with the restart to do once it has held, within 80x24', async () => {
		const r = renderAt(oneWayState());
		expect(r.frame()).not.toContain('one-way-route');
		r.later(ONE_WAY_ROUTE_HOLD_MS + 2000);
		// The screen's clock store reads the clock once a second.
		const f = await waitForFrame(r.frame, (x) => x.includes('⚠ one-way-route'), 'the diagnosis', 5000);
		const lines = f.split('\n');
		expect(lines.length).toBeLessThan(24);
		for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
		expect(lines.find((l) => l.startsWith('╭─ ▸ nodes'))).toContain('⚠ one-way-route n2');
		expect(f).toContain('⚠ one-way-route · restart n2: kill + start fixed it at once (keys 2 r)');
	});

	it('names nothing on a healthy cluster however long it runs', async () => {
		const r = renderAt(upgraded.final);
		r.later(60_000);
		await waitForFrame(r.frame, (x) => x.includes('n1: up for'), 'the node facts', 5000);
		expect(r.frame()).not.toContain('⚠');
	});
});
