// The few monitoring reads the cluster layer needs by itself (readiness, the
// meta leader, `status`). The observe layer has its own, richer pollers.
import { Agent, request } from 'node:http';
import { connect } from 'node:net';

/**
 * True when 127.0.0.1:port accepts a TCP connection. The probe is closed with a reset, not a
 * FIN, so it leaves no TIME_WAIT socket behind: polling every few ms would otherwise park
 * hundreds of local ports for a minute, and a parked port cannot be bound by a server.
 */
export function tcpAccepts(port: number, timeoutMs = 500): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({ host: '127.0.0.1', port });
		const done = (ok: boolean) => {
			if (ok) socket.resetAndDestroy();
			else socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(timeoutMs, () => done(false));
		socket.once('connect', () => done(true));
		socket.once('error', () => done(false));
	});
}

export interface HttpAnswer {
	status: number;
	/** Parsed JSON, or the raw text when the body is not JSON (e.g. "filtered response: not leader"). */
	body: unknown;
}

/** One kept-alive connection per monitoring port instead of a new one (and a TIME_WAIT) per poll. */
const agent = new Agent({ keepAlive: true, maxSockets: 1, maxFreeSockets: 1 });

/** GET over plain node:http (cheaper to start than fetch); rejects on network errors and timeouts. */
export function httpGet(url: string, timeoutMs = 1000): Promise<HttpAnswer> {
	return new Promise((resolve, reject) => {
		const req = request(url, { method: 'GET', agent, timeout: timeoutMs }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('error', reject);
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let body: unknown = text;
				try {
					body = JSON.parse(text);
				} catch {
					// not JSON: keep the text
				}
				resolve({ status: res.statusCode ?? 0, body });
			});
		});
		req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${url}`)));
		req.on('error', reject);
		req.end();
	});
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** `meta_cluster.leader` of a /jsz answer (absent while there is no meta leader). */
export function metaLeaderOf(jsz: unknown): string | null {
	return str(obj(obj(jsz).meta_cluster).leader);
}

/** One node's meta leader as its /jsz reports it; null when unknown or unreachable. */
export async function metaLeaderAt(httpUrl: string, timeoutMs = 1000): Promise<string | null> {
	try {
		const answer = await httpGet(`${httpUrl}/jsz`, timeoutMs);
		return answer.status === 200 ? metaLeaderOf(answer.body) : null;
	} catch {
		return null;
	}
}
