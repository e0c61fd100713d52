// The shared vocabulary every layer may use: node names, ports, the operations
// that the screen, the lessons and the rehearsal can ask for, and what a process did.

/** Node names are fixed by the course: n1, n2, n3. Kept as string so tests can use other sizes. */
export type NodeName = string;

export const DEFAULT_NODES: readonly NodeName[] = ['n1', 'n2', 'n3'];
export const CLUSTER_NAME = 'lab';

/** The JetStream stream and durable consumer every JetStream lesson and the rehearsal use (R3). */
export const LAB_STREAM = 'ORDERS';
export const LAB_CONSUMER = 'C1';

/** Ports of one node. Every listener binds to 127.0.0.1 only. */
export interface NodePorts {
	client: number;
	cluster: number;
	http: number;
}

/** Defaults: client 14222-14224, cluster 16222-16224, monitoring 18222-18224. */
export const DEFAULT_BASE_PORT = 14222;

/**
 * What can be done to a node. `ldm` is lame duck mode (`nats-server --signal ldm=<pid>`),
 * `pause`/`resume` are SIGSTOP/SIGCONT (a hung node), `upgrade` stops the node and starts it
 * again on the same config and store with another binary version.
 */
export type NodeOp = 'start' | 'stop' | 'kill' | 'ldm' | 'pause' | 'resume' | 'restart' | 'upgrade';

export interface NodeAction {
	op: NodeOp;
	node: NodeName;
	/** For `upgrade`: the version to switch to. */
	toVersion?: string;
}

/** Who asked for an action; shown in the timeline. */
export type ActionSource = 'learner' | 'lesson' | 'rehearse' | 'cli' | 'sandbox';

/** What a node's process did, as natslab saw it (spawn, exit, signal). */
export type ProcessEvent =
	| { kind: 'process'; node: NodeName; at: number; type: 'spawned'; pid: number; version: string }
	| {
			kind: 'process';
			node: NodeName;
			at: number;
			type: 'exited';
			pid: number;
			code: number | null;
			signal: string | null;
	  }
	| {
			kind: 'process';
			node: NodeName;
			at: number;
			type: 'signalled';
			pid: number;
			signal: 'SIGTERM' | 'SIGKILL' | 'SIGSTOP' | 'SIGCONT' | 'ldm';
	  }
	| { kind: 'process'; node: NodeName; at: number; type: 'spawnFailed'; error: string }
	/** Optional: the client port accepts connections (the `Server is ready` log line says the same). */
	| { kind: 'process'; node: NodeName; at: number; type: 'ready'; pid: number };
