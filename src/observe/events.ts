// Every fact natslab learns arrives as one of these events. The reducer in
// ./reducer.ts folds them into LabState. Events are past-tense facts and keep
// their raw evidence (the log line, or the endpoint and the field).

import type { ActionSource, NodeAction, NodeName, ProcessEvent } from '../base/names.js';
import type {
	HealthzSnapshot,
	JszSnapshot,
	PollEndpoint,
	RaftzSnapshot,
	RoutezSnapshot,
	StreamSnapshot,
	VarzSnapshot,
} from '../monitoring/types.js';

/** Where a piece of knowledge came from, so the screen can show why. */
export type Evidence =
	| { source: 'log'; node: NodeName; line: string }
	| { source: 'endpoint'; node: NodeName; endpoint: PollEndpoint; detail?: string }
	| { source: 'process'; node: NodeName; detail: string }
	| { source: 'client'; probe: string; detail: string }
	| { source: 'action'; detail: string };

export type LogLevel = 'INF' | 'WRN' | 'ERR' | 'DBG' | 'TRC' | 'FTL';

/**
 * A nats-server log line turned into a typed fact. The parser (./log-parser.ts) owns the
 * exact shapes; every variant has `type`. Unknown lines become `{type: 'Plain'}`.
 */
export type ParsedLog =
	| { type: 'ServerStarting'; version?: string }
	| { type: 'ServerVersion'; version: string }
	| { type: 'ServerReady' }
	| { type: 'ClientListening'; address: string }
	| { type: 'RouteListening'; address: string }
	| { type: 'MonitorListening'; address: string }
	| { type: 'JetStreamStarting' }
	| { type: 'JetStreamClusterStarting' }
	| { type: 'JetStreamBootstrapping' }
	| { type: 'JetStreamRecovering' }
	| { type: 'RouteCreated'; remote: string; rid: number }
	| { type: 'RouteClosed'; remote: string; rid: number; reason: string; remoteName?: string }
	| { type: 'RouteConnectFailed'; target: string; attempt: number; error: string }
	| { type: 'RouteError'; remote: string; rid: number; error: string }
	| { type: 'MixedVersionRouteError'; remote: string; rid: number; account: string }
	| { type: 'WaitingForRouting' }
	| { type: 'MetaLeaderContactMissing' }
	| { type: 'MetaLeaderElected'; leader: 'self' | NodeName; cluster?: string }
	| { type: 'NoMetaLeader' }
	| { type: 'StreamLeaderElected'; account: string; stream: string }
	| { type: 'ConsumerLeaderElected'; account: string; stream: string; consumer: string }
	| { type: 'StreamQuorumLost'; account: string; stream: string }
	| { type: 'ConsumerQuorumLost'; account: string; stream: string; consumer: string }
	| { type: 'StreamCatchupComplete'; account: string; stream: string }
	| { type: 'LameDuckEntered' }
	| { type: 'JetStreamShutdownStarted' }
	| { type: 'JetStreamShutdown' }
	| { type: 'ClosingClients' }
	| { type: 'ShutdownStarted' }
	| { type: 'ServerExiting' }
	| { type: 'SignalTrapped'; signal: string }
	| { type: 'HealthcheckFailed'; error: string }
	| { type: 'ConfigError'; message: string }
	// Additions found in the real logs (see test/fixtures/logs):
	/** Start banner: `  Name:     n1`, `  Node:     fjFyEjc1` (Raft peer id), `  ID:       NB…`, `  Cluster:  lab`. */
	| { type: 'ServerIdentity'; field: 'name' | 'node' | 'id' | 'cluster'; value: string }
	/** 2.15.1: `Took 13.139572ms to start JetStream`. */
	| { type: 'JetStreamStarted'; tookMs: number }
	/** Restart with data: `  Restored 1,000 messages for stream '$G > ORDERS' in 1ms`. */
	| { type: 'StreamRestored'; account: string; stream: string; messages: number }
	/** `[FTL]` lines: a start-up failure such as `Error listening on port: …: bind: address already in use`. */
	| { type: 'Fatal'; message: string }
	/** Debug level (`-D`) only: `RAFT [fjFyEjc1 - _meta_] Switching to leader`. */
	| { type: 'RaftStateChanged'; peer: string; group: string; state: 'candidate' | 'leader' | 'follower' }
	| { type: 'Plain' };

export interface LogLineEvent {
	kind: 'log';
	node: NodeName;
	/** ms since epoch, from the line's own timestamp when it has one. */
	at: number;
	level: LogLevel | null;
	pid: number | null;
	raw: string;
	parsed: ParsedLog;
}

export type PollData =
	| { endpoint: 'varz'; data: VarzSnapshot }
	| { endpoint: 'routez'; data: RoutezSnapshot }
	| { endpoint: 'jsz'; data: JszSnapshot }
	| { endpoint: 'healthz'; data: HealthzSnapshot }
	| { endpoint: 'raftz'; data: RaftzSnapshot }
	| { endpoint: 'stream'; data: StreamSnapshot };

export type PollEvent =
	| ({ kind: 'poll'; node: NodeName; at: number; ok: true } & PollData)
	| { kind: 'poll'; node: NodeName; at: number; ok: false; endpoint: PollEndpoint; error: string };

/** Client status as reported by nats.js v3 `nc.status()`, plus probe lifecycle. */
export type ClientStatusType =
	| 'connecting'
	| 'connected'
	| 'disconnect'
	| 'reconnecting'
	| 'reconnect'
	| 'ldm'
	| 'update'
	| 'staleConnection'
	| 'error'
	| 'close'
	| 'ping'
	| 'forceReconnect'
	| 'slowConsumer';

export type ProbeKind = 'core-pub' | 'core-sub' | 'js-pub' | 'js-consumer';

export type JsFailureKind = 'timeout' | 'noResponders' | 'unavailable' | 'other';

export type ClientEvent =
	| {
			kind: 'client';
			probe: string;
			probeKind: ProbeKind;
			at: number;
			type: 'status';
			status: ClientStatusType;
			/** host:port the status refers to, when nats.js gives one. */
			server?: string;
			detail?: string;
			/**
			 * On connect/reconnect: the client URLs the server advertised in its INFO (`connect_urls`),
			 * i.e. how a client learns the other servers of the cluster.
			 */
			connectUrls?: string[];
	  }
	| {
			kind: 'client';
			probe: string;
			probeKind: ProbeKind;
			at: number;
			type: 'counters';
			counters: ProbeCounters;
	  }
	| {
			kind: 'client';
			probe: string;
			probeKind: ProbeKind;
			at: number;
			type: 'jsFailure';
			failure: JsFailureKind;
			message: string;
	  }
	| {
			kind: 'client';
			probe: string;
			probeKind: ProbeKind;
			at: number;
			type: 'verified';
			result: VerifyResult;
	  };

/** The message counts of one probe, cumulative since it started (kept in the state and the report too). */
export interface MessageCounts {
	sent: number;
	received: number;
	lost: number;
	duplicated: number;
	acked: number;
	failed: Record<JsFailureKind, number>;
	retried: number;
}

export function noMessages(): MessageCounts {
	return {
		sent: 0,
		received: 0,
		lost: 0,
		duplicated: 0,
		acked: 0,
		failed: { timeout: 0, noResponders: 0, unavailable: 0, other: 0 },
		retried: 0,
	};
}

/**
 * Which message numbers a receiving probe has seen: every number in [lowest, highest] except the
 * `missing` ranges (closed intervals, ascending). With the publisher's `sent` at two moments this
 * counts a window by message number (docs/measurements.md), so a late arrival of an older message
 * is not counted as received in the window, nor an old gap as lost in it.
 */
export interface SeenNumbers {
	lowest: number;
	highest: number;
	missing: [number, number][];
	/**
	 * Missed while the receiver moved servers: the gap its first message after a reconnect opened
	 * (published while it was disconnected, in flight to the server it left, or before its new server
	 * learned its interest); not in `missing`. Absent from receivers that did not tell.
	 */
	away?: [number, number][];
	/** True when older missing ranges were left out (only the newest are kept); below the first kept one nothing is known. */
	truncated?: boolean;
}

/** Counters a probe reports (cumulative since the probe started). */
export interface ProbeCounters extends MessageCounts {
	/** Receiving probes: which numbers arrived (optional: added for windowed core counts). */
	seen?: SeenNumbers;
	/** Longest time between two successful acks (JetStream) or two received messages (core). */
	maxGapMs: number;
	/** Messages per second over the last interval, for the sparkline. */
	rate: number;
}

export interface VerifyResult {
	acked: number;
	stored: number;
	/** Acked sequences missing from the stream: must be 0. */
	ackedMissing: number;
	/** Publishes that failed with a timeout yet are in the stream (msgID found). */
	timedOutButStored: number;
	// Optional (added later): the verdict per msgID (the `Nats-Msg-Id` the publisher sets).
	/** Acked msgIDs the stream holds exactly once. */
	ackedStoredOnce?: number;
	/** Acked msgIDs stored once, but at another sequence than the ack named. */
	storedAtOtherSeq?: number;
	/** msgIDs the stream holds more than once (acked or not): a server behaviour, not a loss. */
	storedMoreThanOnce?: number;
	/** The first of them, with every sequence holding the msgID. */
	duplicates?: StoredMoreThanOnce[];
	/** The first acked msgIDs the stream does not hold (ackedMissing counts them all). */
	missing?: { msgId: string; seq: number }[];
	/** msgIDs never acked (every attempt failed) that the stream holds anyway. */
	storedUnacked?: number;
	/** msgIDs never acked and not in the stream. */
	unackedNotStored?: number;
	/** msgIDs the publisher gave up after its server answered "in process" for too long (js-publisher.ts). */
	givenUp?: number;
	/** Of those, the ones the stream holds anyway (their proposal committed after all). */
	givenUpStored?: number;
}

/** One msgID found at several stream sequences: its retries (or a resend after the duplicate window) were stored again. */
export interface StoredMoreThanOnce {
	msgId: string;
	/** Every sequence holding the msgID, ascending. */
	seqs: number[];
	/** The sequence the ack named; null when no attempt was acked. */
	ackSeq: number | null;
}

/**
 * natslab's own core NATS reach check (probes/core-reach.ts): a client on `from` published `sent`
 * numbered messages (each up to `rounds` times); each node's subscriber counts the distinct ones it got.
 */
export interface CoreReachResult {
	from: NodeName;
	subject: string;
	sent: number;
	/** Publishes in all rounds together. */
	published: number;
	rounds: number;
	/** From the first connect to the last count. */
	tookMs: number;
	/** Distinct messages each node's subscriber got; null: natslab had no client there (see `noClient`). */
	received: Record<NodeName, number | null>;
	/** Why a node took no client (not running, refused). */
	noClient?: Record<NodeName, string>;
}

/** A core reach check finished (natslab's own clients, not a server's word). */
export interface CoreReachEvent {
	kind: 'core-reach';
	at: number;
	result: CoreReachResult;
}

/** A command that was issued (by a learner key, a lesson step, the rehearsal or the CLI). */
export interface ActionEvent {
	kind: 'action';
	at: number;
	by: ActionSource;
	action: NodeAction;
}

/** Free-form note for the timeline (lesson started, rehearsal gate passed...). */
export interface NoteEvent {
	kind: 'note';
	at: number;
	text: string;
	node?: NodeName;
}

export type LabEvent =
	| LogLineEvent
	| ProcessEvent
	| PollEvent
	| ClientEvent
	| ActionEvent
	| NoteEvent
	| CoreReachEvent;
