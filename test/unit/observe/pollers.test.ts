// The poller's HTTP mechanics against local HTTP servers that answer with the
// REAL monitoring samples (not a model of nats-server behaviour): which
// endpoints are asked, rate limits, change-only emission, refused and frozen
// nodes. Its behaviour against real servers is covered by the lab integration test.

import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket, type Server as TcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../../src/base/wait.js';
import type { PollEvent } from '../../../src/observe/events.js';
import { Poller } from '../../../src/observe/pollers.js';
import { sample } from '../../support/fixtures.js';

type Answer = { status: number; body: string };
interface Fake {
	url: string;
	hits: Record<string, number>;
	answers: Record<string, Answer>;
	close(): Promise<void>;
}

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map((s) => s.close()));
});

const json = (v: unknown): Answer => ({ status: 200, body: JSON.stringify(v) });

/** Answers per path from the samples of one version (`/jsz?...` is matched by its path). */
function answersFor(
	version: string,
	role: 'leader' | 'follower',
	patchVarz: Record<string, unknown> = {},
): Record<string, Answer> {
	const raftz = sample(version, 'raftz.json') as { _note?: string; status?: number; body?: string };
	return {
		'/varz': json({ ...(sample(version, 'varz.json') as object), ...patchVarz }),
		'/routez': json(sample(version, 'routez.json')),
		'/jsz': json(sample(version, `jsz-${role}.json`)),
		'/healthz': json(sample(version, 'healthz.json')),
		'/raftz': raftz._note ? { status: raftz.status ?? 404, body: raftz.body ?? '' } : json(raftz),
	};
}

async function fakeNode(answers: Record<string, Answer>): Promise<Fake> {
	const hits: Record<string, number> = {};
	const server: Server = createServer((req, res) => {
		const path = (req.url ?? '/').split('?')[0] as string;
		hits[path] = (hits[path] ?? 0) + 1;
		const a = answers[path] ?? { status: 404, body: '404 page not found\n' };
		res.writeHead(a.status, { 'content-type': 'application/json' });
		res.end(a.body);
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const port = (server.address() as { port: number }).port;
	const fake = {
		url: `http://127.0.0.1:${port}`,
		hits,
		answers,
		close: () => new Promise<void>((r) => server.close(() => r())),
	};
	servers.push(fake);
	return fake;
}

/** A port that accepts TCP and never answers, like a SIGSTOPped server. */
async function frozenNode(): Promise<{ url: string; accepted: () => number }> {
	const sockets: Socket[] = [];
	const server: TcpServer = createTcpServer((s) => sockets.push(s));
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const port = (server.address() as { port: number }).port;
	servers.push({
		close: () =>
			new Promise<void>((r) => {
				for (const s of sockets) s.destroy();
				server.close(() => r());
			}),
	});
	return { url: `http://127.0.0.1:${port}`, accepted: () => sockets.length };
}

/** A port nothing listens on (a server that is down). */
async function downNode(): Promise<string> {
	const s = createTcpServer();
	await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
	const port = (s.address() as { port: number }).port;
	await new Promise<void>((r) => s.close(() => r()));
	return `http://127.0.0.1:${port}`;
}

function collect(
	nodes: { name: string; httpUrl: string }[],
	extra: Partial<ConstructorParameters<typeof Poller>[0]> = {},
) {
	const events: PollEvent[] = [];
	const poller = new Poller({ nodes, emit: (e) => events.push(e), ...extra });
	servers.push({ close: async () => poller.stop() });
	return { poller, events };
}

const endpoints = (events: PollEvent[], node?: string) =>
	events.filter((e) => !node || e.node === node).map((e) => `${e.endpoint}${e.ok ? '' : ':fail'}`);

describe('Poller', () => {
	it('2.10.27: one round asks varz, routez, jsz, healthz, raftz and emits normalised snapshots', async () => {
		const n2 = await fakeNode(answersFor('2.10.27', 'leader'));
		const { poller, events } = collect([{ name: 'n2', httpUrl: n2.url }], { stream: 'ORDERS' });
		await poller.pollOnce();
		expect(endpoints(events)).toEqual(['varz', 'routez', 'jsz', 'stream', 'healthz', 'raftz']);
		const byEndpoint = Object.fromEntries(events.map((e) => [e.endpoint, e]));
		expect(byEndpoint.varz).toMatchObject({ ok: true, data: { version: '2.10.27', serverName: 'n2' } });
		expect(byEndpoint.routez).toMatchObject({ data: { connections: 8 } });
		expect(byEndpoint.jsz).toMatchObject({ data: { metaLeader: 'n2', clusterSize: 3 } });
		expect(byEndpoint.stream).toMatchObject({
			node: 'n2',
			data: { leader: 'n2', viewFrom: 'n2', messages: 100 },
		});
		expect(byEndpoint.healthz).toMatchObject({ data: { status: 200, ok: true } });
		expect(byEndpoint.raftz).toMatchObject({
			data: { groups: [{ group: '_meta_', state: 'LEADER', leader: 'n2' }] },
		});
	});

	it('2.9.10: never asks /raftz; names 2.9.10 route peers through the server ids /varz reported', async () => {
		const routez = sample('2.9.10', 'routez.json') as { routes: { remote_id: string }[] };
		const [idA, idB] = routez.routes.map((r) => r.remote_id);
		const n1 = await fakeNode(answersFor('2.9.10', 'follower', { server_id: idA, server_name: 'n1' }));
		const n2 = await fakeNode(answersFor('2.9.10', 'leader'));
		const n3 = await fakeNode(answersFor('2.9.10', 'follower', { server_id: idB, server_name: 'n3' }));
		const { poller, events } = collect([
			{ name: 'n1', httpUrl: n1.url },
			{ name: 'n3', httpUrl: n3.url },
		]);
		await poller.pollOnce(); // learn n1's and n3's ids
		poller.setNodes([
			{ name: 'n1', httpUrl: n1.url },
			{ name: 'n2', httpUrl: n2.url },
			{ name: 'n3', httpUrl: n3.url },
		]);
		await poller.pollOnce();
		const routesOfN2 = events.find((e) => e.node === 'n2' && e.endpoint === 'routez');
		expect(routesOfN2).toMatchObject({ ok: true, data: { peers: ['n1', 'n3'], connections: 2 } });
		expect(n1.hits['/raftz'] ?? 0).toBe(0);
		expect(n2.hits['/raftz'] ?? 0).toBe(0);
	});

	it('emits only changes, and asks /healthz at most once a second', async () => {
		const n1 = await fakeNode(answersFor('2.15.1', 'leader'));
		const { poller, events } = collect([{ name: 'n1', httpUrl: n1.url }]);
		await poller.pollOnce();
		const first = events.length;
		await poller.pollOnce();
		await poller.pollOnce();
		expect(n1.hits['/healthz']).toBe(1);
		expect(n1.hits['/varz']).toBe(3);
		expect(events.length).toBe(first);
		n1.answers['/jsz'] = json(sample('2.15.1', 'jsz-follower.json')); // the leader moved to n3
		await poller.pollOnce();
		expect(events.slice(first).map((e) => e.endpoint)).toEqual(['jsz']);
		expect(events.at(-1)).toMatchObject({ data: { metaLeader: 'n3' } });
	});

	it('a node that refuses connections yields ok:false events, rate-limited, and no exception', async () => {
		const url = await downNode();
		const { poller, events } = collect([{ name: 'n3', httpUrl: url }]);
		await poller.pollOnce();
		await poller.pollOnce();
		expect(events.map((e) => [e.endpoint, e.ok, e.ok ? '' : e.error])).toEqual([
			['varz', false, 'connection refused'],
			['healthz', false, 'connection refused'],
		]);
	});

	it('a frozen node times out without piling up requests', async () => {
		const frozen = await frozenNode();
		const { poller, events } = collect([{ name: 'n1', httpUrl: frozen.url }], { timeoutMs: 300 });
		const started = Date.now();
		await Promise.all([poller.pollOnce(), poller.pollOnce(), poller.pollOnce()]);
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		expect(frozen.accepted()).toBe(1);
		expect(events).toEqual([
			expect.objectContaining({ endpoint: 'varz', ok: false, error: 'no answer within 300 ms' }),
			expect.objectContaining({ endpoint: 'healthz', ok: false, error: 'no answer within 300 ms' }),
		]);
	});

	it('the stream snapshot comes from the node that names itself leader', async () => {
		const n1 = await fakeNode(answersFor('2.10.27', 'follower'));
		const n2 = await fakeNode(answersFor('2.10.27', 'leader'));
		const { poller, events } = collect(
			[
				{ name: 'n1', httpUrl: n1.url },
				{ name: 'n2', httpUrl: n2.url },
			],
			{ stream: 'ORDERS' },
		);
		await poller.pollOnce();
		const streams = events.filter((e) => e.endpoint === 'stream');
		expect(streams.at(-1)).toMatchObject({ node: 'n2', data: { viewFrom: 'n2', leader: 'n2' } });
		const last = streams.at(-1);
		expect(last?.ok && last.endpoint === 'stream' && last.data.replicas.every((r) => r.current)).toBe(true);
	});

	it('/raftz 404 "No Raft nodes registered" is an empty answer; a missing endpoint stops the asking', async () => {
		const a = answersFor('2.15.1', 'leader');
		a['/raftz'] = { status: 404, body: 'No Raft nodes registered' };
		const n1 = await fakeNode(a);
		const b = answersFor('2.10.27', 'leader', { version: '2.10.16' });
		const n2 = await fakeNode(b);
		const { poller, events } = collect([
			{ name: 'n1', httpUrl: n1.url },
			{ name: 'n2', httpUrl: n2.url },
		]);
		await poller.pollOnce();
		expect(events.find((e) => e.node === 'n1' && e.endpoint === 'raftz')).toMatchObject({
			ok: true,
			data: { groups: [] },
		});
		expect(n2.hits['/raftz'] ?? 0).toBe(0); // 2.10.16 predates /raftz
	});

	it('start() polls on its own, fast after hurry(), and stop() ends the emission', async () => {
		const n1 = await fakeNode(answersFor('2.10.27', 'leader'));
		const { poller, events } = collect([{ name: 'n1', httpUrl: n1.url }], { fastMs: 20, slowMs: 5000 });
		poller.start();
		poller.hurry(10_000);
		await waitUntil(() => (n1.hits['/varz'] ?? 0) >= 4, { timeoutMs: 10_000, everyMs: 10 });
		poller.stop();
		const seen = events.length;
		const hits = n1.hits['/varz'] ?? 0;
		await new Promise((r) => setTimeout(r, 200));
		expect(events.length).toBe(seen);
		expect(n1.hits['/varz'] ?? 0).toBeLessThanOrEqual(hits + 1); // at most the one in flight
	});
});
