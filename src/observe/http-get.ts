// One short HTTP GET to a monitoring port. A SIGSTOPped server accepts the TCP
// connection (kernel backlog) but never answers, so every request has a hard
// overall deadline; no keep-alive, so a restarted server never meets a stale socket.

import { request } from 'node:http';

export type GetResult =
	| { ok: true; status: number; body: string }
	| { ok: false; refused: boolean; timedOut: boolean; error: string };

const MAX_BODY = 4 * 1024 * 1024;

export function httpGet(url: string, timeoutMs: number): Promise<GetResult> {
	return new Promise((resolve) => {
		let settled = false;
		const finish = (r: GetResult) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			resolve(r);
		};
		const req = request(url, { method: 'GET', agent: false, headers: { connection: 'close' } }, (res) => {
			const chunks: Buffer[] = [];
			let size = 0;
			res.on('data', (c: Buffer) => {
				size += c.length;
				if (size > MAX_BODY) req.destroy(new Error(`answer larger than ${MAX_BODY} bytes`));
				else chunks.push(c);
			});
			res.on('error', (err) => finish({ ok: false, refused: false, timedOut: false, error: err.message }));
			res.on('end', () =>
				finish({ ok: true, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
			);
		});
		const timer = setTimeout(() => {
			finish({ ok: false, refused: false, timedOut: true, error: `no answer within ${timeoutMs} ms` });
			req.destroy();
		}, timeoutMs);
		req.on('error', (err: NodeJS.ErrnoException) => {
			const refused = err.code === 'ECONNREFUSED';
			finish({ ok: false, refused, timedOut: false, error: refused ? 'connection refused' : err.message });
		});
		req.end();
	});
}
