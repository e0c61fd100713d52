// The one monitoring HTTP client against real local HTTP servers (node:http and a
// bare TCP listener that never answers, like a SIGSTOPped nats-server).
import { createServer as createHttpServer, type Server } from 'node:http';
import {
	type AddressInfo,
	createServer as createTcpServer,
	type Socket,
	type Server as TcpServer,
} from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { monitoringGet, monitoringGetJson } from '../../../src/monitoring/http.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const close of closers.splice(0)) await close();
});

async function listen<S extends Server | TcpServer>(server: S, sockets: Set<Socket>): Promise<number> {
	server.on('connection', (s: Socket) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	closers.push(
		() =>
			new Promise<void>((resolve) => {
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			}),
	);
	return (server.address() as AddressInfo).port;
}

/** A monitoring port answering `/jsz` with JSON and anything else with text; counts TCP connections. */
async function monitoringPort(keepAliveTimeoutMs = 5000) {
	let connections = 0;
	const server = createHttpServer((req, res) => {
		if (req.url === '/jsz') res.end(JSON.stringify({ meta_cluster: { leader: 'n2' } }));
		else res.end('filtered response: not leader');
	});
	server.keepAliveTimeout = keepAliveTimeoutMs;
	server.on('connection', () => connections++);
	const port = await listen(server, new Set());
	return { url: `http://127.0.0.1:${port}`, connections: () => connections };
}

describe('monitoringGet', () => {
	it('keeps one connection alive across polls', async () => {
		const m = await monitoringPort();
		for (let i = 0; i < 5; i++) {
			const res = await monitoringGet(`${m.url}/jsz`, 5000);
			expect(res).toMatchObject({ ok: true, status: 200 });
		}
		expect(m.connections()).toBe(1);
	});

	it('parses JSON, and keeps a body that is not JSON as text', async () => {
		const m = await monitoringPort();
		expect(await monitoringGetJson(`${m.url}/jsz`)).toEqual({
			status: 200,
			body: { meta_cluster: { leader: 'n2' } },
		});
		expect((await monitoringGetJson(`${m.url}/jsz?leader-only=true`)).body).toBe(
			'filtered response: not leader',
		);
	});

	it('a server that accepts but never answers (frozen) is a timeout, within the deadline', async () => {
		const frozen = createTcpServer(() => {
			// accept and say nothing, like a SIGSTOPped server's kernel backlog
		});
		const port = await listen(frozen, new Set());
		const res = await monitoringGet(`http://127.0.0.1:${port}/varz`, 300);
		expect(res).toMatchObject({ ok: false, timedOut: true, refused: false });
		await expect(monitoringGetJson(`http://127.0.0.1:${port}/jsz`, 300)).rejects.toThrow(
			/no answer within 300 ms/,
		);
	});

	it('a closed port is refused', async () => {
		const probe = createTcpServer();
		const port = await listen(probe, new Set());
		await closers.pop()?.();
		expect(await monitoringGet(`http://127.0.0.1:${port}/healthz`, 5000)).toMatchObject({
			ok: false,
			refused: true,
			error: 'connection refused',
		});
	});

	it('a server that drops its idle kept-alive connections (a restart) still answers every poll', async () => {
		const m = await monitoringPort(1);
		for (let i = 0; i < 20; i++) {
			const res = await monitoringGet(`${m.url}/jsz`, 5000);
			expect(res).toMatchObject({ ok: true, status: 200 });
			await new Promise((r) => setImmediate(r));
		}
		expect(m.connections()).toBeGreaterThan(1);
	});

	it('a kept-alive connection the server closes as the request goes out is retried once on a new one', async () => {
		// The server answers the first request of every connection and drops the connection at the
		// second, the way a restarting server drops a socket the client is about to reuse.
		const served = new WeakMap<Socket, number>();
		let connections = 0;
		const server = createHttpServer((req, res) => {
			const n = (served.get(req.socket) ?? 0) + 1;
			served.set(req.socket, n);
			if (n > 1) req.socket.destroy();
			else res.end('{"status":"ok"}');
		});
		server.on('connection', () => connections++);
		const port = await listen(server, new Set());
		const url = `http://127.0.0.1:${port}/healthz`;
		expect(await monitoringGet(url, 5000)).toMatchObject({ ok: true, status: 200 });
		expect(await monitoringGet(url, 5000)).toMatchObject({ ok: true, status: 200, body: '{"status":"ok"}' });
		expect(connections).toBe(2);
	});
});
