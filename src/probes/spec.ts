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

/**
 * How the JetStream consumer probe calls nats.js `consume()`. Absent: natslab's own short pulls
 * (js-consumer.ts CONSUME_EXPIRES_MS). Given: exactly these options, nats.js defaults for the rest
 * (`{}` is a default `consume()`: expires 30 s, idle heartbeat 15 s; docs/nats-behavior.md §14.6).
 */
export interface ConsumeOptions {
	/** Pull request lifetime (ms). */
	expires?: number;
	/** Idle heartbeat the server sends while a pull waits (ms); two missed ones end the pull. */
	idleHeartbeat?: number;
}

export interface ProbeSpec {
	kind: 'core' | 'jetstream';
	/** For `jetstream`: the consumer's `consume()` options. */
	consume?: ConsumeOptions;
	/** Messages per second (core default 50, JetStream default 20). */
	rate?: number;
	options?: ProbeOptions;
}
