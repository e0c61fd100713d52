// JetStream consumer probe: reads ORDERS through the durable pull consumer C1 and
// acks every message. With nats.js defaults consume() stalls silently for 30-45 s
// after a consumer-leader change (docs/nats-behavior.md §14.6), so a short `expires`
// is used unless the spec asks for other `consume()` options (lesson 11 shows the
// default's stall); the stall that remains is what `maxGapMs` shows.
import { type ConsumerMessages, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { LAB_CONSUMER, LAB_STREAM } from '../base/names.js';
import { describeJsError } from './classify.js';
import { ProbeConnection } from './connection.js';
import { JS_REQUEST_TIMEOUT_MS } from './lab-stream.js';
import type { ProbeOut } from './out.js';
import type { Probe } from './probe.js';
import { ReceivedCounts } from './received.js';
import type { ConsumeOptions, ProbeOptions } from './spec.js';
import { Sleeper } from './timing.js';

/** Pull request lifetime: after a leader change the next pull (and recovery) comes at most this late. */
export const CONSUME_EXPIRES_MS = 5000;

export class JsConsumer implements Probe {
	readonly id = 'js-consumer' as const;
	private readonly conn: ProbeConnection;
	private readonly sleeper = new Sleeper();
	/** Tracks stream sequences: a repeat is a redelivery. */
	private readonly counts = new ReceivedCounts();
	private messages: ConsumerMessages | null = null;
	private acked = 0;

	constructor(
		private readonly out: ProbeOut,
		servers: string[],
		options: ProbeOptions,
		/** Given: `consume()` with exactly these (nats.js defaults for the rest); else short pulls. */
		private readonly consumeOptions?: ConsumeOptions,
	) {
		this.conn = new ProbeConnection(out, servers, options);
		this.conn.onClosed(() => this.halt());
	}

	start(): Promise<void> {
		return this.conn.runInBackground((nc) => this.run(nc));
	}

	private async run(nc: NatsConnection): Promise<void> {
		const js = jetstream(nc, { timeout: JS_REQUEST_TIMEOUT_MS });
		let last = '';
		while (this.conn.running(nc)) {
			try {
				const consumer = await js.consumers.get(LAB_STREAM, LAB_CONSUMER);
				const messages = await consumer.consume(this.pullOptions());
				this.messages = messages;
				if (!this.conn.running(nc)) messages.stop();
				last = '';
				for await (const m of messages) {
					this.counts.receive(m.seq, this.out.now());
					try {
						m.ack();
						this.acked++;
					} catch {
						// connection closed under us; the loop ends next
					}
				}
			} catch (err) {
				if (!this.conn.running(nc)) break;
				// Consumer not there yet (the publisher creates it) or no leader right now.
				const why = describeJsError(err);
				if (why !== last) this.out.status('error', undefined, `${LAB_STREAM} > ${LAB_CONSUMER}: ${why}`);
				last = why;
			}
			this.messages = null;
			if (this.conn.running(nc)) await this.sleeper.sleep(1000);
		}
	}

	private pullOptions(): { expires?: number; idle_heartbeat?: number } {
		const c = this.consumeOptions;
		if (!c) return { expires: CONSUME_EXPIRES_MS };
		return {
			...(c.expires !== undefined ? { expires: c.expires } : {}),
			...(c.idleHeartbeat !== undefined ? { idle_heartbeat: c.idleHeartbeat } : {}),
		};
	}

	private halt(): void {
		this.sleeper.wakeAll();
		try {
			this.messages?.stop();
		} catch {
			// already stopped
		}
	}

	async stop(): Promise<void> {
		this.halt();
		await this.conn.close();
		this.halt();
		await this.conn.loopEnded(2500);
	}

	alive(): boolean {
		return this.conn.alive;
	}

	counters() {
		return { ...this.counts.counters(), acked: this.acked };
	}

	rateCount(): number {
		return this.counts.received;
	}
}
