// One connection as a system-account user to a cluster natslab did not start,
// and the $SYS.REQ requests `preflight` and `watch` send over it. A reply's
// `data` is the same JSON as the monitoring endpoint's body, so answers are
// handed on as GetResults and read by the same normalisers. Nothing here
// publishes outside $SYS.REQ.

import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect, credsAuthenticator, type NatsConnection, nkeyAuthenticator } from '@nats-io/transport-node';
import { redactUrl } from '../base/redact.js';
import type { GetResult } from '../monitoring/http.js';

/** How to reach and log in to the cluster (never printed: see redactUrl). */
export interface NatsSource {
	servers: string[];
	user?: string;
	password?: string;
	credsFile?: string;
	/** A file holding an nkey seed (SU…). */
	nkeyFile?: string;
	/** CA certificate for a TLS server. */
	tlsCa?: string;
}

export type SysReply = {
	server?: { name?: string; id?: string; cluster?: string; ver?: string };
	data?: Record<string, unknown>;
	error?: { code?: number; description?: string };
};

/** A secrets file that others may read: the warning ssh gives for a private key (null when private). */
export function credsWarning(file: string, command = 'preflight'): string | null {
	const mode = statSync(file).mode & 0o777;
	if ((mode & 0o077) === 0) return null;
	return `${command}: warning: ${file} can be read by others (mode ${mode.toString(8).padStart(3, '0')}): chmod 600 it`;
}

/**
 * Connects; rejects with a one-line Error that names no secret. `reconnect` (watch): keep
 * reconnecting, to the other servers the cluster advertised, when the one it is on goes.
 */
export async function connectSystem(
	src: NatsSource,
	name: string,
	timeoutMs: number,
	reconnect = false,
): Promise<NatsConnection> {
	const where = src.servers.map(redactUrl).join(',');
	try {
		const seed = src.nkeyFile ? (await readFile(src.nkeyFile, 'utf8')).trim() : null;
		return await connect({
			servers: src.servers,
			name,
			timeout: timeoutMs,
			reconnect,
			...(reconnect ? { maxReconnectAttempts: -1, reconnectTimeWait: 500 } : {}),
			...(src.user !== undefined ? { user: src.user, pass: src.password } : {}),
			...(src.credsFile ? { authenticator: credsAuthenticator(await readFile(src.credsFile)) } : {}),
			...(seed ? { authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)) } : {}),
			...(src.tlsCa ? { tls: { caFile: src.tlsCa } } : {}),
		});
	} catch (err) {
		const why = (err as Error).message.split('\n')[0] ?? String(err);
		throw new Error(`could not connect to ${where}: ${why}`, { cause: err });
	}
}

/**
 * `$SYS.REQ.SERVER.PING.<what>`: every server's reply within `timeoutMs`, by server name. With
 * `stallMs` it ends once no further reply came for that long (watch asks again every few seconds,
 * so a late server is found next time; preflight waits the whole time).
 */
export async function pingAll(
	nc: NatsConnection,
	what: string,
	body: object,
	timeoutMs: number,
	stallMs?: number,
): Promise<Map<string, SysReply>> {
	const out = new Map<string, SysReply>();
	const subject = `$SYS.REQ.SERVER.PING.${what}`;
	const replies = await nc.requestMany(
		subject,
		JSON.stringify(body),
		stallMs === undefined
			? { strategy: 'timer', maxWait: timeoutMs }
			: { strategy: 'stall', stall: stallMs, maxWait: timeoutMs },
	);
	for await (const m of replies) {
		try {
			const r = m.json<SysReply>();
			if (typeof r.server?.name === 'string') out.set(r.server.name, r);
		} catch {
			// Not a server's reply: ignore.
		}
	}
	return out;
}

/** `$SYS.REQ.SERVER.<id>.<what>`: one server's answer as a GetResult (never rejects). */
export async function askServer(
	nc: NatsConnection,
	serverId: string,
	what: string,
	body: object,
	timeoutMs: number,
): Promise<GetResult> {
	try {
		const m = await nc.request(`$SYS.REQ.SERVER.${serverId}.${what}`, JSON.stringify(body), {
			timeout: timeoutMs,
		});
		const reply = m.json<SysReply>();
		return what === 'HEALTHZ' ? asHealthz(reply) : asGet(reply);
	} catch (err) {
		const text = (err as Error).message;
		const timedOut = /timeout/i.test(text);
		const why = timedOut ? 'timeout' : /no responders/i.test(text) ? 'no responders' : text.split(/[\n:]/)[0];
		return { ok: false, refused: !timedOut, timedOut, error: `no reply over NATS (${why})` };
	}
}

export function asGet(r: SysReply | undefined): GetResult {
	if (!r) return { ok: false, refused: false, timedOut: true, error: 'no reply over NATS' };
	if (r.error)
		return { ok: true, status: r.error.code ?? 500, body: JSON.stringify({ error: r.error.description }) };
	return { ok: true, status: 200, body: JSON.stringify(r.data ?? {}) };
}

/** HEALTHZ replies carry the status in the data (`status_code` on 2.10+), not in an HTTP status. */
export function asHealthz(r: SysReply | undefined): GetResult {
	const got = asGet(r);
	if (!got.ok || !r?.data) return got;
	const code =
		typeof r.data.status_code === 'number' ? r.data.status_code : r.data.status === 'ok' ? 200 : 503;
	return { ...got, status: code };
}
