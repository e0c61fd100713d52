// The NATS path of preflight: one connection as a system-account user asks
// every server at once ($SYS.REQ.SERVER.PING.VARZ / JSZ / HEALTHZ / ROUTEZ) and
// each reply's `data` is read exactly like the same monitoring endpoint's body
// (readAnswers). A server that does not reply is added as silent, by the names
// the meta leader and the stream leaders list, so it counts as down.

import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect, credsAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { redactUrl } from '../base/redact.js';
import type { GetResult } from '../monitoring/http.js';
import { PREFLIGHT_JSZ_OPTIONS, readAnswers } from './gather.js';
import { hasMetaOnlyHealthz } from './reach.js';
import type { ServerAnswers } from './types.js';

export interface NatsSource {
	servers: string[];
	user?: string;
	password?: string;
	credsFile?: string;
}

type Reply = {
	server?: { name?: string };
	data?: Record<string, unknown>;
	error?: { code?: number; description?: string };
};

/** A creds file that others may read: the warning ssh gives for a private key (null when private). */
export function credsWarning(file: string): string | null {
	const mode = statSync(file).mode & 0o777;
	if ((mode & 0o077) === 0) return null;
	return `preflight: warning: ${file} can be read by others (mode ${mode.toString(8).padStart(3, '0')}): chmod 600 it`;
}

/** Connects, asks, closes. Rejects with a one-line Error (no secrets) when it cannot connect. */
export async function gatherOverNats(src: NatsSource, timeoutMs: number): Promise<ServerAnswers[]> {
	const nc = await connectTo(src, timeoutMs);
	try {
		const ping = (what: string, body: object) => pingAll(nc, what, body, timeoutMs);
		const [varz, jsz, healthz, routez, metaHealthz] = await Promise.all([
			ping('VARZ', {}),
			ping('JSZ', PREFLIGHT_JSZ_OPTIONS),
			ping('HEALTHZ', {}),
			ping('ROUTEZ', {}),
			ping('HEALTHZ', { 'js-meta-only': true }),
		]);
		const answers = [...varz.entries()].map(([name, v]) =>
			readAnswers(`nats ${name}`, {
				varz: asGet(v),
				jsz: asGet(jsz.get(name)),
				healthz: asHealthz(healthz.get(name)),
				routez: asGet(routez.get(name)),
				metaHealthz: hasMetaOnlyHealthz(String(v.data?.version ?? ''))
					? asHealthz(metaHealthz.get(name))
					: null,
			}),
		);
		return [...answers, ...silentOnes(answers)];
	} finally {
		await nc.close().catch(() => {});
	}
}

async function connectTo(src: NatsSource, timeoutMs: number): Promise<NatsConnection> {
	const where = src.servers.map(redactUrl).join(',');
	try {
		return await connect({
			servers: src.servers,
			name: 'natslab preflight',
			timeout: timeoutMs,
			reconnect: false,
			...(src.user !== undefined ? { user: src.user, pass: src.password } : {}),
			...(src.credsFile ? { authenticator: credsAuthenticator(await readFile(src.credsFile)) } : {}),
		});
	} catch (err) {
		const why = (err as Error).message.split('\n')[0] ?? String(err);
		throw new Error(`could not connect to ${where}: ${why}`, { cause: err });
	}
}

async function pingAll(
	nc: NatsConnection,
	what: string,
	body: object,
	timeoutMs: number,
): Promise<Map<string, Reply>> {
	const out = new Map<string, Reply>();
	const replies = await nc.requestMany(`$SYS.REQ.SERVER.PING.${what}`, JSON.stringify(body), {
		strategy: 'timer',
		maxWait: timeoutMs,
	});
	for await (const m of replies) {
		try {
			const r = m.json<Reply>();
			if (typeof r.server?.name === 'string') out.set(r.server.name, r);
		} catch {
			// Not a server's reply: ignore.
		}
	}
	return out;
}

function asGet(r: Reply | undefined): GetResult {
	if (!r) return { ok: false, refused: false, timedOut: true, error: 'no reply over NATS' };
	if (r.error)
		return { ok: true, status: r.error.code ?? 500, body: JSON.stringify({ error: r.error.description }) };
	return { ok: true, status: 200, body: JSON.stringify(r.data ?? {}) };
}

/** HEALTHZ replies carry the status in the data (`status_code` on 2.10+), not in an HTTP status. */
function asHealthz(r: Reply | undefined): GetResult {
	const got = asGet(r);
	if (!got.ok || !r?.data) return got;
	const code =
		typeof r.data.status_code === 'number' ? r.data.status_code : r.data.status === 'ok' ? 200 : 503;
	return { ...got, status: code };
}

/** Servers the meta leader or a stream's leader lists that did not reply: silent, so counted as down. */
function silentOnes(answers: ServerAnswers[]): ServerAnswers[] {
	const replied = new Set(answers.map((a) => a.name));
	const listed = new Set<string>();
	for (const a of answers) {
		for (const r of a.jsz?.replicas ?? []) listed.add(r.name);
		for (const asset of a.assets) for (const r of asset.replicas) listed.add(r.name);
	}
	return [...listed]
		.filter((n) => !replied.has(n))
		.sort()
		.map((name) => ({ url: name, name: null, version: null, assets: [], error: 'did not reply over NATS' }));
}
