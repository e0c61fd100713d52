import { describe, expect, it } from 'vitest';
import {
	normalizeHealthz,
	normalizeJsz,
	normalizeRaftz,
	normalizeRoutez,
	normalizeVarz,
	streamFromJsz,
} from '../../../src/monitoring/normalize.js';
import { pickStreamView } from '../../../src/observe/stream-view.js';
import { sample } from '../../support/fixtures.js';

// Ids of the 2.9.10 sample cluster: n2 from its /varz, n1 from its /jsz answer (jsz-follower.json).
const ID_2_9_10 = {
	n1: 'ND2EOQR4EDPO5MS5DKYH3JPS2WXOB4HCS4RGVTKDAI6ZW4WRSPHD3NNO',
	n2: 'NDK5IZHSZ3R6G4VWR44UXDR4EUZ53ZMU6JGHEUCIBU5MFK25H6UUC5CI',
	other: 'NAY2JIWDSPC7QFFHIQD7XKNS2HGWF2M7SAIOB3WEDKT4Q3Q32LKHH5MS',
};

describe('normalizeVarz', () => {
	it.each([
		['2.9.10', 'n2'],
		['2.10.27', 'n2'],
		['2.15.1', 'n3'],
	])('%s', (v, name) => {
		const varz = normalizeVarz(sample(v, 'varz.json'));
		expect(varz).toMatchObject({ version: v, serverName: name });
		expect(varz.connections).toBeGreaterThanOrEqual(0);
		expect(varz.uptime).toMatch(/^\d+s$/);
		expect(varz.serverId).toMatch(/^N[A-Z0-9]{55}$/);
	});

	it('rejects an answer without a version in one line', () => {
		expect(() => normalizeVarz({})).toThrow('unexpected /varz answer: no version');
		expect(() => normalizeVarz('404 page not found')).toThrow('not a JSON object');
	});
});

describe('normalizeRoutez', () => {
	it('2.10.27 and 2.15.1: 8 route connections, 2 peers by remote_name', () => {
		for (const v of ['2.10.27', '2.15.1']) {
			const r = normalizeRoutez(sample(v, 'routez.json'));
			expect(r.connections).toBe(8);
			expect([...r.peers].sort()).toEqual(v === '2.15.1' ? ['n1', 'n2'] : ['n1', 'n3']);
			expect(r.peerIds).toHaveLength(2);
		}
	});

	it('2.9.10: 2 connections named only by server id, translated with the ids /varz gave', () => {
		const raw = sample('2.9.10', 'routez.json');
		// sorted: the server lists route connections in no stable order
		expect(normalizeRoutez(raw)).toEqual({
			peers: [ID_2_9_10.other, ID_2_9_10.n1],
			connections: 2,
			peerIds: [ID_2_9_10.other, ID_2_9_10.n1],
		});
		const named = normalizeRoutez(raw, { [ID_2_9_10.n1]: 'n1', [ID_2_9_10.other]: 'n3' });
		expect(named.peers).toEqual(['n1', 'n3']);
	});
});

describe('normalizeJsz', () => {
	it('leader views list the two other members as replicas on every version', () => {
		for (const [v, leader] of [
			['2.9.10', 'n2'],
			['2.10.27', 'n2'],
			['2.15.1', 'n3'],
		] as const) {
			const j = normalizeJsz(sample(v, 'jsz-leader.json'));
			expect(j.metaLeader).toBe(leader);
			expect(j.clusterSize).toBe(3);
			expect(j.replicas.map((r) => r.name)).not.toContain(leader);
			expect(j.replicas.every((r) => r.current && !r.offline)).toBe(true);
			expect(j.quorumNeeded).toBe(v === '2.15.1' ? 2 : null);
		}
	});

	it('2.9.10 and 2.10.27 followers list no replicas; 2.15.1 followers do', () => {
		expect(normalizeJsz(sample('2.9.10', 'jsz-follower.json'))).toEqual({
			metaLeader: 'n2',
			clusterSize: 3,
			replicas: [],
			quorumNeeded: null,
		});
		expect(normalizeJsz(sample('2.10.27', 'jsz-follower.json')).replicas).toEqual([]);
		const f = normalizeJsz(sample('2.15.1', 'jsz-follower.json'));
		expect(f.replicas.map((r) => r.name)).toEqual(['n2', 'n3']);
		expect(f.quorumNeeded).toBe(2);
	});

	it('no meta leader: the field is absent (quorum lost, §8 of docs/nats-behavior.md)', () => {
		expect(
			normalizeJsz({ meta_cluster: { name: 'lab', peer: 'fqA4S4SK', cluster_size: 3 } }).metaLeader,
		).toBeNull();
	});
});

describe('normalizeHealthz', () => {
	it('200 ok, 503 with the server error text, non-JSON bodies', () => {
		expect(normalizeHealthz(200, JSON.stringify(sample('2.10.27', 'healthz.json')))).toEqual({
			status: 200,
			ok: true,
		});
		expect(
			normalizeHealthz(
				503,
				'{"status":"unavailable","error":"JetStream stream \'$G \\u003e ORDERS\' is not current: group node unhealthy"}',
			),
		).toEqual({
			status: 503,
			ok: false,
			error: "JetStream stream '$G > ORDERS' is not current: group node unhealthy",
		});
		expect(
			normalizeHealthz(
				500,
				'{"status":"error","error":"failed to be ready for connections after 1ms: server, route"}',
			),
		).toMatchObject({
			ok: false,
			error: 'failed to be ready for connections after 1ms: server, route',
		});
		expect(normalizeHealthz(404, '404 page not found\n')).toEqual({
			status: 404,
			ok: false,
			error: '404 page not found',
		});
	});
});

describe('normalizeRaftz', () => {
	it('2.10.27 / 2.15.1: the meta group with its leader translated from peer id to name', () => {
		expect(normalizeRaftz(sample('2.10.27', 'raftz.json'), 'n2')).toEqual({
			groups: [
				{
					account: '$SYS',
					group: '_meta_',
					state: 'LEADER',
					leader: 'n2',
					term: 1,
					size: 3,
					quorumNeeded: 2,
				},
			],
		});
		expect(normalizeRaftz(sample('2.15.1', 'raftz.json'), 'n3').groups[0]).toMatchObject({
			state: 'LEADER',
			leader: 'n3',
		});
		// without its own name the leader stays a peer id
		expect(normalizeRaftz(sample('2.10.27', 'raftz.json')).groups[0]?.leader).toBe('44jzkV9D');
	});
});

describe('streamFromJsz / pickStreamView', () => {
	it('the leader view: the leader plus the two others, all current', () => {
		const s = streamFromJsz(sample('2.10.27', 'jsz-leader.json'), 'ORDERS', 'n2');
		expect(s).toMatchObject({ stream: 'ORDERS', leader: 'n2', messages: 100, lastSeq: 100, viewFrom: 'n2' });
		expect(s?.replicas.map((r) => [r.name, r.current, r.lag])).toEqual([
			['n2', true, 0],
			['n1', true, 0],
			['n3', true, 0],
		]);
		expect(s?.consumers).toEqual([{ name: 'C1', leader: 'n1' }]);
	});

	it("a follower's view knows nothing about the other follower (current:false, active:0)", () => {
		const s = streamFromJsz(sample('2.9.10', 'jsz-follower.json'), 'ORDERS', 'n1');
		expect(s?.leader).toBe('n2');
		expect(s?.replicas.map((r) => r.name)).toEqual(['n2', 'n3']);
		expect(s?.replicas.find((r) => r.name === 'n3')).toMatchObject({ current: false, active: 0, lag: 101 });
		expect(streamFromJsz(sample('2.9.10', 'jsz-follower.json'), 'NOPE')).toBeNull();
		expect(streamFromJsz({}, 'ORDERS')).toBeNull();
	});

	it('prefers the newest uncontradicted claim of leadership, else the newest view', () => {
		const leaderView = sample('2.10.27', 'jsz-leader.json'); // n2 names itself
		const followerView = sample('2.10.27', 'jsz-follower.json'); // n1 names n2
		expect(
			pickStreamView(
				[
					{ node: 'n1', at: 200, json: followerView },
					{ node: 'n2', at: 100, json: leaderView },
				],
				'ORDERS',
			)?.viewFrom,
		).toBe('n2');
		// a newer answer naming someone else makes the old claim stale
		const moved = structuredClone(followerView) as {
			account_details: { stream_detail: { cluster: { leader: string } }[] }[];
		};
		const detail = moved.account_details[0]?.stream_detail[0];
		if (!detail) throw new Error('sample without a stream');
		detail.cluster.leader = 'n3';
		const picked = pickStreamView(
			[
				{ node: 'n2', at: 100, json: leaderView },
				{ node: 'n1', at: 300, json: moved },
			],
			'ORDERS',
		);
		expect(picked).toMatchObject({ viewFrom: 'n1', leader: 'n3' });
		expect(pickStreamView([], 'ORDERS')).toBeNull();
	});
});
