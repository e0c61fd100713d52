// Vocabulary of a rehearsal: what the engineer asked for, what each upgrade
// step measured, and the report computed from it. Kept apart from the runner so
// the report and the gates stay pure and unit-testable.

import type { NodeName } from '../base/names.js';
import type { DiagnosisNote } from '../observe/diagnoses.js';
import type {
	JsFailureKind,
	LogLevel,
	MessageCounts,
	ProbeKind,
	StoredMoreThanOnce,
	VerifyResult,
} from '../observe/events.js';
import type { ProcessState } from '../observe/state.js';

export type Strategy = 'lame-duck' | 'restart' | 'kill';
export const STRATEGIES: readonly Strategy[] = ['lame-duck', 'restart', 'kill'];

export type Order = 'followers-first' | 'as-listed';

/** How a node is taken down before its new binary starts. */
export type StopSignal = 'ldm' | 'SIGTERM' | 'SIGKILL';

export const STOP_SIGNAL: Record<Strategy, StopSignal> = {
	'lame-duck': 'ldm',
	restart: 'SIGTERM',
	kill: 'SIGKILL',
};

export interface GateSettings {
	/** /healthz must have stayed ok this long (2.10+ can answer 200 too early after a restart). */
	stableMs: number;
	/** Longest wait for one node to pass every gate after it was started again. */
	gateTimeoutMs: number;
	/** Longest wait for the old process to exit after the stop signal (lame duck takes ~6 s here). */
	exitTimeoutMs: number;
}

export const DEFAULT_GATES: GateSettings = { stableMs: 3_000, gateTimeoutMs: 90_000, exitTimeoutMs: 60_000 };

export type GateName = 'exit' | 'start' | 'mesh' | 'metaLeader' | 'replicaCurrent' | 'healthy';

export const GATE_LABEL: Record<GateName, string> = {
	exit: 'old process exit',
	start: 'start on the new version',
	mesh: 'back in the mesh',
	metaLeader: 'sees the meta leader',
	replicaCurrent: 'stream replica current',
	healthy: 'healthy',
};

/** What one upgrade step measured. Times are ms since the epoch (null: not reached). */
export interface StepRecord {
	node: NodeName;
	fromVersion: string | null;
	toVersion: string;
	signal: StopSignal;
	/** The node led the meta group when its step began. */
	wasMetaLeader: boolean;
	oldPid: number | null;
	actionAt: number;
	exitedAt: number | null;
	exit: { code: number | null; signal: string | null } | null;
	spawnedAt: number | null;
	newPid: number | null;
	meshAt: number | null;
	metaLeaderAt: number | null;
	replicaCurrentAt: number | null;
	/** Start of the /healthz ok streak that the gate accepted. */
	healthySince: number | null;
	/** When every gate held, /healthz included for `stableMs`. */
	passedAt: number | null;
	/** /healthz went from ok back to failing after the restart (the early false 200). */
	healthFlaps: number;
	leaderChanges: { meta: number; streams: number; consumers: number };
	metaLeaderlessMs: number;
	streamLeaderlessMs: number;
	clientDisconnects: number;
	/** `diagnoses`: server conditions named when the gate gave up (a one-way route, a stuck replica). */
	failure: { gate: GateName; reason: string; diagnoses?: DiagnosisNote[] } | null;
}

export interface NodeReport {
	node: NodeName;
	initialVersion: string | null;
	/** Version the node runs at the end; null when it runs nothing (see finalProcess). */
	finalVersion: string | null;
	finalProcess: ProcessState | null;
	upgraded: boolean;
	step: number | null;
	signal: StopSignal | null;
	wasMetaLeader: boolean;
	/** Stop signal → old process gone. */
	stopMs: number | null;
	exit: { code: number | null; signal: string | null } | null;
	/** Old process gone → new process spawned. */
	downMs: number | null;
	/** The following are measured from the new process's spawn. */
	meshMs: number | null;
	metaLeaderMs: number | null;
	replicaCurrentMs: number | null;
	healthyMs: number | null;
	gatePassedMs: number | null;
	healthFlaps: number;
	leaderChanges: { meta: number; streams: number; consumers: number };
	metaLeaderlessMs: number;
	streamLeaderlessMs: number;
	clientDisconnects: number;
	failure: string | null;
}

export interface ClientReport extends MessageCounts {
	id: string;
	kind: ProbeKind;
	disconnects: number;
	/** Lame duck notices the client got from its server (nats.js `ldm` status). */
	ldmNotices: number;
	reconnectGapMaxMs: number | null;
	reconnectGapMedianMs: number | null;
}

export interface WarningReport {
	level: LogLevel;
	text: string;
	count: number;
	example: string;
	/** What is known about this line (from measured runs), when it is a known one. */
	note?: string;
}

/** One of the user's streams (rehearse --streams): its shape, its load, and what the verifier found. */
export interface UserStreamReport {
	name: string;
	replicas: number;
	storage: string;
	consumers: { name: string; kind: 'pull' | 'push'; ackPolicy: string; filter: string }[];
	/** Messages per second the rehearsal published, and their payload size. */
	rate: number;
	sizeBytes: number;
	published: number;
	acked: number;
	failed: Record<JsFailureKind, number>;
	retried: number;
	disconnects: number;
	reconnectGapMaxMs: number | null;
	/** Acked messages below the stream's first sequence: removed by its own limits or retention, not lost. */
	removedByStream: number;
	verify: VerifyResult | null;
	/** Why the stream could not be verified (the verdict is then fail). */
	error: string | null;
}

/** A nats-server binary the rehearsal ran, as natslab's cache recorded it. */
export interface BinaryFacts {
	version: string;
	source: string;
	origin: string | null;
	sha256: string;
}

/** What ran: enough to reproduce the rehearsal, or to see how it differs from production. */
export interface RunFacts {
	natslabVersion: string;
	nodeCount: number;
	binaries: BinaryFacts[];
	/**
	 * The lame duck settings the servers ran. `from` 'varz': read back from /varz; 'config': these
	 * versions' /varz does not show them, so the value is the one in the config file natslab wrote.
	 */
	lameDuck: { duration: string; gracePeriod: string; from: 'varz' | 'config' } | null;
	/** Settings from --config applied to every node, and the user's keys natslab replaced with its own. */
	config: { file: string; applied: Record<string, string | number | boolean>; overridden: string[] } | null;
	/** What the servers report for the --config settings they show in /varz (max_payload, ping_interval …). */
	varzChecks: { key: string; expected: string; running: string; ok: boolean }[];
	streamsFile: string | null;
	/** Fields of --streams the rehearsal did not reproduce (JSON paths). */
	unsupportedFields: string[];
	load: { rate: number; sizeBytes: number } | null;
	clientOptions: Record<string, number | boolean> | null;
}

export interface RehearsalReport {
	schema: 'natslab.rehearsal/1';
	verdict: 'pass' | 'fail';
	/** One line each; empty when the verdict is pass. */
	reasons: string[];
	from: string;
	to: string;
	strategy: Strategy;
	order: Order;
	startedAt: string;
	totalMs: number;
	/** First stop signal → last gate passed. */
	upgradeMs: number | null;
	nodes: NodeReport[];
	clients: ClientReport[];
	jetstream: {
		verified: boolean;
		/** Acked by the server (from the verifier, else the publisher's own count). */
		acked: number;
		/** null when the verifier gave no answer (the verdict is then fail). */
		stored: number | null;
		ackedMissing: number | null;
		timedOutButStored: number | null;
		/** msgIDs the stream holds more than once (a server behaviour, not a loss); null when not verified. */
		storedMoreThanOnce?: number | null;
		/** The first of them, with every sequence holding the msgID. */
		duplicates?: StoredMoreThanOnce[];
		/** The first acked msgIDs the stream does not hold, with the sequence their ack named. */
		missing?: { msgId: string; seq: number }[];
		published: number;
		publishFailed: Record<JsFailureKind, number>;
		retried: number;
	};
	core: { sent: number; received: number; lost: number; duplicated: number };
	warnings: WarningReport[];
	/**
	 * Server conditions named when a step failed (observe/diagnoses.ts): a measured server
	 * behaviour such as the 2.9 ↔ 2.10 one-way route, not a natslab fault; empty when none.
	 */
	diagnoses?: DiagnosisNote[];
	/** What ran (natslab and server versions, sizes, settings, streams and load). */
	ran?: RunFacts;
	/** The user's streams (rehearse --streams); empty without one. */
	userStreams?: UserStreamReport[];
	/** Client-visible degradation during a run that may still pass ("4.5 s without a meta leader"). */
	degraded?: string[];
}

export interface ComparisonReport {
	schema: 'natslab.rehearsal-compare/1';
	verdict: 'pass' | 'fail';
	runs: RehearsalReport[];
}
