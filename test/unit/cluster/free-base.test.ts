// The integration tests' port search (test/integration/cluster-support.ts freeBase): it steps by the
// test blocks' spacing (20, not the product's 25) and, for proxied clusters, needs the proxy ports free.
// Real listeners on 127.0.0.1, from 27000 up (no test block's ports reach there: blocks are 20000-21999
// plus offsets to 25999). The block is the first whose ports and the next block's are all free now, so a
// port someone else holds (a manual cluster on the machine) cannot fail the test.
import { createServer, type Server } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freeBase } from '../../integration/cluster-support.js';

let BASE = 27_000;
beforeAll(async () => {
	for (let base = 27_000; base < 28_700; base += 100) {
		const free = async (b: number) => (await freeBase(b, { proxied: true })) === b;
		if ((await free(base)) && (await free(base + 20))) {
			BASE = base;
			return;
		}
	}
	throw new Error('no free block of ports in 27000-28700 for this test');
});
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
