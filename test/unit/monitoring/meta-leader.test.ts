import { describe, expect, it } from 'vitest';
import { agreedMetaLeader } from '../../../src/monitoring/meta-leader.js';
import { normalizeJsz } from '../../../src/monitoring/normalize.js';
import { sample } from '../../support/fixtures.js';

const view = (node: string, metaLeader: string | null) => ({ node, metaLeader });

describe('agreedMetaLeader', () => {
	it('names the leader every node names, when it is one of them', () => {
		expect(agreedMetaLeader([view('n1', 'n2'), view('n2', 'n2'), view('n3', 'n2')])).toBe('n2');
	});

	it('is null while the nodes disagree (a restarted node still names the old leader)', () => {
		expect(agreedMetaLeader([view('n1', 'n2'), view('n2', 'n2'), view('n3', 'n1')])).toBeNull();
		expect(agreedMetaLeader([view('n1', 'n2'), view('n2', null)])).toBeNull();
	});

	it('is null when no node knows a leader, or there is no view at all', () => {
		expect(agreedMetaLeader([view('n1', null), view('n2', null)])).toBeNull();
		expect(agreedMetaLeader([])).toBeNull();
	});

	it('is null when they agree on a node that is not a member (the frozen old leader)', () => {
		expect(agreedMetaLeader([view('n1', 'n3'), view('n2', 'n3')])).toBeNull();
		expect(agreedMetaLeader([view('n1', 'n3'), view('n2', 'n3')], ['n1', 'n2', 'n3'])).toBe('n3');
	});

	it('reads real /jsz answers: leader and follower agree on every sampled version', () => {
		for (const version of ['2.9.10', '2.10.27', '2.15.1']) {
			const leader = normalizeJsz(sample(version, 'jsz-leader.json')).metaLeader;
			const follower = normalizeJsz(sample(version, 'jsz-follower.json')).metaLeader;
			expect(leader).toMatch(/^n[123]$/);
			const other = ['n1', 'n2', 'n3'].find((n) => n !== leader) as string;
			expect(agreedMetaLeader([view(leader as string, leader), view(other, follower)])).toBe(leader);
		}
	});
});
