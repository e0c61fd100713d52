// The preflight decision on real recorded monitoring answers (test/fixtures/samples:
// 3-node cluster, R3 stream ORDERS and R3 durable C1 in $G) of 2.9.10, 2.10.27 and
// 2.15.1: the meta leader's and a follower's (n1) /varz /jsz /healthz /routez, read
// through the same readAnswers the command uses, and then changed the way a real
// cluster changes (a replica behind, a server silent, an R1 stream, an unhealthy peer).
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GetResult } from '../../../src/monitoring/http.js';
import { decide } from '../../../src/preflight/decide.js';
import { readAnswers } from '../../../src/preflight/gather.js';
import { credsWarning } from '../../../src/preflight/nats-source.js';
import { verdictText } from '../../../src/preflight/render.js';
import type { ServerAnswers, Verdict } from '../../../src/preflight/types.js';
import { sample } from '../../support/fixtures.js';

// biome-ignore lint/suspicious/noExplicitAny: recorded JSON, changed in place the way a cluster changes
type Json = Record<string, any>;
const LEADERS: Record<string, string> = { '2.9.10': 'n2', '2.10.27': 'n2', '2.15.1': 'n3' };
const VERSIONS = Object.keys(LEADERS);

const ok = (body: unknown, status = 200): GetResult => ({ ok: true, status, body: JSON.stringify(body) });
const refused: GetResult = { ok: false, refused: true, timedOut: false, error: 'connection refused' };
const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

interface Recorded {
	leader: string;
	jsz: Record<string, Json>;
	varz: Record<string, Json>;
}

/** The recorded answers of the meta leader and of follower n1 (its /varz: the leader's, renamed). */
function recorded(version: string): Recorded {
	const leader = LEADERS[version] as string;
	const varz = sample(version, 'varz.json') as Json;
	return {
		leader,
		jsz: {
			[leader]: copy(sample(version, 'jsz-leader.json') as Json),
			n1: copy(sample(version, 'jsz-follower.json') as Json),
		},
		varz: { [leader]: varz, n1: { ...varz, server_name: 'n1', server_id: 'FOLLOWER' } },
	};
}

function answers(
	r: Recorded,
	extra: { healthz?: Record<string, GetResult>; metaHealthz?: Record<string, GetResult> } = {},
): ServerAnswers[] {
	return Object.keys(r.jsz).map((name) =>
		readAnswers(`http://${name}:8222`, {
			varz: ok(r.varz[name]),
			jsz: ok(r.jsz[name]),
			healthz: extra.healthz?.[name] ?? ok({ status: 'ok' }),
			routez: ok(sample(r.varz[name]?.version, 'routez.json')),
			metaHealthz: extra.metaHealthz?.[name] ?? null,
		}),
	);
}

/** The stream ORDERS (or consumer C1) block of one server's recorded /jsz. */
function ordersOf(jsz: Json): Json {
	return jsz.account_details[0].stream_detail[0];
}
function replicaRow(cluster: Json, name: string): Json {
	return cluster.replicas.find((x: Json) => x.name === name);
}

const reasonsOf = (v: Verdict) =>
	v.outcome === 'not-safe' ? v.reasons.map((x) => `${x.asset}: ${x.text}`) : [];

describe.each(VERSIONS)('preflight decision on recorded %s answers', (version) => {
	it('the follower n1 may go: everything it holds stays current on the two others', () => {
		const v = decide('n1', answers(recorded(version)));
		expect(v).toMatchObject({
			outcome: 'safe',
			target: 'n1',
			checked: { servers: 2, streams: 1, consumers: 1 },
		});
		expect(verdictText(v)).toMatch(/^safe: n1 may be taken down now/);
	});

	it('the meta leader may go too (the others are current), named by its monitoring URL', () => {
		const r = recorded(version);
		expect(decide(`http://${r.leader}:8222/`, answers(r))).toMatchObject({
			outcome: 'safe',
			target: r.leader,
		});
	});

	it('a replica of ORDERS behind on the stream leader: not safe, naming the stream, the replica and its lag', () => {
		const r = recorded(version);
		// Whichever server leads ORDERS has the view that counts: make the third server (not n1) fall behind there.
		const leaderOfOrders = ordersOf(r.jsz[r.leader] as Json).cluster.leader as string;
		const view = Object.entries(r.jsz).find(([name]) => name === leaderOfOrders)?.[1] as Json;
		const third = ['n1', 'n2', 'n3'].find((n) => n !== 'n1' && n !== leaderOfOrders) as string;
		Object.assign(replicaRow(ordersOf(view).cluster, third), { current: false, lag: 42 });
		const v = decide('n1', answers(r));
		expect(v.outcome).toBe('not-safe');
		expect(reasonsOf(v)).toEqual(
			expect.arrayContaining([
				'stream ORDERS: would keep 1 of 3 replicas current, needs 2',
				`stream ORDERS: replica ${third} not current, 42 behind`,
			]),
		);
		expect(v.outcome === 'not-safe' && v.reasons.find((x) => x.replica === third)?.lag).toBe(42);
	});

	it('a --monitor URL that does not answer: the servers that did not answer count as down (meta and stream quorum)', () => {
		const r = recorded(version);
		const silent = readAnswers('http://user:secret@n9:8222', { varz: refused });
		const v = decide('n1', [...answers(r), silent]);
		expect(v.outcome).toBe('not-safe');
		const third = ['n2', 'n3'].find((n) => n !== r.leader) as string;
		expect(reasonsOf(v)).toContain('meta group: would keep 1 of 3 members current, needs 2');
		expect(reasonsOf(v)).toContain(`meta group: member ${third} did not answer`);
		expect(JSON.stringify(v)).not.toContain('secret');
	});

	it('an R1 stream on the target: not safe, its only replica', () => {
		const r = recorded(version);
		const leaderJsz = r.jsz[r.leader] as Json;
		const local = copy(ordersOf(leaderJsz));
		Object.assign(local, { name: 'LOCAL', consumer_detail: [] });
		local.cluster = { name: local.cluster.name, leader: r.leader };
		leaderJsz.account_details[0].stream_detail.push(local);
		expect(reasonsOf(decide(r.leader, answers(r)))).toEqual([
			`stream LOCAL: has its only replica on ${r.leader} (R1)`,
		]);
		expect(decide('n1', answers(r)).outcome).toBe('safe');
	});

	it('another server answering /healthz 503: not safe, with the server and its words', () => {
		const r = recorded(version);
		const unhealthy = ok(
			{ status: 'unavailable', error: 'JetStream is not current with the meta leader' },
			503,
		);
		const v = decide('n1', answers(r, { healthz: { [r.leader]: unhealthy } }));
		expect(reasonsOf(v)).toContain(
			`server ${r.leader}: /healthz says JetStream is not current with the meta leader`,
		);
	});

	it('only the follower answered: the leaders of the meta group and the stream are unknown, so it cannot tell', () => {
		const r = recorded(version);
		const v = decide(
			'n1',
			answers(r).filter((s) => s.name === 'n1'),
		);
		expect(v.outcome).toBe('unknown');
		expect(v.outcome === 'unknown' && v.unknown.join('\n')).toContain(
			`meta group: its leader ${r.leader} is not among the --monitor URLs`,
		);
	});
});

describe('preflight decision: what the answers cannot settle, and 2.11+ meta health', () => {
	it('a target that is neither a server that answered nor a --monitor URL: could not tell, naming those that did', () => {
		const v = decide('n7', answers(recorded('2.10.27')));
		expect(v).toMatchObject({ outcome: 'unknown' });
		expect(verdictText(v)).toBe(
			'could not tell whether n7 may be taken down: "n7" is neither a server that answered (n1, n2) nor one of the --monitor URLs\n',
		);
	});

	it('the target URL refused: could not tell, one line', () => {
		const v = decide('http://n1:8222', [readAnswers('http://n1:8222', { varz: refused })]);
		expect(verdictText(v)).toBe(
			'could not tell whether http://n1:8222 may be taken down: no monitoring URL answered (http://n1:8222: connection refused)\n',
		);
	});

	it('2.15.1: /healthz?js-meta-only=true failing on another server is a reason; on 2.10.27 it is not asked', () => {
		const r = recorded('2.15.1');
		const metaDown = ok(
			{ status: 'unavailable', error: 'JetStream has not established contact with a meta leader' },
			503,
		);
		const v = decide('n1', answers(r, { metaHealthz: { n3: metaDown } }));
		expect(reasonsOf(v)).toEqual([
			'server n3: meta view not current: JetStream has not established contact with a meta leader',
		]);
	});

	it('a follower that sees no meta leader (2.10.27, judged by /jsz): not safe', () => {
		const r = recorded('2.10.27');
		const follower = r.jsz.n1 as Json;
		delete follower.meta_cluster.leader;
		expect(reasonsOf(decide('n2', answers(r)))).toContain('server n1: sees no meta leader');
	});

	it('streams of the same name in two accounts are two assets', () => {
		const r = recorded('2.10.27');
		// APP's ORDERS is R1 on n2 (its cluster block lists no replicas), and so is its C1: only n2 lists them.
		const jsz = r.jsz.n2 as Json;
		const app = copy(jsz.account_details[0]);
		app.name = 'APP';
		for (const s of app.stream_detail) {
			s.cluster = { name: s.cluster.name, leader: 'n2' };
			for (const c of s.consumer_detail) c.cluster = { name: c.cluster.name, leader: 'n2' };
		}
		jsz.account_details.push(app);
		const v = decide('n2', answers(r));
		expect(reasonsOf(v)).toEqual([
			'stream APP > ORDERS: has its only replica on n2 (R1)',
			'consumer APP > ORDERS > C1: has its only replica on n2 (R1)',
		]);
	});
});

describe('preflight --creds: a file others can read gets a warning, as ssh does for keys', () => {
	it('mode 644 warns with the mode and the fix; 600 does not', () => {
		const dir = mkdtempSync(join(tmpdir(), 'natslab-preflight-creds-'));
		const file = join(dir, 'sys.creds');
		writeFileSync(file, 'not a real creds file');
		chmodSync(file, 0o644);
		expect(credsWarning(file)).toBe(
			`preflight: warning: ${file} can be read by others (mode 644): chmod 600 it`,
		);
		chmodSync(file, 0o600);
		expect(credsWarning(file)).toBeNull();
		rmSync(dir, { recursive: true });
	});
});
