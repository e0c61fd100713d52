// What `natslab preflight` reads from each server and what it concludes. The
// decision (decide.ts) is a pure function of these answers, so it is tested on
// real recorded JSON without a server.

import type { NodeName } from '../base/names.js';
import type { HealthzSnapshot, JszSnapshot } from '../monitoring/types.js';

/** One replica of a Raft group (stream, consumer) as one server reports it. */
export interface ReplicaView {
	name: NodeName;
	current: boolean;
	lag: number;
	offline: boolean;
}

/** A stream or a consumer as one server sees it; only its leader's view knows the others' state. */
export interface AssetView {
	kind: 'stream' | 'consumer';
	account: string;
	stream: string;
	/** Set for consumers. */
	consumer?: string;
	leader: NodeName | null;
	/** Every replica including the leader (streamFromJsz adds a self-leading viewer). */
	replicas: ReplicaView[];
	/** The server whose answer this is. */
	viewFrom: NodeName;
	/** A consumer without a durable name: its client makes a new one when it is lost. */
	ephemeral?: boolean;
}

/** Everything one monitoring URL answered (or why it did not). */
export interface ServerAnswers {
	/** The monitoring URL as given, with any user:password removed. */
	url: string;
	/** `server_name` from /varz; null when the server did not answer. */
	name: NodeName | null;
	version: string | null;
	/** Why the server could not be read (one line). */
	error?: string;
	jsz?: JszSnapshot;
	assets: AssetView[];
	healthz?: HealthzSnapshot;
	/** `/healthz?js-meta-only=true`, asked of 2.11+ only. */
	metaHealthz?: HealthzSnapshot;
	/** Peer names from /routez; undefined when it was not read. */
	routePeers?: NodeName[];
}

/** Why a server may not be taken down now: which asset, which replica, how far behind. */
export interface Reason {
	/** "meta group", "stream APP > ORDERS", "consumer APP > ORDERS > C1", "server n2". */
	asset: string;
	replica?: NodeName;
	lag?: number;
	text: string;
}

export type Verdict =
	| { outcome: 'safe'; target: string; notes: string[]; checked: Checked }
	| { outcome: 'not-safe'; target: string; reasons: Reason[]; unknown: string[]; notes: string[] }
	| { outcome: 'unknown'; target: string; unknown: string[]; notes: string[] };

export interface Checked {
	servers: number;
	/** Streams and consumers with a replica on the target. */
	streams: number;
	consumers: number;
}

/** Exit codes of preflight (issue #16): 0 safe, 1 not safe, 2 could not tell (also bad usage). */
export const PREFLIGHT_EXIT = { safe: 0, 'not-safe': 1, unknown: 2 } as const;
