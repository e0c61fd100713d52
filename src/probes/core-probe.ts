// Core NATS probe: a publisher sends numbered messages at a steady rate, a
// subscriber on another node counts what arrives. Core NATS is at-most-once:
// what a failover costs shows up as gaps (docs/nats-behavior.md §9, §14.5).
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { ProbeConnection } from './connection.js';
import { emptyCounters, type ProbeOut } from './out.js';
import { intervalFor, type Probe } from './probe.js';
import { ReceivedCounts } from './received.js';
import type { ProbeOptions } from './spec.js';
import { errorMessage, within } from './timing.js';

/**
 * The publisher sends what is due every 100 ms, not one message per 20 ms timer: nats.js
 * writes what one task published in one socket write, so 50 msg/s cost 10 writes a second
 * instead of 50 (socket writes were the probes' largest idle CPU cost). The rate, and so
 * what a failover loses, stay the same; a gap is still measured per message on arrival.
 */
export const PUBLISH_EVERY_MS = 100;
/** Not more than twice what one tick is due, so a stalled event loop does not burst. */
const maxPerTick = (rate: number, everyMs: number) => Math.max(2, Math.ceil((rate * everyMs) / 1000) * 2);

export class CorePublisher implements Probe {
	readonly id = 'core-pub' as const;
	private readonly conn: ProbeConnection;
	private timer: NodeJS.Timeout | null = null;
	private sent = 0;
	private startedAt = 0;
	private scheduled = 0;
	private readonly everyMs: number;

	constructor(
		private readonly out: ProbeOut,
		servers: string[],
		private readonly subject: string,
		private readonly rate: number,
		options: ProbeOptions,
	) {
		this.conn = new ProbeConnection(out, servers, options);
		this.conn.onClosed(() => this.clearTimer());
		this.everyMs = Math.max(intervalFor(rate), PUBLISH_EVERY_MS);
	}

	async start(): Promise<void> {
		this.startedAt = Date.now();
		this.timer = setInterval(() => this.tick(), this.everyMs);
		await Promise.race([this.conn.open(), this.conn.failedOnce]);
	}

	/** Sends what is due since start, so timer drift does not lower the rate (at most a few per tick). */
	private tick(): void {
		const due = Math.floor(((Date.now() - this.startedAt) * this.rate) / 1000);
		const count = Math.min(due - this.scheduled, maxPerTick(this.rate, this.everyMs));
		this.scheduled = due;
		const nc = this.conn.nc;
		if (!nc || nc.isClosed()) return;
		for (let i = 0; i < count; i++) {
			try {
				// While nats.js reconnects this only buffers; the buffer is dropped when a new dial starts (§14.5).
				nc.publish(this.subject, String(this.sent + 1));
				this.sent++;
			} catch (err) {
				this.out.status('error', undefined, `publish failed: ${errorMessage(err)}`);
				return;
			}
		}
	}

	private clearTimer(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
	}

	async stop(): Promise<void> {
		this.clearTimer();
		await this.conn.close();
	}

	alive(): boolean {
		return this.conn.alive;
	}

	counters() {
		return { ...emptyCounters(), sent: this.sent };
	}

	rateCount(): number {
		return this.sent;
	}
}

export class CoreSubscriber implements Probe {
	readonly id = 'core-sub' as const;
	private readonly conn: ProbeConnection;
	private readonly counts = new ReceivedCounts();
	private sub: Subscription | null = null;

	constructor(
		private readonly out: ProbeOut,
		servers: string[],
		private readonly subject: string,
		options: ProbeOptions,
	) {
		this.conn = new ProbeConnection(out, servers, options);
		this.conn.onDisconnect(() => this.counts.markDisconnected());
	}

	async start(): Promise<void> {
		const ready = this.conn.open().then(async (nc) => {
			if (!nc) return;
			this.subscribe(nc);
			// Make sure the server has the interest before the publisher starts.
			await within(nc.flush(), 2000);
		});
		await Promise.race([ready, this.conn.failedOnce]);
	}

	private subscribe(nc: NatsConnection): void {
		try {
			this.sub = nc.subscribe(this.subject, {
				callback: (err, msg) => {
					if (err) return;
					this.counts.receive(Number(msg.string()), this.out.now());
				},
			});
		} catch (err) {
			this.out.status('error', undefined, `subscribe failed: ${errorMessage(err)}`);
		}
	}

	async stop(): Promise<void> {
		try {
			this.sub?.unsubscribe();
		} catch {
			// already closed with its connection
		}
		await this.conn.close();
	}

	alive(): boolean {
		return this.conn.alive;
	}

	counters() {
		return this.counts.counters();
	}

	rateCount(): number {
		return this.counts.received;
	}
}
