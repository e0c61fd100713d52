import { describe, expect, it } from 'vitest';
import { normalizeHealthz } from '../../../src/monitoring/normalize.js';
import { failures, longestGap, probesOn } from '../../../src/observe/client-selectors.js';
import type { LabEvent, PollData } from '../../../src/observe/events.js';
import { initialLabState, reduce } from '../../../src/observe/reducer.js';
import {
	agreedMetaLeader,
	allHealthy,
	allReplicasCurrent,
	fullMesh,
	healthProblems,
	healthyFor,
	isAlive,
	isDown,
	mainStream,
	meshGaps,
	metaLeaderAgeMs,
	metaLeaderDoubt,
	metaQuorumText,
	nodeRole,
	replicaCurrent,
	routedPeers,
	streamLeader,
	streamList,
	timelineSince,
	topWarnings,
	upNodeNames,
	warningList,
} from '../../../src/observe/selectors.js';
import type { LabState } from '../../../src/observe/state.js';
import { mergedRun, runNodes } from '../../support/fixtures.js';

const fold = (s: LabState, events: LabEvent[]) => events.reduce(reduce, s);
const jsz = (metaLeader: string | null) => ({ metaLeader, clusterSize: 3, replicas: [], quorumNeeded: 2 });
const poll = (node: string, at: number, data: PollData): LabEvent =>
	({ kind: 'poll', node, at, ok: true, ...data }) as LabEvent;

/** The real sigstop-2.10.27 run up to 01:04:30 (n3 frozen, n2 leads), plus routes and health polls. */
function frozenN3(): LabState {
	const limit = Date.parse('2026-11-26T01:04:30Z');
	let s = fold(
		initialLabState({ nodes: runNodes('sigstop-2.10.27') }),
		mergedRun('sigstop-2.10.27').filter((e) => e.at <= limit),
	);
	const ok = normalizeHealthz(200, '{"status":"ok"}');
	s = fold(s, [
		poll('n1', limit + 1, { endpoint: 'routez', data: { peers: ['n2', 'n3'], connections: 8 } }),
		poll('n2', limit + 2, { endpoint: 'routez', data: { peers: ['n1', 'n3'], connections: 8 } }),
		poll('n1', limit + 3, { endpoint: 'healthz', data: ok }),
		poll('n2', limit + 4, { endpoint: 'healthz', data: ok }),
	]);
	return s;
}

describe('selectors', () => {
	it('on a cluster with a frozen node', () => {
		const s = frozenN3();
		expect(agreedMetaLeader(s)).toBe('n2');
		expect(metaQuorumText(s)).toBe('meta quorum 2/3 (needs 2)');
		expect(nodeRole(s, 'n2')).toEqual({ meta: true, streams: ['ORDERS'], consumers: [] });
		expect(nodeRole(s, 'n3')).toEqual({ meta: false, streams: [], consumers: [] });
		expect(nodeRole(s, 'nX')).toEqual({ meta: false, streams: [], consumers: [] });
		expect(streamLeader(s, 'ORDERS')).toBe('n2');
		expect(streamList(s).map((x) => x.name)).toEqual(['ORDERS']);
		// leader counts as current; the frozen node does not; no replica list seen yet → others unknown
		expect(replicaCurrent(s, 'ORDERS', 'n2')).toBe(true);
		expect(replicaCurrent(s, 'ORDERS', 'n3')).toBe(false);
		expect(replicaCurrent(s, 'ORDERS', 'n1')).toBe(false);
		expect(allReplicasCurrent(s, 'ORDERS')).toBe(false);
		expect(allHealthy(s)).toBe(false); // n3 is paused
		expect(healthProblems(s)).toEqual(['n3 not up']);
		expect(healthProblems(s, ['n1', 'n2'])).toEqual([]);
		expect(meshGaps(s)).toEqual([]);
		expect(fullMesh(s)).toBe(true); // among the up nodes (n1, n2) the mesh is whole
		expect(metaLeaderAgeMs(s, Date.parse('2026-11-26T01:04:13.223Z'))).toBe(10_000);
		expect(healthyFor(s, 'n1', 0)).toBe(true);
		expect(healthyFor(s, 'n1', 10_000)).toBe(false);
		expect(healthyFor(s, 'n1', 10_000, s.now + 10_000)).toBe(true);
		const since = Date.parse('2026-11-26T01:03:59.328Z');
		expect(timelineSince(s, since).map((t) => t.text)).toContain('n3 paused (SIGSTOP): hung, not dead');
		expect(timelineSince(s, since).every((t) => t.at >= since)).toBe(true);
	});

	it('replicas current from the leader view; warnings by frequency; longest gap', () => {
		let s = frozenN3();
		s = reduce(
			s,
			poll('n2', s.now + 1, {
				endpoint: 'stream',
				data: {
					stream: 'ORDERS',
					leader: 'n2',
					messages: 5,
					lastSeq: 5,
					replicas: [
						{ name: 'n2', current: true, lag: 0, offline: false },
						{ name: 'n1', current: true, lag: 0, offline: false },
						{ name: 'n3', current: false, lag: 3, offline: false },
					],
					viewFrom: 'n2',
				},
			}),
		);
		expect(replicaCurrent(s, 'ORDERS', 'n1')).toBe(true);
		expect(replicaCurrent(s, 'ORDERS', 'n3')).toBe(false);
		expect(allReplicasCurrent(s, 'ORDERS')).toBe(false);
		const top = topWarnings(s, 2);
		expect(top).toHaveLength(2);
		expect((top[0]?.count ?? 0) >= (top[1]?.count ?? 0)).toBe(true);
		// The reducer keys a warning by level and text; the list gives the text alone, every one of them.
		const all = warningList(s);
		expect(all.length).toBe(Object.keys(s.warnings).length);
		expect(all.map((w) => `${w.level} ${w.text}`).sort()).toEqual(Object.keys(s.warnings).sort());
		expect(longestGap({ gaps: [] } as never)).toBeNull();
		expect(longestGap({ gaps: [7, 23, 4] } as never)).toBe(23);
	});

	it('a stream not seen yet has no current replica anywhere (the missing-stream case)', () => {
		const s = frozenN3();
		expect(mainStream(s, 'NOPE')).toBeNull();
		for (const n of ['n1', 'n2', 'n3']) expect(replicaCurrent(s, 'NOPE', n)).toBe(false);
		expect(allReplicasCurrent(s, 'NOPE')).toBe(false);
		expect(mainStream(s)?.name).toBe('ORDERS');
	});

	it('the agreed meta leader: excluded, and null while an up node disagrees (named in the doubt)', () => {
		const s = frozenN3();
		expect(upNodeNames(s)).toEqual(['n1', 'n2']);
		expect(isAlive(s, 'n3')).toBe(false);
		expect(isDown(s, 'n3')).toBe(false);
		expect(agreedMetaLeader(s, ['n2'])).toBeNull();
		expect(metaLeaderDoubt(s)).toBe('');
		// n1 still names the old leader (its /jsz answered after the change): no agreement.
		const stale = reduce(s, poll('n1', s.now + 2000, { endpoint: 'jsz', data: jsz('n3') }));
		expect(stale.cluster.nodes.n1?.seesMetaLeader).toBe('n3');
		expect(agreedMetaLeader(stale)).toBeNull();
		expect(metaLeaderDoubt(stale)).toBe(' (n1 sees n3)');
		expect(routedPeers(s, 'n1')).toEqual(['n2', 'n3']);
	});

	it('client questions: probes on a node, failures summed', () => {
		const s = frozenN3();
		expect(probesOn(s, 'n1')).toEqual([]);
		expect(failures(undefined)).toBe(0);
		expect(failures({ failed: { timeout: 1, noResponders: 2, unavailable: 3, other: 4 } } as never)).toBe(10);
	});
});
