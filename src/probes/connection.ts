// One probe's nats.js v3 connection: connect with the lesson's options, report
// every status nats.js gives (docs/nats-behavior.md §14.2), and close within a bound.
import {
	connect,
	type NatsConnection,
	type NodeConnectionOptions,
	type Status,
} from '@nats-io/transport-node';
import type { ProbeOut } from './out.js';
import type { ProbeOptions } from './spec.js';
import { errorMessage, Sleeper, within } from './timing.js';

/** nats.js defaults (options.js of nats-core 3.4.0) that the probe needs to know itself. */
const NATS_RECONNECT_TIME_WAIT = 2000;
const NATS_RECONNECT_JITTER = 100;
const CLOSE_BOUND_MS = 2000;

const STOPPED_MESSAGE = 'probe stopped';

/** Strips the scheme: nats.js reports servers as host:port. */
export function hostPort(url: string): string {
	return url.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
}

export class ProbeConnection {
	nc: NatsConnection | null = null;
	/** True once nats.js closed the connection on its own, or the first connect was given up. */
	gaveUp = false;
	private stopping = false;
	private statusLoop: Promise<void> = Promise.resolve();
	private disconnectedAt: number | null = null;
	private readonly sleeper = new Sleeper();
	private readonly closedListeners: (() => void)[] = [];
	private readonly disconnectListeners: (() => void)[] = [];
	private loopDone: Promise<void> = Promise.resolve();
	private markFailedOnce: () => void = () => {};
	/** Settles when a connect attempt failed or the probe stopped; never on success. */
	readonly failedOnce = new Promise<void>((resolve) => {
		this.markFailedOnce = resolve;
	});

	constructor(
		private readonly out: ProbeOut,
		private readonly servers: string[],
		private readonly options: ProbeOptions = {},
	) {}

	get stopped(): boolean {
		return this.stopping;
	}

	/** Usable now or later: not stopped and not given up. */
	get alive(): boolean {
		return !this.stopping && !this.gaveUp;
	}

	onClosed(listener: () => void): void {
		this.closedListeners.push(listener);
	}

	/** Called on every disconnect nats.js reports (a subscriber's interest is gone until it reconnects). */
	onDisconnect(listener: () => void): void {
		this.disconnectListeners.push(listener);
	}

	connectOptions(): NodeConnectionOptions {
		const o = this.options;
		const wait = o.reconnectTimeWait ?? NATS_RECONNECT_TIME_WAIT;
		return {
			servers: this.servers,
			name: `natslab-${this.out.id}`,
			noRandomize: true,
			// nats.js builds up to three Errors with stack traces per request (JetStream publish,
			// pull, API call) in case it fails; the probes report an error's name and message,
			// never its stack, and at their rates those stacks were ~8 % of the probes' CPU.
			// Timeouts and no-responders still arrive as the same error types (classify.ts).
			noAsyncTraces: true,
			// natslab's own default: a probe keeps trying unless a lesson shows the default giving up.
			maxReconnectAttempts: o.maxReconnectAttempts ?? -1,
			reconnectTimeWait: wait,
			...(o.pingInterval !== undefined ? { pingInterval: o.pingInterval } : {}),
			...(o.maxPingOut !== undefined ? { maxPingOut: o.maxPingOut } : {}),
			...(o.ignoreClusterUpdates !== undefined ? { ignoreClusterUpdates: o.ignoreClusterUpdates } : {}),
			...(o.waitOnFirstConnect !== undefined ? { waitOnFirstConnect: o.waitOnFirstConnect } : {}),
			...(o.timeout !== undefined ? { timeout: o.timeout } : {}),
			// Same delay as nats.js's default handler (wait + jitter 0..100); throwing here is the
			// only way to end a dial loop we hold no handle to (waitOnFirstConnect never settles).
			reconnectDelayHandler: () => {
				if (this.stopping) throw new Error(STOPPED_MESSAGE);
				return wait + Math.floor(Math.random() * ((o.reconnectJitter ?? NATS_RECONNECT_JITTER) + 1));
			},
		};
	}

	/**
	 * Connects, retrying a failed first connect every `reconnectTimeWait` up to
	 * `maxReconnectAttempts` rounds (-1: forever). Resolves the connection, or null
	 * when stopped or given up. Never rejects.
	 */
	async open(): Promise<NatsConnection | null> {
		this.out.status('connecting', undefined, this.servers.map(hostPort).join(' '));
		const max = this.options.maxReconnectAttempts ?? -1;
		let failures = 0;
		let lastWhy = '';
		while (!this.stopping) {
			try {
				const nc = await connect(this.connectOptions());
				if (this.stopping) {
					void nc.close().catch(() => {});
					return null;
				}
				this.nc = nc;
				this.out.status('connected', nc.getServer(), undefined, nc.info?.connect_urls);
				this.statusLoop = this.watch(nc);
				return nc;
			} catch (err) {
				if (this.stopping) return null;
				this.markFailedOnce();
				failures++;
				// Every try is real, but the timeline only needs the first, a change, and every tenth.
				const why = errorMessage(err);
				if (why !== lastWhy || failures % 10 === 0) {
					this.out.status('error', undefined, `connect failed (attempt ${failures}): ${why}`);
				}
				lastWhy = why;
				if (max !== -1 && failures >= Math.max(1, max)) {
					this.gaveUp = true;
					this.out.status('close', undefined, `gave up after ${failures} connect attempt(s)`);
					this.notifyClosed();
					return null;
				}
				await this.sleeper.sleep(this.options.reconnectTimeWait ?? NATS_RECONNECT_TIME_WAIT);
			}
		}
		return null;
	}

	private async watch(nc: NatsConnection): Promise<void> {
		try {
			for await (const s of nc.status()) this.report(s);
		} catch {
			// The iterator only ends; nothing to report if it throws.
		}
		// Only now: close() waits for this iterator, so waiting on closed() inside the loop would deadlock.
		if (this.stopping) {
			this.out.status('close', undefined, 'closed by natslab');
		} else {
			this.gaveUp = true;
			const why = await within(nc.closed(), 1000);
			this.out.status('close', undefined, why ? `gave up: ${errorMessage(why)}` : 'closed');
		}
		this.notifyClosed();
	}

	private report(s: Status): void {
		const now = this.out.now();
		switch (s.type) {
			case 'disconnect':
				this.disconnectedAt = now;
				notify(this.disconnectListeners);
				this.out.status('disconnect', s.server);
				return;
			case 'reconnect': {
				const gap = this.disconnectedAt === null ? null : now - this.disconnectedAt;
				this.disconnectedAt = null;
				this.out.status(
					'reconnect',
					s.server,
					gap === null ? undefined : `reconnected after ${gap} ms`,
					this.nc?.info?.connect_urls,
				);
				return;
			}
			case 'ldm':
				this.out.status('ldm', s.server);
				return;
			case 'update': {
				const parts = [];
				if (s.added?.length) parts.push(`added ${s.added.join(' ')}`);
				if (s.deleted?.length) parts.push(`deleted ${s.deleted.join(' ')}`);
				this.out.status('update', undefined, parts.join('; ') || undefined);
				return;
			}
			case 'error':
				this.out.status('error', undefined, errorMessage(s.error));
				return;
			case 'ping':
				this.out.status('ping', undefined, `pending pings ${s.pendingPings}`);
				return;
			case 'slowConsumer':
				this.out.status('slowConsumer', undefined, `pending ${s.pending}`);
				return;
			case 'close':
				return; // reported by watch() once the reason is known
			default:
				// reconnecting, staleConnection, forceReconnect carry no data.
				this.out.status(s.type);
		}
	}

	private notifyClosed(): void {
		notify(this.closedListeners);
	}

	/**
	 * Opens the connection and runs `loop` on it in the background. Resolves once connected
	 * or once a connect attempt failed (it keeps trying); `loopEnded` waits for the loop.
	 */
	runInBackground(loop: (nc: NatsConnection) => Promise<void>): Promise<void> {
		const opened = this.open();
		this.loopDone = opened.then((nc) => (nc ? loop(nc) : undefined)).catch(() => {});
		return Promise.race([opened, this.failedOnce]).then(() => {});
	}

	/** Waits at most `ms` for the loop of `runInBackground` to end. */
	async loopEnded(ms: number): Promise<void> {
		await within(this.loopDone, ms);
	}

	/** A probe's loop on `nc` goes on: not stopped, and the connection not closed for good. */
	running(nc: NatsConnection): boolean {
		return !this.stopped && !nc.isClosed();
	}

	/** Closes within a bound, also while the server is down or frozen. */
	async close(): Promise<void> {
		this.stopping = true;
		this.markFailedOnce();
		this.sleeper.wakeAll();
		const nc = this.nc;
		if (!nc) {
			if (!this.gaveUp) this.out.status('close', undefined, 'stopped before connecting');
			return;
		}
		if (!nc.isClosed()) await within(nc.close(), CLOSE_BOUND_MS);
		await within(this.statusLoop, 500);
	}
}

function notify(listeners: (() => void)[]): void {
	for (const listener of listeners) {
		try {
			listener();
		} catch {
			// a probe's cleanup must not break the connection's
		}
	}
}
