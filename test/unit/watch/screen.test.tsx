// The dashboard on a read-only (watch) lab: the header says what is watched,
// the logs panel says why it has no lines, the status line shows no pid (a
// remote server's process is not natslab's), and no node key reaches act().
// The state is the real reducer's (reduceWatch) after the events a watch makes.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { initialLabState } from '../../../src/observe/reducer.js';
import type { LabState } from '../../../src/observe/state.js';
import { Dashboard } from '../../../src/ui/components/Dashboard.js';
import { Presence } from '../../../src/watch/presence.js';
import { reduceWatch } from '../../../src/watch/reduce.js';
import { READ_ONLY_REFUSAL } from '../../../src/watch/watch-lab.js';
import { cleanup, FakeLab, renderWithProviders, tick } from '../../support/render.js';

afterEach(() => cleanup());

function watchedState(): LabState {
	let state = initialLabState({
		nodes: ['east-1', 'east-2', 'east-3'],
		clusterName: 'prod-east',
		now: 10_000,
	});
	const presence = new Presence(
		(e) => {
			state = reduceWatch(state, e);
		},
		() => 10_000,
	);
	for (const [i, name] of ['east-1', 'east-2', 'east-3'].entries())
		presence.saw(
			{ name, serverId: `NID${i}`, version: '2.10.27', startedAt: 5000, cluster: 'prod-east' },
			true,
		);
	return state;
}

describe('the dashboard on a watched cluster', () => {
	it('says what it watches, why there are no logs, shows no pid, and sends no node key', async () => {
		const lab = new FakeLab(watchedState(), { initial: '2.10.27', upgradeTo: null });
		Object.assign(lab, { readOnly: 'watching prod-east' });
		const r = renderWithProviders(<Dashboard mode="watch" onQuit={vi.fn()} />, {
			lab,
			size: { cols: 100, rows: 30 },
		});
		const frame = r.frame();
		expect(frame.split('\n')[0]).toMatch(/^natslab watching prod-east · 2\.10\.27/);
		expect(frame).toContain("no logs: watching prod-east reads no server's log file");
		expect(frame).toMatch(/east-1: up for 5s/);
		expect(frame).not.toMatch(/pid \d/);
		r.stdin.write('1r');
		r.stdin.write('s');
		r.stdin.write('k');
		await tick(50);
		expect(lab.acts).toEqual([]);
		// The refusal in the watch's own words: there is a cluster, natslab will not act on it.
		expect(r.frame()).toContain(READ_ONLY_REFUSAL);
		expect(r.frame()).not.toContain('no cluster to act on');
	});
});
