// `natslab watch --once`: one snapshot of a cluster for scripts (like
// `nats server report jetstream`): every server with the meta leader it names,
// the leader the answering servers agree on, and every stream and consumer with
// its leader and replicas as its leader reports them. Built from the same
// answers preflight reads (preflight/gather.ts, nats-source.ts); URLs are
// already redacted there.

import type { NodeName } from '../base/names.js';
import { agreedMetaLeader } from '../monitoring/meta-leader.js';
import { isLeadersOwnView } from '../monitoring/raft-group.js';
import type { AssetView, ServerAnswers } from '../preflight/types.js';

export interface SnapshotServer {
	name: NodeName | null;
	/** The monitoring URL as given (redacted), or "nats <name>". */
	url: string;
	version: string | null;
	/** The meta leader this server names (null: none, or it did not answer /jsz). */
	metaLeader: NodeName | null;
	healthz: { ok: boolean; status: number; error?: string } | null;
	routes: NodeName[] | null;
	error?: string;
}

/** A stream or consumer as its leader reports it (preflight's AssetView: `viewFrom` is whose answer). */
export type SnapshotAsset = AssetView;

export interface WatchSnapshot {
	at: string;
	servers: SnapshotServer[];
	/** The meta leader every answering server names (null: none, or they disagree). */
	metaLeader: NodeName | null;
	streams: SnapshotAsset[];
	consumers: SnapshotAsset[];
}

export function snapshotOf(answers: ServerAnswers[], at: Date = new Date()): WatchSnapshot {
	const servers = answers.map(serverOf);
	const answered = servers.filter(
		(s): s is SnapshotServer & { name: NodeName } => s.name !== null && !s.error,
	);
	const metaLeader = agreedMetaLeader(
		answered.map((s) => ({ node: s.name, metaLeader: s.metaLeader })),
		answered.map((s) => s.name),
	);
	const assets = leadersViews(answers.flatMap((a) => a.assets));
	return {
		at: at.toISOString(),
		servers,
		metaLeader,
		streams: assets.filter((a) => a.kind === 'stream'),
		consumers: assets.filter((a) => a.kind === 'consumer'),
	};
}

function serverOf(a: ServerAnswers): SnapshotServer {
	const out: SnapshotServer = {
		name: a.name,
		url: a.url,
		version: a.version,
		metaLeader: a.jsz?.metaLeader ?? null,
		healthz: a.healthz ?? null,
		routes: a.routePeers ?? null,
	};
	if (a.error) out.error = a.error;
	return out;
}

/** One view per stream or consumer: its leader's own when there, else the first server's. */
function leadersViews(views: AssetView[]): SnapshotAsset[] {
	const byKey = new Map<string, AssetView>();
	for (const v of views) {
		const key = `${v.kind}|${v.account}|${v.stream}|${v.consumer ?? ''}`;
		const had = byKey.get(key);
		if (!had || (!isLeadersOwnView(had.leader, had.viewFrom) && isLeadersOwnView(v.leader, v.viewFrom)))
			byKey.set(key, v);
	}
	return [...byKey.values()].sort((a, b) =>
		`${a.account}|${a.stream}|${a.consumer ?? ''}`.localeCompare(
			`${b.account}|${b.stream}|${b.consumer ?? ''}`,
		),
	);
}

/** The snapshot as lines for a terminal. */
export function snapshotText(s: WatchSnapshot): string {
	const lines = [`meta leader: ${s.metaLeader ?? '(none agreed)'}`, 'servers:'];
	for (const v of s.servers) {
		if (v.error || v.name === null) {
			lines.push(`  ${v.name ?? v.url}  ✗ ${v.error ?? 'no answer'}`);
			continue;
		}
		const health = v.healthz ? (v.healthz.ok ? 'healthz ok' : `healthz ${v.healthz.status}`) : 'healthz ?';
		lines.push(`  ${v.name}  v${v.version ?? '?'}  names meta leader ${v.metaLeader ?? '(none)'}  ${health}`);
	}
	for (const [title, list] of [
		['streams', s.streams],
		['consumers', s.consumers],
	] as const) {
		if (list.length === 0) continue;
		lines.push(`${title}:`);
		for (const a of list) {
			const name = `${a.account} > ${a.stream}${a.consumer ? ` > ${a.consumer}` : ''}`;
			const replicas = a.replicas
				.map(
					(r) =>
						`${r.name}${r.name === a.leader ? '★' : r.offline ? ' offline' : r.current ? '' : ` lag ${r.lag}`}`,
				)
				.join(' ');
			lines.push(`  ${name}  leader ${a.leader ?? '(none)'}  replicas ${replicas}`);
		}
	}
	return `${lines.join('\n')}\n`;
}
