// The NATS path of preflight: one connection as a system-account user asks
// every server at once ($SYS.REQ.SERVER.PING.VARZ / JSZ / HEALTHZ / ROUTEZ) and
// each reply's `data` is read exactly like the same monitoring endpoint's body
// (readAnswers). A server that does not reply is added as silent, by the names
// the meta leader and the stream leaders list, so it counts as down.

import { asGet, asHealthz, connectSystem, type NatsSource, pingAll } from '../remote/nats.js';
import { PREFLIGHT_JSZ_OPTIONS, readAnswers } from './gather.js';
import { hasMetaOnlyHealthz } from './reach.js';
import type { ServerAnswers } from './types.js';

export { credsWarning, type NatsSource } from '../remote/nats.js';

/** Connects, asks, closes. Rejects with a one-line Error (no secrets) when it cannot connect. */
export async function gatherOverNats(
	src: NatsSource,
	timeoutMs: number,
	/** How the connection is named on the servers (/connz): the command asking. */
	clientName = 'natslab preflight',
): Promise<ServerAnswers[]> {
	const nc = await connectSystem(src, clientName, timeoutMs);
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
