// The contract between the engine (cluster + observers + probes, wired in ./lab.ts)
// and its users: the Ink screen, the lesson engine, the rehearsal and the CLI.
// Users read LabState and ask for actions; they never spawn, fetch or poll.

import type { ActionSource, NodeAction, NodeName, NodePorts } from '../base/names.js';
import type { Watchable } from '../base/wait.js';
import type { PairStatus } from '../cluster/links/pairs.js';
import type { LinkOp } from '../cluster/links/table.js';
import type { CoreReachResult, LabEvent, VerifyResult } from '../observe/events.js';
import type { LabState } from '../observe/state.js';
import type { ProbeSpec } from '../probes/spec.js';

/** What `createLab` reports while it sets up: binaries, nodes, the first meta leader. */
export type SetupEvent =
	| {
			type: 'binary';
			version: string;
			phase: 'cached' | 'downloading' | 'verifying' | 'ready';
			progress?: { received: number; total: number | null; bytesPerSec: number; source: string };
	  }
	| { type: 'notice'; text: string }
	| { type: 'node'; node: NodeName; phase: 'starting' | 'up' | 'failed'; detail?: string }
	| { type: 'metaLeader'; node: NodeName };

/**
 * natslab's own check of a fresh cluster's first meta leader when it runs behind the screen
 * (createLab's `upWhen: 'running'`): the header says "electing a meta leader…" while no server names one.
 */
export type LabElection = { phase: 'electing' } | { phase: 'elected' } | { phase: 'failed'; error: string };

/**
 * How the probes a Lab was created with are coming up. They start behind the dashboard
 * (createLab resolves once the cluster has a meta leader): first the lab stream the
 * JetStream probes need, then the probes' connections.
 */
export type ProbeStartup =
	| { phase: 'none' }
	| { phase: 'stream' }
	| { phase: 'starting' }
	| { phase: 'running' }
	| { phase: 'failed'; error: string };

/** Waitable with base/wait.ts's waitFor (the lesson engine and the rehearsal do). */
export interface Lab extends Watchable<LabState> {
	/** Current state; a new object after every change (immutable updates). */
	getState(): LabState;
	/** Called (batched) whenever the state changes. Returns an unsubscribe function. */
	subscribe(listener: (state: LabState) => void): () => void;
	/** Feed an event in (used by the engine itself and by lessons for notes). */
	emit(event: LabEvent): void;
	/** Perform a node operation; resolves when the signal was sent / process spawned. */
	act(action: NodeAction, by: ActionSource): Promise<void>;
	/**
	 * Resolves once the probes asked for at creation run (at once when there were none); rejects with
	 * why they could not start. The lab keeps running either way. Optional for test doubles.
	 */
	probesReady?(): Promise<void>;
	/** Where that start is (the clients panel shows it until the probes run). */
	probeStartup?: Watchable<ProbeStartup>;
	/**
	 * The start's last part when createLab resolved before it (`upWhen: 'running'`): the servers'
	 * first meta leader election. `done()` rejects with why the start failed (no meta leader in
	 * 30 s), the lab shut down by then. Absent when createLab waited for the election.
	 */
	election?: Watchable<LabElection> & { done(): Promise<void> };
	/** Start client probes (idempotent per kind). */
	startProbes(specs: ProbeSpec[]): Promise<void>;
	stopProbes(): Promise<void>;
	/**
	 * Asks the servers to move a consumer's leadership to another replica (a JetStream consumer
	 * leader stepdown). Resolves when a server accepted it; who leads next shows in the state.
	 * Optional for test doubles.
	 */
	stepDownConsumerLeader?(stream: string, consumer: string): Promise<void>;
	/**
	 * Cut, delay or heal links in the pair proxies of a lab created with `links: 'proxied'`
	 * (a one-line UserError otherwise); the timeline gets a note. Resolves with every pair's
	 * state. Optional for test doubles.
	 */
	changeLinks?(op: LinkOp, by: ActionSource): Promise<PairStatus[]>;
	/** Every pair proxy's state; null when the servers route directly. Optional for test doubles. */
	linkStatus?(): Promise<PairStatus[] | null>;
	/** The same, kept up to date for the screen (null until known, and for direct links). */
	linkState?: Watchable<PairStatus[] | null>;
	/** Runs the JetStream verifier ("acked 1520, stored 1520, lost 0"). */
	verify(): Promise<VerifyResult | null>;
	/**
	 * natslab's core reach check (probes/core-reach.ts): a client on `from` publishes, one subscriber on
	 * each running node counts what reached it; the state keeps the result. Optional for test doubles.
	 */
	checkCoreReach?(from: NodeName): Promise<CoreReachResult>;
	ports(node: NodeName): NodePorts;
	clientUrls(): string[];
	/** Versions involved (initial, and the upgrade target for `u`). */
	versions: { initial: string; upgradeTo: string | null };
	/**
	 * Set when this lab cannot act on a cluster (a replay, a watched cluster): a short label of what
	 * it is ("replay"). The screen then offers no node keys; act() and friends may reject.
	 */
	readOnly?: string;
	/** A watch's own link to its cluster while it is not up ("natslab not connected for 12s — …"), else null. */
	connectionProblem?: Watchable<string | null>;
	/** Stop probes, pollers and every server. Safe to call twice. */
	shutdown(): Promise<void>;
	/**
	 * Stop probes and pollers but leave the servers running, owned by the workspace's run file
	 * (a normal `natslab cluster up` cluster afterwards). Only for labs created with `detached: true`.
	 */
	release(): Promise<void>;
}
