// waitForFullMetaGroup: natslab's handling of a meta group that bootstrapped
// without one server. The /jsz answers are the real 2.10.27 leader sample, with
// n3 taken out of the replicas for the incomplete group (the state the probes
// helper measured: cluster_size 2, the third server never joining on its own).
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitForFullMetaGroup } from '../../../src/cluster/readiness.js';

const sample = JSON.parse(
	readFileSync(join(import.meta.dirname, '../../fixtures/samples/2.10.27/jsz-leader.json'), 'utf8'),
) as { meta_cluster: { leader: string; replicas: { name: string }[]; cluster_size: number } };

function incomplete() {
	const copy = structuredClone(sample);
	copy.meta_cluster.replicas = copy.meta_cluster.replicas.filter((r) => r.name !== 'n3');
	copy.meta_cluster.cluster_size = 2;
	return copy;
}

const servers: Server[] = [];
afterEach(() => {
	for (const s of servers.splice(0)) s.close();
});

async function jszServer(answer: () => unknown): Promise<string> {
	const server = createServer((_req, res) => {
		res.setHeader('content-type', 'application/json');
		res.end(JSON.stringify(answer()));
	});
	servers.push(server);
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('waitForFullMetaGroup', () => {
	it('returns the leader at once when every node is in the meta group', async () => {
		const url = await jszServer(() => sample);
		const restarted: string[] = [];
		const leader = await waitForFullMetaGroup({
			nodes: ['n1', 'n2', 'n3'].map((name) => ({ name, httpUrl: url })),
			leader: async () => 'n2',
			restart: async (n) => {
				restarted.push(n);
			},
			onNotice: () => {},
			timeoutMs: 5000,
		});
		expect(leader).toBe('n2');
		expect(restarted).toEqual([]);
	});

	it('restarts the node the meta group left out, then returns once it has joined', async () => {
		let joined = false;
		const url = await jszServer(() => (joined ? sample : incomplete()));
		const restarted: string[] = [];
		const notices: string[] = [];
		const leader = await waitForFullMetaGroup({
			nodes: ['n1', 'n2', 'n3'].map((name) => ({ name, httpUrl: url })),
			leader: async () => 'n2',
			restart: async (n) => {
				restarted.push(n);
				joined = true;
			},
			onNotice: (m) => notices.push(m),
			timeoutMs: 5000,
			graceMs: 200,
		});
		expect(leader).toBe('n2');
		expect(restarted).toEqual(['n3']);
		expect(notices[0]).toContain('n3 is not in the JetStream meta group');
	});

	it('counts the grace from the first look at the group: a slow election does not use it up', async () => {
		// The real fill: within 0–30 ms of the agreed leader (docs/measurements.md "Stop 17").
		let firstLook: number | null = null;
		const url = await jszServer(() => {
			firstLook ??= Date.now();
			return Date.now() - firstLook >= 50 ? sample : incomplete();
		});
		const restarted: string[] = [];
		let calls = 0;
		const leader = await waitForFullMetaGroup({
			nodes: ['n1', 'n2', 'n3'].map((name) => ({ name, httpUrl: url })),
			// The first wait for the leader outlasts the grace (an election of 400 ms, a grace of 200).
			leader: async () => {
				if (calls++ === 0) await new Promise((r) => setTimeout(r, 400));
				return 'n2';
			},
			restart: async (n) => {
				restarted.push(n);
			},
			onNotice: () => {},
			timeoutMs: 5000,
			graceMs: 200,
		});
		expect(leader).toBe('n2');
		expect(restarted).toEqual([]);
	});

	it('gives up with a one-line error naming the missing node', async () => {
		const url = await jszServer(() => incomplete());
		await expect(
			waitForFullMetaGroup({
				nodes: ['n1', 'n2', 'n3'].map((name) => ({ name, httpUrl: url })),
				leader: async () => 'n2',
				restart: async () => {},
				onNotice: () => {},
				timeoutMs: 600,
				graceMs: 100,
			}),
		).rejects.toThrow(/meta group incomplete: n3 not in it \(leader n2\)/);
	});
});
