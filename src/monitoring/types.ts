// Monitoring answers (/varz /routez /jsz /healthz /raftz) normalised into one shape:
// the raw JSON differs across 2.9 / 2.10 / 2.15. Below both the cluster layer
// (readiness, status) and observe (pollers, reducer).

import type { NodeName } from '../base/names.js';

export type PollEndpoint = 'varz' | 'routez' | 'jsz' | 'healthz' | 'raftz' | 'stream';

/** Normalised monitoring snapshots (raw JSON shapes differ across 2.9 / 2.10 / 2.15). */
export interface VarzSnapshot {
	version: string;
	serverName: string;
	uptime: string;
	connections: number;
	/** `server_id`; 2.9.10's /routez names peers only by this id. */
	serverId?: string;
}
export interface RoutezSnapshot {
	/** Peer server names, deduplicated (2.10+ opens up to 4 connections per peer). */
	peers: NodeName[];
	connections: number;
	/** Peer server ids (`remote_id`), deduplicated, in the order of `peers`. */
	peerIds?: string[];
}
export interface JszSnapshot {
	/** Name of the meta leader this node knows of, or null when it knows none. */
	metaLeader: NodeName | null;
	clusterSize: number | null;
	/** Meta group members as this node sees them (2.9.10 lists none on followers). */
	replicas: { name: NodeName; current: boolean; offline: boolean }[];
	quorumNeeded: number | null;
}
export interface HealthzSnapshot {
	/** HTTP status code. */
	status: number;
	ok: boolean;
	/** The server's own error text, e.g. "JetStream has not established contact with a meta leader". */
	error?: string;
}
export interface RaftzGroup {
	account: string;
	group: string;
	state: string;
	leader?: string;
	term?: number;
	size?: number;
	quorumNeeded?: number;
}
export interface RaftzSnapshot {
	groups: RaftzGroup[];
}
export interface StreamSnapshot {
	stream: string;
	leader: NodeName | null;
	messages: number;
	lastSeq: number;
	/**
	 * Every replica including the leader. Only the leader's own view knows whether the others are
	 * current (a follower lists its peers as `current:false, active:0`), so see `viewFrom`.
	 */
	replicas: { name: NodeName; current: boolean; lag: number; offline: boolean; active?: number }[];
	/** The node whose /jsz answer this snapshot was taken from (normally the stream leader itself). */
	viewFrom?: NodeName;
	/** The stream's consumers and their Raft leaders, from the same answer. */
	consumers?: { name: string; leader: NodeName | null }[];
}
