import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { choosePorts, isPortFree, layout, portsFor, validateBasePort } from '../../../src/cluster/ports.js';
import { isUserError } from '../../../src/errors.js';
import { TEST_BASE_PORTS } from '../../support/ports.js';

const BASE = TEST_BASE_PORTS.clusterPortsUnit;
const NODES = ['n1', 'n2', 'n3'];

const held: Server[] = [];
function occupy(port: number): Promise<void> {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.once('error', reject);
		s.listen({ port, host: '127.0.0.1' }, () => {
			held.push(s);
			resolve();
		});
	});
}
afterEach(async () => {
	await Promise.all(held.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe('port layout', () => {
	it('puts client at B+i, cluster at B+2000+i, monitoring at B+4000+i', () => {
		expect(portsFor(14222, 0)).toEqual({ client: 14222, cluster: 16222, http: 18222 });
		expect(layout(14222, NODES)).toEqual({
			n1: { client: 14222, cluster: 16222, http: 18222 },
			n2: { client: 14223, cluster: 16223, http: 18223 },
			n3: { client: 14224, cluster: 16224, http: 18224 },
		});
	});

	it('refuses base ports that are not whole numbers in range', () => {
		for (const bad of [80, 1.5, 61534, Number.NaN]) {
			expect(() => validateBasePort(bad, 3)).toThrow(/invalid base port/);
		}
		expect(() => validateBasePort(61533, 3)).not.toThrow();
	});
});

describe('choosePorts (real sockets)', () => {
	it('sees a bound port as busy', async () => {
		expect(await isPortFree(BASE + 1)).toBe(true);
		await occupy(BASE + 1);
		expect(await isPortFree(BASE + 1)).toBe(false);
	});

	it('takes the default block when it is free', async () => {
		const c = await choosePorts({ nodes: NODES, searchFrom: BASE });
		expect(c.base).toBe(BASE);
		expect(c.notice).toBeUndefined();
	});

	it('moves to the next free block and says why when a default port is busy', async () => {
		await occupy(BASE + 2000 + 1); // n2's cluster port
		const c = await choosePorts({ nodes: NODES, searchFrom: BASE });
		expect(c.base).toBe(BASE + 10);
		expect(c.ports.n1).toEqual({ client: BASE + 10, cluster: BASE + 2010, http: BASE + 4010 });
		expect(c.notice).toBe(
			`port ${BASE + 2001} (n2 cluster) is in use, so the cluster uses client ports ${BASE + 10}-${BASE + 12} (base port ${BASE + 10})`,
		);
	});

	it('skips every busy block in turn', async () => {
		await occupy(BASE + 4000); // n1 monitoring of block 0
		await occupy(BASE + 12); // n3 client of block 1
		const c = await choosePorts({ nodes: NODES, searchFrom: BASE });
		expect(c.base).toBe(BASE + 20);
	});

	it('fails with one line naming the busy port when the explicit base is taken', async () => {
		await occupy(BASE + 2);
		const err = await choosePorts({ nodes: NODES, explicitBase: BASE, searchFrom: 14222 }).catch((e) => e);
		expect(isUserError(err)).toBe(true);
		expect(err.message).toBe(
			`port ${BASE + 2} (n3 client) is already in use on 127.0.0.1: choose another base port`,
		);
		expect(err.message).not.toContain('\n');
	});
});
