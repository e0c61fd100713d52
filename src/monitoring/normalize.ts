// Raw monitoring JSON (shapes differ across 2.9 / 2.10 / 2.15) → the small
// normalised snapshots in ./types.ts. Samples: test/fixtures/samples/<version>.
// A body that is not the expected shape throws an Error with a one-line reason;
// the poller turns that into an `ok: false` PollEvent.

import type { NodeName } from '../base/names.js';
import type {
	HealthzSnapshot,
	JszSnapshot,
	RaftzGroup,
	RaftzSnapshot,
	RoutezSnapshot,
	VarzSnapshot,
} from './types.js';

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const obj = (v: unknown): Json => (isObj(v) ? v : {});
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObj) : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function expectObject(json: unknown, endpoint: string): Json {
	if (!isObj(json)) throw new Error(`unexpected /${endpoint} answer: not a JSON object`);
	return json;
}

export function normalizeVarz(json: unknown): VarzSnapshot {
	const v = expectObject(json, 'varz');
	const version = str(v.version);
	if (version === null) throw new Error('unexpected /varz answer: no version');
	const snap: VarzSnapshot = {
		version,
		serverName: str(v.server_name) ?? '',
		uptime: str(v.uptime) ?? '',
		connections: num(v.connections) ?? 0,
	};
	const id = str(v.server_id);
	if (id) snap.serverId = id;
	return snap;
}

/**
 * One row per route *connection* (2.10+ keeps a pool of 3 plus one for `$SYS`: 4 per peer, 2.9.10 one).
 * Peers are deduplicated by `remote_name` (2.10+); 2.9.10 has only `remote_id`, which `idToName`
 * (server_id → server_name, from /varz) translates; an unknown id is kept as the id.
 */
export function normalizeRoutez(json: unknown, idToName: Record<string, NodeName> = {}): RoutezSnapshot {
	const r = expectObject(json, 'routez');
	const rows = list(r.routes);
	const byName = new Map<NodeName, string>();
	for (const row of rows) {
		const id = str(row.remote_id);
		const name = str(row.remote_name) ?? (id ? (idToName[id] ?? id) : null);
		if (name !== null && !byName.has(name)) byName.set(name, id ?? '');
	}
	// The server lists routes in no stable order: sort, so that only real changes look like changes.
	const peers = [...byName.keys()].sort();
	const peerIds = peers.map((p) => byName.get(p) ?? '').filter((id) => id !== '');
	return { peers, connections: num(r.num_routes) ?? rows.length, peerIds };
}

/** Accepts /jsz with or without `accounts=true…`; followers on 2.9.10/2.10.27 list no meta replicas. */
/** `meta_cluster.leader` of a /jsz answer: absent while there is no meta leader; null for any other body. */
export function metaLeaderOf(json: unknown): NodeName | null {
	return str(obj(obj(json).meta_cluster).leader);
}

export function normalizeJsz(json: unknown): JszSnapshot {
	const j = expectObject(json, 'jsz');
	const meta = obj(j.meta_cluster);
	return {
		metaLeader: metaLeaderOf(j),
		clusterSize: num(meta.cluster_size),
		replicas: list(meta.replicas).map((r) => ({
			name: str(r.name) ?? '',
			current: r.current === true,
			offline: r.offline === true,
		})),
		quorumNeeded: num(meta.quorum_needed),
	};
}

/** 200 `{"status":"ok"}`, 503 `{"status":"unavailable","error":"…"}`, or any other status/body. */
export function normalizeHealthz(status: number, body: string): HealthzSnapshot {
	let parsed: Json = {};
	try {
		parsed = obj(JSON.parse(body));
	} catch {
		// not JSON (e.g. "404 page not found")
	}
	const ok = status === 200 && (parsed.status === undefined || parsed.status === 'ok');
	const snap: HealthzSnapshot = { status, ok };
	const error = str(parsed.error) ?? (ok ? null : body.trim() || null);
	if (error !== null) snap.error = error;
	return snap;
}

/**
 * /raftz (2.10.17+): `{ account: { group: {state, leader (peer id), term, size, quorum_needed, peers} } }`.
 * The leader id is translated to a server name through the group's `peers`, or `selfName` when the
 * answering server leads the group itself.
 */
export function normalizeRaftz(json: unknown, selfName?: NodeName): RaftzSnapshot {
	const accounts = expectObject(json, 'raftz');
	const groups: RaftzGroup[] = [];
	for (const [account, byGroup] of Object.entries(accounts)) {
		for (const [group, raw] of Object.entries(obj(byGroup))) {
			const g = obj(raw);
			const entry: RaftzGroup = { account, group, state: str(g.state) ?? 'UNKNOWN' };
			const leaderId = str(g.leader);
			if (leaderId) {
				const peerName = str(obj(obj(g.peers)[leaderId]).name);
				entry.leader = peerName ?? (leaderId === str(g.id) && selfName ? selfName : leaderId);
			}
			const term = num(g.term);
			if (term !== null) entry.term = term;
			const size = num(g.size);
			if (size !== null) entry.size = size;
			const q = num(g.quorum_needed);
			if (q !== null) entry.quorumNeeded = q;
			groups.push(entry);
		}
	}
	return { groups };
}

// Streams of a /jsz answer: ./jsz-streams.ts (re-exported for the normalisers' readers).
export { streamFromJsz } from './jsz-streams.js';
