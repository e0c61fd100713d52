// The integration tests' port search (test/integration/cluster-support.ts freeBase): it steps by the
// test blocks' spacing (20, not the product's 25) and, for proxied clusters, needs the proxy ports free.
// Real listeners on 127.0.0.1, in 26400-30420 (a range no test block uses).
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freeBase } from '../../integration/cluster-support.js';

const BASE = 26_400;
const held: Server[] = [];

function hold(port: number): Promise<void> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			held.push(server);
			resolve();
		});
	});
}

afterEach(async () => {
	await Promise.all(held.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe('freeBase', () => {
	it('takes the block asked for when it is free', async () => {
		expect(await freeBase(BASE)).toBe(BASE);
	});

	it('moves a busy block by the test block spacing (20), onto the next block base', async () => {
		await hold(BASE + 1);
		expect(await freeBase(BASE)).toBe(BASE + 20);
	});

	it('checks the proxy ports only for a proxied cluster', async () => {
		await hold(BASE + 3000);
		expect(await freeBase(BASE)).toBe(BASE);
		expect(await freeBase(BASE, { proxied: true })).toBe(BASE + 20);
	});
});
