// The streams of a `/jsz?accounts=true&streams=true&consumers=true` answer, one
// home for every reader (`cluster status`, preflight, the lab's pollers). Plain
// /jsz lists no streams on any version. 2.10+ lists one entry per account (a
// system account and user accounts each), so a stream is known by account and name.

import type { NodeName } from '../base/names.js';
import type { StreamSnapshot } from './types.js';

/** The question every stream reader asks (2.9.10, 2.10.27 and 2.15.1 all answer it). */
export const JSZ_STREAMS_PATH = '/jsz?accounts=true&streams=true&consumers=true';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObj) : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export type Replica = StreamSnapshot['replicas'][number];

/** One stream entry of one account, as the answering server lists it. */
export interface JszStream {
	/** The account's name (`$G` without accounts; '' when the answer names none). */
	account: string;
	name: string;
	/** The raw `stream_detail` entry (its `cluster`, `state`, `consumer_detail`, `config`). */
	detail: Json;
}

/** Every stream of every account in the answer, in the server's order. */
export function streamsOfJsz(json: unknown): JszStream[] {
	if (!isObj(json)) return [];
	return list(json.account_details).flatMap((account) => {
		const accountName = str(account.name) ?? '';
		return list(account.stream_detail).flatMap((detail) => {
			const name = str(detail.name);
			return name === null ? [] : [{ account: accountName, name, detail }];
		});
	});
}

/**
 * Leader and replicas of a Raft group's `cluster` block (a stream's and a consumer's have one
 * shape). `replicas` lists every member except the answering server, so when the leader is not
 * listed the answer came from the leader, which is added as current with no lag.
 */
export function raftGroupOf(cluster: unknown): { leader: NodeName | null; replicas: Replica[] } {
	const c = isObj(cluster) ? cluster : {};
	const leader = str(c.leader);
	const listed = list(c.replicas);
	const replicas: Replica[] = [];
	if (leader !== null && !listed.some((r) => r.name === leader)) {
		replicas.push({ name: leader, current: true, lag: 0, offline: false });
	}
	for (const r of listed) {
		const name = str(r.name);
		if (name === null || replicas.some((x) => x.name === name)) continue;
		const replica: Replica = {
			name,
			current: r.current === true,
			lag: num(r.lag) ?? 0,
			offline: r.offline === true,
		};
		const active = num(r.active);
		if (active !== null) replica.active = active;
		replicas.push(replica);
	}
	return { leader, replicas };
}

/** A stream entry as the snapshot the screen, `status` and the lessons read; `viewer` is the answering server. */
export function streamSnapshotOf(s: JszStream, viewer?: NodeName): StreamSnapshot {
	const state = isObj(s.detail.state) ? s.detail.state : {};
	const snap: StreamSnapshot = {
		stream: s.name,
		...raftGroupOf(s.detail.cluster),
		messages: num(state.messages) ?? 0,
		lastSeq: num(state.last_seq) ?? 0,
		consumers: list(s.detail.consumer_detail).map((c) => ({
			name: str(c.name) ?? '',
			leader: str(isObj(c.cluster) ? c.cluster.leader : undefined),
		})),
	};
	if (viewer !== undefined) snap.viewFrom = viewer;
	return snap;
}

/** The stream named `stream` as `viewer` sees it (the first account that holds it); null when it holds none. */
export function streamFromJsz(json: unknown, stream: string, viewer?: NodeName): StreamSnapshot | null {
	const found = streamsOfJsz(json).find((s) => s.name === stream);
	return found ? streamSnapshotOf(found, viewer) : null;
}
