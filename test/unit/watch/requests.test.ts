// What watch asks and shows that is not a server's state: the poller's paths
// as $SYS request bodies (the JSZ body says `consumer`, which the URL calls
// `consumers`), stream names of /jsz answers, advisory notes, and --once's
// snapshot from real recorded answers.
import { describe, expect, it } from 'vitest';
import { readAnswers } from '../../../src/preflight/gather.js';
import { snapshotOf, snapshotText } from '../../../src/watch/snapshot.js';
import { sysRequestOf } from '../../../src/watch/sources.js';
import { streamNames } from '../../../src/watch/streams.js';
import { advisoryText } from '../../../src/watch/watch-lab.js';
import { sample } from '../../support/fixtures.js';

const ok = (body: unknown) => ({ ok: true as const, status: 200, body: JSON.stringify(body) });

describe('watch requests and snapshot', () => {
	it('maps the poller paths to $SYS request names and bodies', () => {
		expect(sysRequestOf('/varz')).toEqual({ what: 'VARZ', body: {} });
		expect(sysRequestOf('/jsz?accounts=true&streams=true&consumers=true')).toEqual({
			what: 'JSZ',
			body: { accounts: true, streams: true, consumer: true },
		});
		expect(sysRequestOf('/healthz?js-meta-only=true').body).toEqual({ 'js-meta-only': true });
	});

	it('lists every stream of the answers once, sorted', () => {
		const jsz = sample('2.10.27', 'jsz-leader.json');
		expect(
			streamNames([
				{ node: 'a', at: 1, json: jsz },
				{ node: 'b', at: 2, json: jsz },
			]),
		).toEqual(['ORDERS']);
	});

	it('says an advisory in a line', () => {
		expect(advisoryText('$JS.EVENT.ADVISORY.DOMAIN.LEADER_ELECTED', { leader: 'n2' })).toBe(
			'advisory: meta group leader elected: n2',
		);
		expect(advisoryText('$JS.EVENT.ADVISORY.STREAM.QUORUM_LOST.ORDERS', {})).toBe(
			'advisory: stream ORDERS quorum lost',
		);
	});

	it('--once: the agreed meta leader, each server’s view, the stream as its leader reports it (2.10.27 samples)', () => {
		const varz = sample('2.10.27', 'varz.json') as Record<string, unknown>;
		const answers = [
			readAnswers('http://n2:8222', {
				varz: ok(varz),
				jsz: ok(sample('2.10.27', 'jsz-leader.json')),
				healthz: ok({ status: 'ok' }),
			}),
			readAnswers('http://u:secret@n1:8222', {
				varz: ok({ ...varz, server_name: 'n1', server_id: 'FOLLOWER' }),
				jsz: ok(sample('2.10.27', 'jsz-follower.json')),
				healthz: ok({ status: 'ok' }),
			}),
		];
		const snap = snapshotOf(answers, new Date(0));
		expect(snap.metaLeader).toBe('n2');
		expect(snap.servers.map((s) => [s.name, s.metaLeader])).toEqual([
			['n2', 'n2'],
			['n1', 'n2'],
		]);
		const orders = snap.streams.find((s) => s.stream === 'ORDERS');
		expect(orders?.leader).toBe(orders?.viewFrom);
		expect(orders?.replicas.map((r) => r.name).sort()).toEqual(['n1', 'n2', 'n3']);
		expect(JSON.stringify(snap) + snapshotText(snap)).not.toContain('secret');
		expect(snapshotText(snap)).toContain('meta leader: n2');
	});
});
