// natslab's own connection to a watched cluster, shown all the time while it is
// not up (every node keeps its last state then, so "all up" could be a picture
// from long ago): how old the picture is while it reconnects, and once nats.js
// closed it for good, that the screen no longer follows the cluster. A fake
// source stands in for the connection (the state part); the header shows it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GetResult } from '../../../src/monitoring/http.js';
import { initialLabState } from '../../../src/observe/reducer.js';
import { Header } from '../../../src/ui/components/Header.js';
import { type Sighting, sightingOf } from '../../../src/watch/presence.js';
import type { WatchEvents, WatchSource } from '../../../src/watch/sources.js';
import { createWatchLab, type WatchLab } from '../../../src/watch/watch-lab.js';
import { sample } from '../../support/fixtures.js';
import { cleanup, FakeLab, renderWithProviders } from '../../support/render.js';

afterEach(cleanup);

const varz = sample('2.10.27', 'varz.json') as Record<string, unknown>;

class FakeSource implements WatchSource {
	readonly how = 'over NATS (nats://h:4222)';
	up = true;
	closedWhy: string | null = null;
	events: WatchEvents | null = null;
	readonly first = sightingOf(varz) as Sighting;
	async discover(): Promise<Sighting[]> {
		return this.up ? [this.first] : [];
	}
	urlOf(name: string): string {
		return `fake://${name}`;
	}
	nodeOf(url: string): string | null {
		return url.startsWith('fake://') ? this.first.name : null;
	}
	async get(url: string): Promise<GetResult> {
		if (!this.up) return { ok: false, refused: false, timedOut: true, error: 'no reply over NATS (timeout)' };
		return url.endsWith('/varz')
			? { ok: true, status: 200, body: JSON.stringify(varz) }
			: { ok: false, refused: true, timedOut: false, error: 'not in this test' };
	}
	connected(): boolean {
		return this.up && this.closedWhy === null;
	}
	link() {
		return { up: this.up && this.closedWhy === null, closed: this.closedWhy };
	}
	listen(events: WatchEvents): void {
		this.events = events;
	}
	async close(): Promise<void> {}
}

describe("watch: natslab's own connection", () => {
	let lab: WatchLab | null = null;
	afterEach(async () => {
		await lab?.shutdown();
		lab = null;
	});

	it('down: says for how long, all the time, and how old the picture is; back up: gone', async () => {
		let now = 1_000_000;
		const source = new FakeSource();
		lab = await createWatchLab(source, { now: () => now });
		expect(lab.connectionProblem.getState()).toBeNull();
		source.up = false;
		source.events?.connection("natslab's connection to h:4222 dropped: reconnecting");
		expect(lab.connectionProblem.getState()).toBe(
			'natslab not connected for 0s — what you see is from 0s ago',
		);
		now += 12_000;
		await vi.waitFor(
			() =>
				expect(lab?.connectionProblem.getState()).toBe(
					'natslab not connected for 12s — what you see is from 12s ago',
				),
			{ timeout: 10_000, interval: 100 },
		);
		source.up = true;
		source.events?.connection('natslab reconnected, to h:4222');
		expect(lab.connectionProblem.getState()).toBeNull();
	});

	it('closed for good: a note, and the screen says it no longer follows the cluster', async () => {
		let now = 2_000_000;
		const source = new FakeSource();
		lab = await createWatchLab(source, { now: () => now });
		now += 3000;
		source.closedWhy = 'Authorization Violation';
		source.events?.closed?.('Authorization Violation');
		expect(lab.connectionProblem.getState()).toMatch(
			/^natslab's connection closed \(Authorization Violation\) 0s ago: what you see is from then, no longer live/,
		);
		expect(lab.getState().timeline.map((e) => e.text)).toContain(
			"natslab's connection closed for good (Authorization Violation): the screen no longer follows the cluster",
		);
	});

	it('the header shows the problem instead of the live-looking line', () => {
		const state = initialLabState({ nodes: ['w1'], clusterName: 'prod' });
		const fake = new FakeLab(state, { initial: '2.10.27', upgradeTo: null });
		const text = 'natslab not connected for 12s — what you see is from 12s ago';
		Object.assign(fake, {
			readOnly: 'watching prod',
			connectionProblem: { getState: () => text, subscribe: () => () => {} },
		});
		const r = renderWithProviders(<Header mode="watch" width={100} />, {
			lab: fake,
			size: { cols: 100, rows: 5 },
		});
		expect(r.frame().split('\n')[0]).toContain(text);
	});
});

describe('watch: a lab that cannot come up', () => {
	it('closes the source it was given (no connection left reconnecting in-process)', async () => {
		const source = new FakeSource();
		source.discover = () => Promise.reject(new Error('no server replied'));
		const close = vi.spyOn(source, 'close');
		await expect(createWatchLab(source)).rejects.toThrow('no server replied');
		expect(close).toHaveBeenCalledOnce();
	});
});
