// The one reader of a /jsz answer's streams (status, preflight and the lab's pollers all use it)
// and the Raft-group rules they share, on the real recorded answers of 2.9.10, 2.10.27, 2.15.1.

import { describe, expect, it } from 'vitest';
import { raftGroupOf, streamFromJsz, streamsOfJsz } from '../../../src/monitoring/jsz-streams.js';
import { isLeadersOwnView, leadersOwnView, majorityOf } from '../../../src/monitoring/raft-group.js';
import { sample } from '../../support/fixtures.js';

type Json = { account_details: { name: string; stream_detail: unknown[] }[] };

describe.each(['2.9.10', '2.10.27', '2.15.1'])('streamsOfJsz on the recorded %s answers', (version) => {
	it('lists ORDERS once per account that holds it, with its account and raw entry', () => {
		const json = structuredClone(sample(version, 'jsz-leader.json')) as Json;
		const [first] = streamsOfJsz(json);
		expect(streamsOfJsz(json).map((s) => s.name)).toEqual(['ORDERS']);
		expect(first?.account).toBe(json.account_details[0]?.name);
		// A second account with a stream of the same name is a second entry, not a merge.
		json.account_details.push({
			...structuredClone(json.account_details[0] as Json['account_details'][0]),
			name: 'APP',
		});
		expect(streamsOfJsz(json).map((s) => `${s.account}/${s.name}`)).toEqual([
			`${first?.account}/ORDERS`,
			'APP/ORDERS',
		]);
	});

	it('the stream as a snapshot lists its leader among the replicas, current, whoever answered', () => {
		for (const file of ['jsz-leader.json', 'jsz-follower.json']) {
			const snap = streamFromJsz(sample(version, file), 'ORDERS', 'x');
			expect(snap?.leader).toMatch(/^n[123]$/);
			expect(snap?.replicas.find((r) => r.name === snap.leader)?.current).toBe(true);
			expect(snap?.replicas.length).toBeGreaterThanOrEqual(2);
			expect(snap?.viewFrom).toBe('x');
		}
	});
});

describe('streamsOfJsz on answers without streams', () => {
	it('is empty for plain /jsz, a non-object and a stream entry without a name', () => {
		expect(streamsOfJsz({ meta_cluster: { leader: 'n1' } })).toEqual([]);
		expect(streamsOfJsz('404 page not found')).toEqual([]);
		expect(streamsOfJsz({ account_details: [{ name: '$G', stream_detail: [{ state: {} }] }] })).toEqual([]);
	});
});

describe('raftGroupOf', () => {
	it('adds the leader as current when it is the one answering (it is not in its own replica list)', () => {
		const group = raftGroupOf({
			leader: 'n2',
			replicas: [{ name: 'n1', current: false, lag: 4, active: 9 }],
		});
		expect(group).toEqual({
			leader: 'n2',
			replicas: [
				{ name: 'n2', current: true, lag: 0, offline: false },
				{ name: 'n1', current: false, lag: 4, offline: false, active: 9 },
			],
		});
		expect(raftGroupOf(undefined)).toEqual({ leader: null, replicas: [] });
	});
});

describe('the Raft-group rules', () => {
	it('a majority of 1..5 members is 1, 2, 2, 3, 3', () => {
		expect([1, 2, 3, 4, 5].map(majorityOf)).toEqual([1, 2, 2, 3, 3]);
	});

	it("only a leader's answer about itself is its own view", () => {
		expect(isLeadersOwnView('n1', 'n1')).toBe(true);
		expect(isLeadersOwnView('n1', 'n2')).toBe(false);
		expect(isLeadersOwnView(null, null)).toBe(false);
		expect(isLeadersOwnView(undefined, undefined)).toBe(false);
		const views = [
			{ from: 'n1', leader: 'n3' },
			{ from: 'n3', leader: 'n3' },
		];
		expect(leadersOwnView(views, (v) => ({ leader: v.leader, viewFrom: v.from }))).toBe(views[1]);
		expect(
			leadersOwnView(views.slice(0, 1), (v) => ({ leader: v.leader, viewFrom: v.from })),
		).toBeUndefined();
	});
});
