// What a caller asks of the probes: which kind, how fast, and the nats.js
// connection options to try (lessons vary them to show their effect).

export interface ProbeOptions {
	reconnectTimeWait?: number;
	/** Extra random 0..N ms on each reconnect wait (nats.js default 100). */
	reconnectJitter?: number;
	maxReconnectAttempts?: number;
	pingInterval?: number;
	maxPingOut?: number;
	ignoreClusterUpdates?: boolean;
	waitOnFirstConnect?: boolean;
	timeout?: number;
}

export interface ProbeSpec {
	kind: 'core' | 'jetstream';
	/** Messages per second (core default 50, JetStream default 20). */
	rate?: number;
	options?: ProbeOptions;
}
