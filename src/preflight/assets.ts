// Streams and consumers of every account in one server's
// `/jsz?accounts=true&streams=true&consumers=true&config=true` answer: the
// streams as streamsOfJsz lists them (monitoring/jsz-streams.ts, per account),
// each Raft group's leader and replicas as raftGroupOf reads them.

import type { NodeName } from '../base/names.js';
import { type JszStream, raftGroupOf, streamsOfJsz } from '../monitoring/jsz-streams.js';
import type { AssetView } from './types.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObj) : []);

/** Every stream and consumer `viewer` reports, with its replicas as `viewer` sees them. */
export function assetsFromJsz(json: unknown, viewer: NodeName): AssetView[] {
	return streamsOfJsz(json).flatMap((s) => assetsOfStream(s, viewer));
}

function assetsOfStream({ account, name, detail }: JszStream, viewer: NodeName): AssetView[] {
	const out: AssetView[] = [
		{ kind: 'stream', account, stream: name, ...groupView(detail.cluster, viewer), viewFrom: viewer },
	];
	for (const c of list(detail.consumer_detail)) {
		const consumer = typeof c.name === 'string' ? c.name : null;
		if (consumer === null) continue;
		const cv = groupView(c.cluster, viewer);
		const config = isObj(c.config) ? c.config : undefined;
		const asset: AssetView = { kind: 'consumer', account, stream: name, consumer, ...cv, viewFrom: viewer };
		// Only with config=true does the answer say whether the consumer is durable.
		if (config && typeof config.durable_name !== 'string') asset.ephemeral = true;
		out.push(asset);
	}
	return out;
}

/**
 * Leader and replicas of one Raft group (stream or consumer) as `viewer` sees it. A standalone
 * server (no `cluster` block) holds its only replica itself.
 */
function groupView(cluster: unknown, viewer: NodeName): Pick<AssetView, 'leader' | 'replicas'> {
	if (!isObj(cluster))
		return { leader: viewer, replicas: [{ name: viewer, current: true, lag: 0, offline: false }] };
	const group = raftGroupOf(cluster);
	const replicas = group.replicas.map(({ name, current, lag, offline }) => ({ name, current, lag, offline }));
	// A follower lists its peers but not itself: add it (its own state is what it holds).
	if (!replicas.some((r) => r.name === viewer))
		replicas.push({ name: viewer, current: group.leader === viewer, lag: 0, offline: false });
	return { leader: group.leader, replicas };
}

/** `stream APP > ORDERS`, `consumer APP > ORDERS > C1` (the account is left out when it is the default $G). */
export function assetLabel(a: Pick<AssetView, 'kind' | 'account' | 'stream' | 'consumer'>): string {
	const path = [a.account === '$G' || a.account === '' ? null : a.account, a.stream, a.consumer ?? null];
	return `${a.kind} ${path.filter((p) => p !== null).join(' > ')}`;
}

/** One key per asset across servers. */
export function assetKey(a: Pick<AssetView, 'kind' | 'account' | 'stream' | 'consumer'>): string {
	return JSON.stringify([a.kind, a.account, a.stream, a.consumer ?? null]);
}
