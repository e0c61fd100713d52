import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isUserError } from '../../../src/base/errors.js';
import {
	BLOCK_STEP,
	choosePorts,
	isPortFree,
	labelledPorts,
	layout,
	portsFor,
	proxyPortCount,
	validateBasePort,
} from '../../../src/cluster/ports.js';

const NODES = ['n1', 'n2', 'n3'];
const BASE = 14222;

/** A machine where exactly these ports are taken. */
const busy =
	(...ports: number[]) =>
	async (port: number) =>
		!ports.includes(port);

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

describe('choosePorts', () => {
	it('takes the default block when it is free', async () => {
		const c = await choosePorts({ nodes: NODES, searchFrom: BASE, isFree: busy() });
		expect(c).toEqual({ base: BASE, ports: layout(BASE, NODES) });
	});

	it('moves to the next free block and says why when a default port is busy', async () => {
		const c = await choosePorts({ nodes: NODES, searchFrom: BASE, isFree: busy(16223) });
		expect(c.base).toBe(14247);
		expect(c.ports.n1).toEqual({ client: 14247, cluster: 16247, http: 18247 });
		expect(c.notice).toBe(
			'port 16223 (n2 cluster) is in use, so the cluster uses client ports 14247-14249 (base port 14247)',
		);
	});

	it('skips every busy block in turn', async () => {
		const c = await choosePorts({ nodes: NODES, searchFrom: BASE, isFree: busy(18222, 14249) });
		expect(c.base).toBe(14272);
		expect(c.notice).toMatch(/^port 18222 \(n1 monitoring\) is in use/);
	});

	it('with proxied links, a busy link proxy port moves the block too (5 nodes: 21 ports at B+3000)', async () => {
		const five = ['n1', 'n2', 'n3', 'n4', 'n5'];
		const direct = await choosePorts({ nodes: five, searchFrom: BASE, isFree: busy(17242) });
		expect(direct.base).toBe(BASE);
		const proxied = await choosePorts({ nodes: five, searchFrom: BASE, proxied: true, isFree: busy(17242) });
		expect(proxied.base).toBe(BASE + BLOCK_STEP);
		expect(proxied.notice).toMatch(/^port 17242 \(link advertise port\) is in use/);
		const explicit = await choosePorts({
			nodes: five,
			explicitBase: 30000,
			searchFrom: BASE,
			proxied: true,
			isFree: busy(33005),
		}).catch((e) => e);
		expect(explicit.message).toMatch(/^port 33005 \(link proxy 6\) is already in use/);
	});

	it('sizes blocks so that neighbouring 5-node proxied blocks share no port', () => {
		const five = ['n1', 'n2', 'n3', 'n4', 'n5'];
		const ports = (base: number) => new Set(labelledPorts(layout(base, five), base).map((p) => p.port));
		const a = ports(BASE);
		const b = [...ports(BASE + BLOCK_STEP)].filter((p) => a.has(p));
		expect(proxyPortCount(5)).toBe(21);
		expect(b).toEqual([]);
	});

	it('gives up after 20 blocks with a one-line error', async () => {
		const err = await choosePorts({ nodes: NODES, searchFrom: BASE, isFree: async () => false }).catch(
			(e) => e,
		);
		expect(isUserError(err)).toBe(true);
		expect(err.message).toBe(
			'no free port block found from base 14222 (first busy: 14222): pass --base-port',
		);
	});

	it('fails with one line naming the busy port when the explicit base is taken', async () => {
		const err = await choosePorts({
			nodes: NODES,
			explicitBase: 30000,
			searchFrom: BASE,
			isFree: busy(30002),
		}).catch((e) => e);
		expect(isUserError(err)).toBe(true);
		expect(err.message).toBe(
			'port 30002 (n3 client) is already in use on 127.0.0.1: choose another base port',
		);
	});
});

describe('isPortFree (real sockets)', () => {
	let server: Server | null = null;
	afterEach(async () => {
		await new Promise((r) => (server ? server.close(r) : r(null)));
		server = null;
	});

	it('sees a port bound on 127.0.0.1 as busy, and free again once closed', async () => {
		const s = createServer();
		server = s;
		const port = await new Promise<number>((resolve) => {
			s.listen({ port: 0, host: '127.0.0.1' }, () => resolve((s.address() as { port: number }).port));
		});
		expect(await isPortFree(port)).toBe(false);
		await new Promise((r) => s.close(r));
		server = null;
		expect(await isPortFree(port)).toBe(true);
	});
});
