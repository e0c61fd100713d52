// Streams and consumers of every account in one server's
// `/jsz?accounts=true&streams=true&consumers=true&config=true` answer. 2.10+
// lists one entry per account (a system account and user accounts each), so a
// stream is known by account and name. The replica lists are read by
// streamFromJsz (monitoring/normalize.ts), one account at a time.

import type { NodeName } from '../base/names.js';
import { streamFromJsz } from '../monitoring/normalize.js';
import type { AssetView } from './types.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObj) : []);

/** Every stream and consumer `viewer` reports, with its replicas as `viewer` sees them. */
export function assetsFromJsz(json: unknown, viewer: NodeName): AssetView[] {
	if (!isObj(json)) return [];
	return list(json.account_details).flatMap((account) => {
		const accountName = typeof account.name === 'string' ? account.name : '';
		return list(account.stream_detail).flatMap((s) => assetsOfStream(accountName, s, viewer));
	});
}

function assetsOfStream(account: string, stream: Json, viewer: NodeName): AssetView[] {
	const name = typeof stream.name === 'string' ? stream.name : null;
	if (name === null) return [];
	const view = clusterView({ name, cluster: stream.cluster }, viewer);
	if (view === null) return [];
	const out: AssetView[] = [{ kind: 'stream', account, stream: name, ...view, viewFrom: viewer }];
	for (const c of list(stream.consumer_detail)) {
		const consumer = typeof c.name === 'string' ? c.name : null;
		if (consumer === null) continue;
		const cv = clusterView({ name: consumer, cluster: c.cluster }, viewer);
		if (cv === null) continue;
		const config = isObj(c.config) ? c.config : undefined;
		const asset: AssetView = { kind: 'consumer', account, stream: name, consumer, ...cv, viewFrom: viewer };
		// Only with config=true does the answer say whether the consumer is durable.
		if (config && typeof config.durable_name !== 'string') asset.ephemeral = true;
		out.push(asset);
	}
	return out;
}

/**
 * Leader and replicas of one Raft group's `cluster` block. A consumer's block has the same shape as a
 * stream's, so both go through streamFromJsz (wrapped as a one-stream answer). A standalone server
 * (no `cluster`) holds its only replica itself.
 */
function clusterView(
	entry: { name: string; cluster: unknown },
	viewer: NodeName,
): Pick<AssetView, 'leader' | 'replicas'> | null {
	if (!isObj(entry.cluster))
		return { leader: viewer, replicas: [{ name: viewer, current: true, lag: 0, offline: false }] };
	const snap = streamFromJsz({ account_details: [{ stream_detail: [entry] }] }, entry.name, viewer);
	if (snap === null) return null;
	const replicas = snap.replicas.map(({ name, current, lag, offline }) => ({ name, current, lag, offline }));
	// A follower lists its peers but not itself: add it (its own state is what it holds).
	if (!replicas.some((r) => r.name === viewer))
		replicas.push({ name: viewer, current: snap.leader === viewer, lag: 0, offline: false });
	return { leader: snap.leader, replicas };
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
