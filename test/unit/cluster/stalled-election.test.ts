// A fresh cluster's stalled election (docs/nats-behavior.md §8): natslab's decision only, over
// three local HTTP servers answering with the real 2.10.27 and 2.9.10 samples, rewritten per node
// (server name and id; /routez listing the two others; /jsz without `meta_cluster.leader`, which
// is how a server says it knows no meta leader). What the real servers do is in the integration tests.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
	type LeaderTarget,
	restartOnStalledElection,
	routedToEachOther,
	waitForAgreedLeader,
} from '../../../src/cluster/readiness.js';

type Json = Record<string, unknown>;
const sample = (version: string, name: string): Json =>
	JSON.parse(
		readFileSync(join(import.meta.dirname, `../../fixtures/samples/${version}/${name}.json`), 'utf8'),
	);

const NODES = ['n1', 'n2', 'n3'];
const idOf = (n: string) => `N${n.toUpperCase()}${'X'.repeat(52)}`;

interface World {
	leader: string | null;
	/** Nodes whose /routez lists no route. */
	unrouted: Set<string>;
}

/** One node's answers: the version's samples with this node's name and id, routes to the others. */
function answer(version: string, node: string, world: World, path: string): Json {
	if (path.startsWith('/varz'))
		return { ...sample(version, 'varz'), server_name: node, server_id: idOf(node) };
	if (path.startsWith('/routez')) {
		const base = sample(version, 'routez');
		const row = (base.routes as Json[])[0] as Json;
		const others = world.unrouted.has(node) ? [] : NODES.filter((o) => o !== node);
		// 2.9.10 rows carry only remote_id; 2.10+ also remote_name.
		const routes = others.map((o) => ({
			...row,
			remote_id: idOf(o),
			...('remote_name' in row ? { remote_name: o } : {}),
		}));
		return { ...base, server_id: idOf(node), routes, num_routes: routes.length };
	}
	const jsz = sample(version, 'jsz-follower');
	const meta = { ...(jsz.meta_cluster as Json) };
	if (world.leader) meta.leader = world.leader;
	else delete meta.leader;
	return { ...jsz, server_id: idOf(node), meta_cluster: meta };
}

const servers: Server[] = [];
afterEach(() => {
	for (const s of servers.splice(0)) s.close();
});

async function cluster(version: string, world: World): Promise<LeaderTarget[]> {
	return Promise.all(
		NODES.map(async (name) => {
			const server = createServer((req, res) => {
				res.setHeader('content-type', 'application/json');
				res.end(JSON.stringify(answer(version, name, world, req.url ?? '/')));
			});
			servers.push(server);
			await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
			return { name, httpUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
		}),
	);
}

/** The remedy for a three-node cluster after 100 ms, restarting nothing but noting what it would restart. */
function watchedStall() {
	const restarted: string[] = [];
	const stalled = restartOnStalledElection({
		nodeCount: () => 3,
		restart: async (n) => {
			restarted.push(n);
		},
		onNotice: () => {},
		afterMs: 100,
	});
	return { restarted, stalled };
}

describe.each(['2.10.27', '2.9.10'])('a stalled election (%s answers)', (version) => {
	it('routed to each other, no leader: restarts the last node once, says why, then returns the leader', async () => {
		const world: World = { leader: null, unrouted: new Set() };
		const targets = await cluster(version, world);
		expect(await routedToEachOther(targets)).toBe(true);
		const restarted: string[] = [];
		const notices: string[] = [];
		const stalled = restartOnStalledElection({
			nodeCount: () => 3,
			restart: async (n) => {
				restarted.push(n);
				world.leader = 'n1';
			},
			onNotice: (m) => notices.push(m),
			afterMs: 300,
		});
		const leader = await waitForAgreedLeader(() => targets, 5000, 25, stalled);
		expect(leader).toBe('n1');
		expect(restarted).toEqual(['n3']);
		expect(notices).toEqual([
			'n1, n2 and n3 are routed to each other and elected no JetStream meta leader in 0 s (a stalled election, seen under load); restarting n3 starts a new one',
		]);
	});

	it('a node that lists no route: not a stalled election, nothing restarted, the one-line timeout', async () => {
		const world: World = { leader: null, unrouted: new Set(['n2']) };
		const targets = await cluster(version, world);
		expect(await routedToEachOther(targets)).toBe(false);
		const { restarted, stalled } = watchedStall();
		await expect(waitForAgreedLeader(() => targets, 800, 25, stalled)).rejects.toThrow(
			/^no agreed JetStream meta leader after 1 s \(n1: none, n2: none, n3: none\)$/,
		);
		expect(restarted).toEqual([]);
	});
});

it('part of the cluster running (2 of 3): it waits for the rest, nothing is restarted', async () => {
	const world: World = { leader: null, unrouted: new Set() };
	const targets = (await cluster('2.10.27', world)).slice(0, 2);
	const { restarted, stalled } = watchedStall();
	await expect(waitForAgreedLeader(() => targets, 600, 25, stalled)).rejects.toThrow(
		/no agreed JetStream meta leader/,
	);
	expect(restarted).toEqual([]);
});
