// Which servers of a watched cluster are there, as process events through the
// real reducer (reduceWatch): a first sighting is up since the server's own
// start, a new server id is a restart, SHUTDOWN is the server's own word (and
// an answer still in flight from it is no comeback), silence is "gone" only
// after GONE_MS, and the made-up process events add no timeline entry.
import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../src/observe/events.js';
import { initialLabState } from '../../../src/observe/reducer.js';
import type { LabState } from '../../../src/observe/state.js';
import { GONE_MS, Presence, type Sighting, sightingOf } from '../../../src/watch/presence.js';
import { reduceWatch } from '../../../src/watch/reduce.js';
import { sample } from '../../support/fixtures.js';

function harness() {
	let now = 1_000_000;
	let state: LabState = initialLabState({ nodes: ['w1', 'w2'], clusterName: 'prod', now });
	const events: LabEvent[] = [];
	const presence = new Presence(
		(e) => {
			events.push(e);
			state = reduceWatch(state, e);
		},
		() => now,
	);
	return {
		presence,
		events,
		state: () => state,
		advance: (ms: number) => {
			now += ms;
		},
		/** Newest first (the timeline is kept in time order). */
		notes: () => state.timeline.map((e) => e.text).reverse(),
	};
}

const w1: Sighting = {
	name: 'w1',
	serverId: 'NAAAAAAAAA1',
	version: '2.10.27',
	startedAt: 900_000,
	cluster: 'prod',
};

describe('watch presence', () => {
	it('a server seen when watching starts is up since its own start time, with no timeline entry', () => {
		const h = harness();
		h.presence.saw(w1, true);
		const n = h.state().cluster.nodes.w1;
		expect(n?.process).toBe('up');
		expect(n?.since).toBe(900_000);
		expect(n?.version).toBe('2.10.27');
		expect(h.state().timeline).toEqual([]);
		h.presence.saw(w1);
		expect(h.events).toHaveLength(2); // spawned + ready, once
	});

	it('a new server id under the same name is a restart, said in a note (no "pid 0" entry)', () => {
		const h = harness();
		h.presence.saw(w1, true);
		h.advance(5000);
		h.presence.saw({ ...w1, serverId: 'NBBBBBBBBB2', version: '2.11.0' });
		expect(h.state().cluster.nodes.w1?.process).toBe('up');
		expect(h.state().cluster.nodes.w1?.version).toBe('2.11.0');
		expect(h.notes()).toEqual([
			'w1 is a new process (new server id): it restarted (v2.11.0, server id NBBBBBBB…)',
		]);
		expect(h.notes().join(' ')).not.toContain('pid');
	});

	it('SHUTDOWN: gone in its own words; a late answer from that process is not a comeback', () => {
		const h = harness();
		h.presence.saw(w1, true);
		h.presence.shutdown('NAAAAAAAAA1');
		expect(h.state().cluster.nodes.w1?.process).toBe('exited');
		expect(h.notes()[0]).toBe('w1 is shutting down (its $SYS.SERVER.NAAAAAAA….SHUTDOWN event)');
		h.presence.saw(w1);
		expect(h.state().cluster.nodes.w1?.process).toBe('exited');
		h.presence.saw({ ...w1, serverId: 'NCCCCCCCCC3' });
		expect(h.state().cluster.nodes.w1?.process).toBe('up');
	});

	it('silence is gone only after GONE_MS of it; lame duck is the node state, from its event', () => {
		const h = harness();
		h.presence.saw(w1, true);
		h.presence.failed('w1', 'no reply over NATS (timeout)');
		h.advance(GONE_MS - 1);
		h.presence.failed('w1', 'no reply over NATS (timeout)');
		expect(h.state().cluster.nodes.w1?.process).toBe('up');
		h.advance(1);
		h.presence.failed('w1', 'no reply over NATS (timeout)');
		expect(h.state().cluster.nodes.w1?.process).toBe('exited');
		expect(h.notes()[0]).toContain('w1 does not answer (no reply over NATS (timeout)): gone from view');
		h.advance(1000);
		h.presence.saw(w1);
		expect(h.state().cluster.nodes.w1?.process).toBe('up');
		expect(h.notes()[0]).toContain('w1 answers again');
		h.advance(1000);
		h.presence.lameDuck('NAAAAAAAAA1');
		expect(h.state().cluster.nodes.w1?.process).toBe('lameDuck');
		expect(h.notes()[0]).toContain('w1 entered lame duck mode (its $SYS.SERVER.NAAAAAAA….LAMEDUCK event)');
	});

	it('a /varz body is a sighting: name, id, version, start time, cluster name (real 2.10.27 sample)', () => {
		const varz = sample('2.10.27', 'varz.json') as Record<string, unknown>;
		const s = sightingOf(varz);
		expect(s?.name).toBe(varz.server_name);
		expect(s?.serverId).toBe(varz.server_id);
		expect(s?.version).toBe('2.10.27');
		expect(s?.startedAt).toBe(Date.parse(varz.start as string));
		expect(sightingOf({ version: '2.10.27' })).toBeNull();
	});
});
