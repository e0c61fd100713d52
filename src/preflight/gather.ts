// Reads every server's monitoring endpoints for preflight: /varz (name,
// version), /jsz with accounts, streams, consumers and config (every account's
// streams and consumers with their replicas), /healthz (and
// /healthz?js-meta-only=true on 2.11+), /routez. Never throws: a server that
// cannot be read is an answer with `error`.

import { redactUrl } from '../base/redact.js';
import { jszFacts, STATUS_JSZ_PATH } from '../cluster/status.js';
import { type GetResult, jsonOrText, monitoringGet } from '../monitoring/http.js';
import { normalizeHealthz, normalizeRoutez, normalizeVarz } from '../monitoring/normalize.js';
import { assetsFromJsz } from './assets.js';
import { hasMetaOnlyHealthz } from './reach.js';
import type { ServerAnswers } from './types.js';

/** `config=true` says which consumers are durable. */
export const PREFLIGHT_JSZ_PATH = `${STATUS_JSZ_PATH}&config=true`;
/**
 * The same question as a $SYS.REQ.SERVER.PING.JSZ request body. The body's field is `consumer`
 * (JSzOptions), not the URL's `consumers`: with `consumers` the reply holds no consumer at all
 * (measured on 2.10.27).
 */
export const PREFLIGHT_JSZ_OPTIONS = { accounts: true, streams: true, consumer: true, config: true };

export async function gatherAll(urls: string[], timeoutMs: number): Promise<ServerAnswers[]> {
	return Promise.all(urls.map((u) => gatherOne(u, timeoutMs)));
}

/** The raw answers of one server's endpoints (null: not asked). */
export interface RawAnswers {
	varz: GetResult;
	jsz?: GetResult;
	healthz?: GetResult;
	routez?: GetResult;
	metaHealthz?: GetResult | null;
}

export async function gatherOne(rawUrl: string, timeoutMs: number): Promise<ServerAnswers> {
	const base = rawUrl.replace(/\/+$/, '');
	const get = (path: string) => monitoringGet(`${base}${path}`, timeoutMs);
	const varz = await get('/varz');
	const first = readAnswers(rawUrl, { varz });
	if (first.name === null) return first;
	const [jsz, healthz, routez, metaHealthz] = await Promise.all([
		get(PREFLIGHT_JSZ_PATH),
		get('/healthz'),
		get('/routez'),
		hasMetaOnlyHealthz(first.version) ? get('/healthz?js-meta-only=true') : Promise.resolve(null),
	]);
	return readAnswers(rawUrl, { varz, jsz, healthz, routez, metaHealthz });
}

/** One server's answers, normalised (pure: the unit tests feed it recorded bodies). */
export function readAnswers(rawUrl: string, raw: RawAnswers): ServerAnswers {
	const url = redactUrl(rawUrl);
	const out: ServerAnswers = { url, name: null, version: null, assets: [] };
	const { varz, jsz, healthz, routez, metaHealthz } = raw;
	if (!varz.ok) return { ...out, error: varz.error };
	if (varz.status !== 200) return { ...out, error: `/varz answered HTTP ${varz.status}` };
	try {
		const v = normalizeVarz(jsonOrText(varz.body));
		out.version = v.version;
		out.name = v.serverName || v.serverId || url;
	} catch (err) {
		return { ...out, error: (err as Error).message };
	}
	const name = out.name as string;
	if (jsz?.ok && jsz.status === 200) {
		const json = jsonOrText(jsz.body);
		try {
			const facts = jszFacts(name, json);
			if (facts.jsz) out.jsz = facts.jsz;
			out.assets = assetsFromJsz(json, name);
		} catch {
			// Not a /jsz answer (JetStream off answers differently): no meta view from this server.
		}
	}
	if (healthz?.ok) out.healthz = normalizeHealthz(healthz.status, healthz.body);
	if (metaHealthz?.ok) out.metaHealthz = normalizeHealthz(metaHealthz.status, metaHealthz.body);
	if (routez?.ok && routez.status === 200) {
		try {
			out.routePeers = normalizeRoutez(jsonOrText(routez.body)).peers;
		} catch {
			// Leave routes unknown.
		}
	}
	const failed = [jsz, healthz, routez, metaHealthz].find((r) => r != null && !r.ok);
	if (failed && !failed.ok) out.error = failed.error;
	return out;
}
