// The one HTTP client for monitoring ports (/varz /routez /jsz /healthz /raftz),
// used by the cluster layer (readiness, `status`) and the pollers.
// - Keep-alive, one connection per monitoring port: polling every 250 ms with a
//   new connection per request would park a TIME_WAIT socket per poll.
// - A hard overall deadline per request: a SIGSTOPped server accepts the TCP
//   connection (kernel backlog) but never answers; the deadline destroys the
//   request and its socket, so a frozen server's connection is never reused.
// - A kept-alive socket can be closed by a restarting server just as a request
//   goes out on it (ECONNRESET on a reused socket): that request is sent once
//   more on a fresh connection, as Node's documentation advises.
// - Plain node:http, cheaper to start than fetch.

import { Agent, request } from 'node:http';

export type GetResult =
	| { ok: true; status: number; body: string }
	| { ok: false; refused: boolean; timedOut: boolean; error: string };

const MAX_BODY = 4 * 1024 * 1024;

const agent = new Agent({ keepAlive: true, maxSockets: 1, maxFreeSockets: 1 });

/** GET `url`; never rejects: a refused, reset or silent server is an `ok: false` result. */
export function monitoringGet(url: string, timeoutMs: number): Promise<GetResult> {
	return new Promise((resolve) => {
		const deadline = Date.now() + timeoutMs;
		let settled = false;
		const finish = (r: GetResult) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			resolve(r);
		};
		const timer = setTimeout(() => {
			finish({ ok: false, refused: false, timedOut: true, error: `no answer within ${timeoutMs} ms` });
			current.destroy();
		}, timeoutMs);
		const send = (retried: boolean): ReturnType<typeof request> => {
			const req = request(url, { method: 'GET', agent }, (res) => {
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
			req.on('error', (err: NodeJS.ErrnoException) => {
				if (settled) return;
				if (!retried && req.reusedSocket && err.code === 'ECONNRESET' && Date.now() < deadline) {
					current = send(true);
					return;
				}
				const refused = err.code === 'ECONNREFUSED';
				finish({ ok: false, refused, timedOut: false, error: refused ? 'connection refused' : err.message });
			});
			req.end();
			return req;
		};
		let current = send(false);
	});
}

export interface JsonAnswer {
	status: number;
	/** Parsed JSON, or the raw text when the body is not JSON (e.g. "filtered response: not leader"). */
	body: unknown;
}

/** GET and parse JSON; rejects with the one-line reason when the server could not be read. */
export async function monitoringGetJson(url: string, timeoutMs = 1000): Promise<JsonAnswer> {
	const res = await monitoringGet(url, timeoutMs);
	if (!res.ok) throw new Error(`${url}: ${res.error}`);
	return { status: res.status, body: jsonOrText(res.body) };
}

/** Parsed JSON, or the text itself when it is not JSON (a normaliser then says what is wrong). */
export function jsonOrText(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}
