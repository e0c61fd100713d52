// The one picture of the lab that everything reads: the screen, the lesson
// conditions and the rehearsal report. Built only by the reducer from LabEvents.

import type { NodeName } from '../base/names.js';
import type { JszSnapshot, RaftzGroup } from '../monitoring/types.js';
import type {
	CoreReachResult,
	Evidence,
	LogLevel,
	ProbeCounters,
	ProbeKind,
	VerifyResult,
} from './events.js';

export type ProcessState =
	| 'starting' // spawned, client port not ready yet
	| 'up'
	| 'lameDuck'
	| 'paused' // SIGSTOP: hung, not dead
	| 'stopping' // SIGTERM/SIGKILL sent, not exited yet
	| 'down' // never started, or stopped and reaped
	| 'exited'; // exited on its own or by a signal; see `exit`

export interface NodeState {
	name: NodeName;
	version: string | null;
	pid: number | null;
	process: ProcessState;
	/** `asked`: natslab asked for this stop (SIGTERM, or lame duck) before the process exited. */
	exit: { code: number | null; signal: string | null; at: number; asked?: 'SIGTERM' | 'ldm' } | null;
	/** When `process` last changed. */
	since: number;
	/** Peers this node has a route to, by server name (from /routez, corrected by route log lines). */
	peers: NodeName[];
	routeConnections: number;
	/** True when this node is the JetStream meta leader. */
	isMetaLeader: boolean;
	/** Who this node says leads the meta group (null: none known). */
	seesMetaLeader: NodeName | null;
	/** Streams and consumers whose Raft leader this node is ("ORDERS", "ORDERS > C1"). */
	leads: { streams: string[]; consumers: string[] };
	health: { ok: boolean; status: number; error?: string; since: number } | null;
	clients: number | null;
	jetstream: 'off' | 'starting' | 'up' | 'shutdown';
	/** `server_id` from /varz or the start banner (maps 2.9.10 /routez peers to names). */
	serverId?: string | null;
	/** Why the last start failed (`[FTL]` line, `nats-server: t.conf:12:3: unknown field "pool_size"`, spawn error). */
	lastError?: string | null;
	/** When the current process entered lame duck mode (survives a SIGSTOP/SIGCONT). */
	lameDuckSince?: number | null;
	/** Raft groups as this node's /raftz reports them (2.10.17+ only). */
	raft?: RaftzGroup[] | null;
	/** When /routez of the current process first answered; until then `peers` is unknown, not empty. */
	routesSeenAt?: number | null;
	/** This process's own last /jsz `meta_cluster` answer and when it came (null until it answers; see meta-view.ts). */
	metaView?: (JszSnapshot & { at: number }) | null;
}

export interface StreamReplicaState {
	name: NodeName;
	current: boolean;
	lag: number;
	offline: boolean;
}

export interface StreamState {
	name: string;
	leader: NodeName | null;
	leaderSince: number | null;
	/** The leader before the current one (or before the gap): "leader n1 → n3". */
	previousLeader?: NodeName | null;
	replicas: StreamReplicaState[];
	messages: number;
	lastSeq?: number;
	/** Node whose /jsz view the replicas came from (see StreamSnapshot.viewFrom). */
	viewFrom?: NodeName | null;
	/** Log said `has NO quorum, stalled` and no leader has been elected since. */
	noQuorum: boolean;
}

export interface ConsumerState {
	/** "ORDERS > C1" */
	name: string;
	leader: NodeName | null;
	leaderSince: number | null;
	previousLeader?: NodeName | null;
	noQuorum: boolean;
}

export interface MetaState {
	leader: NodeName | null;
	/** When the current leader (or the lack of one) began. */
	since: number;
	evidence: Evidence | null;
	/** The leader before the current one (or before the current gap), for "meta leader n3 → n2 (19 ms)". */
	previous?: NodeName | null;
	/** Members reachable (process up and routed to the others), out of size; `needed` = floor(size/2)+1. */
	quorum: { reachable: number; size: number; needed: number; ok: boolean };
	/** The meta leader as the running servers' own /jsz answers name it (observe/meta-view.ts). */
	servers?: ServersMetaState;
}

export interface ServersMetaState {
	/** `metaViewKey` of the servers' view: the agreed leader ("n3"), the majority's leader while others disagree, "split" without one, "none" or "unknown". */
	view: string;
	/** When that view began. */
	since: number;
	/** A leader the servers still named when natslab saw its process go; cleared once none names it. */
	departed?: { node: NodeName; at: number; how: 'killed' | 'stopped' | 'paused' | 'exited' } | null;
}

export interface TimelineEntry {
	at: number;
	node?: NodeName;
	probe?: string;
	/** Short, human text: "meta leader n3 → n2". */
	text: string;
	kind: 'process' | 'route' | 'leader' | 'quorum' | 'health' | 'client' | 'action' | 'note' | 'lameDuck';
	evidence: Evidence;
}

export interface LogEntry {
	id: number;
	node: NodeName;
	at: number;
	level: LogLevel | null;
	raw: string;
	/** Set when this line caused a timeline transition (the screen highlights it). */
	transition: boolean;
}

export interface ProbeState extends Omit<ProbeCounters, 'rate'> {
	id: string;
	kind: ProbeKind;
	/** Node the client is connected to (derived from the host:port it reports). */
	node: NodeName | null;
	server: string | null;
	state: 'connecting' | 'connected' | 'reconnecting' | 'closed' | 'error';
	lastError: string | null;
	/** Reconnect gaps (disconnect → reconnect) in ms, oldest first. */
	gaps: number[];
	disconnectedAt: number | null;
	lastEvent: { type: string; at: number; server?: string } | null;
	ldmSeen: number;
	/** Recent rates (msgs/s), newest last, for the sparkline. */
	rates: number[];
	verified: VerifyResult | null;
	/** Start of the current run of JetStream failures (null once an ack arrives again). */
	failingSince?: number | null;
	/** `acked` when that run started, to see the next successful ack in the counters. */
	ackedAtFailure?: number;
	/** When runs of JetStream failures ended: the counters report showing the first ack again (oldest first, the last few kept). */
	ackedAgainAt?: number[];
	/** Client URLs the server advertised to this client (INFO `connect_urls`) at its last (re)connect. */
	connectUrls?: string[];
}

export interface ClusterState {
	name: string;
	order: NodeName[];
	nodes: Record<NodeName, NodeState>;
	meta: MetaState;
	streams: Record<string, StreamState>;
	consumers: Record<string, ConsumerState>;
	/** Route state per node pair ("n1|n2", names sorted) once known; used to report routes up/down once per pair. */
	routes?: Record<string, 'up' | 'down'>;
}

export interface ClientState {
	probes: Record<string, ProbeState>;
	order: string[];
}

export interface LabState {
	/** Time of the newest event folded in: the reducer never reads the clock. */
	now: number;
	/** Maps host:port to node name, so client events can be attributed ("127.0.0.1:14223" → "n2"). */
	addressBook: Record<string, NodeName>;
	cluster: ClusterState;
	clients: ClientState;
	/** Newest last; bounded. */
	timeline: TimelineEntry[];
	/** Newest last; bounded ring of recent log lines across nodes. */
	logs: LogEntry[];
	/** Counts of WRN/ERR lines by normalised text, for reports. */
	warnings: Record<string, { level: LogLevel; count: number; example: string }>;
	nextLogId: number;
	/** natslab's core reach checks (probes/core-reach.ts), newest last; absent until the first. */
	coreReach?: CoreReachCheck[];
}

/** A core reach check's result and when it finished. */
export type CoreReachCheck = CoreReachResult & { at: number };
