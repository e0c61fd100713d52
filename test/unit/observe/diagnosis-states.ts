// States for the diagnosis tests: the final state of the recorded 2.9.10 →
// 2.10.27 rolling upgrade, and poll answers built from the real 2.10.27
// /routez and /jsz samples with one route or one replica's progress changed.

import { normalizeRoutez, streamFromJsz } from '../../../src/monitoring/normalize.js';
import type { StreamSnapshot } from '../../../src/monitoring/types.js';
import type { PollData, PollEvent } from '../../../src/observe/events.js';
import { reduce } from '../../../src/observe/reducer.js';
import type { LabState } from '../../../src/observe/state.js';
import { sample } from '../../support/fixtures.js';
import { replayUpgrade } from '../rehearse/scenarios.js';

export const upgraded = replayUpgrade(1500);

/** n2's real 2.10.27 /routez answer, with the routes to `drop` taken out. */
export function routezWithout(drop: string[]) {
	const raw = sample('2.10.27', 'routez.json') as { routes: { remote_name?: string }[] };
	const routes = raw.routes.filter((r) => !drop.includes(r.remote_name ?? ''));
	return normalizeRoutez({ ...raw, num_routes: routes.length, routes });
}

/** The real 2.10.27 stream leader /jsz (leader n2, replicas n1 n3) with n1 behind by `lag`. */
export function streamWithN1Behind(lag: number): StreamSnapshot {
	const snap = streamFromJsz(sample('2.10.27', 'jsz-leader.json'), 'ORDERS', 'n2');
	if (!snap) throw new Error('sample holds no ORDERS');
	return {
		...snap,
		replicas: snap.replicas.map((r) => (r.name === 'n1' ? { ...r, current: lag === 0, lag } : r)),
	};
}

export const poll = (node: string, at: number, data: PollData): PollEvent => ({
	kind: 'poll',
	node,
	at,
	ok: true,
	...data,
});

/** The upgraded cluster where n2's /routez no longer lists n1 while n1 still lists n2. */
export function oneWayState(): LabState {
	const s = upgraded.final;
	return reduce(s, poll('n2', s.now + 1000, { endpoint: 'routez', data: routezWithout(['n1']) }));
}
