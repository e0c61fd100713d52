// JetStream publisher probe: awaited, acked publishes with a msgID to ORDERS, the
// way a careful application does it: a failed publish is retried with the same
// msgID (the stream de-duplicates), so "timed out" never silently means "lost"
// or "stored twice" (docs/nats-behavior.md gotcha 9). Every attempt is kept in a
// ledger that the verifier later checks against the stream.
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { LAB_STREAM } from '../base/names.js';
import type { JsFailureKind } from '../observe/events.js';
import { classifyJsError, describeJsError } from './classify.js';
import { ProbeConnection } from './connection.js';
import { InProcessRun, isInProcessText } from './in-process.js';
import { ensureLabAssets, JS_REQUEST_TIMEOUT_MS, labReplicas } from './lab-stream.js';
import { emptyCounters, type ProbeOut } from './out.js';
import { intervalFor, type Probe } from './probe.js';
import type { ProbeOptions } from './spec.js';
import { LongestGap, Sleeper } from './timing.js';

export const JS_PROBE_SUBJECT = 'orders.probe';
const IN_PROCESS_MESSAGE = 'duplicate with sequence 0: an earlier attempt of this msgID is not committed yet';

export interface LedgerEntry {
	msgId: string;
	/** Stream sequence from the ack; null while not acked. */
	seq: number | null;
	/** The ack said `duplicate`: an earlier attempt of this msgID had been stored. */
	duplicate: boolean;
	/** At least one attempt failed with a timeout. */
	timedOut: boolean;
	/** Publishes sent with this msgID: 1, plus one per retry. */
	attempts: number;
	/** Why each failed attempt failed, in order (a retry reuses the msgID, so any of them may be stored). */
	failures: JsFailureKind[];
	/** Given up after IN_PROCESS_GIVE_UP_MS (in-process.ts) of nothing but "in process" answers; the next message got a new msgID. */
	givenUp?: boolean;
}

export interface JsLedger {
	/** Prefix of every msgID of this run: `<runId>-<n>`. */
	runId: string;
	/** First stream sequence this run could have written (stream's last_seq + 1 when the probe began). */
	startSeq: number | null;
	entries: LedgerEntry[];
}

/** Another stream to publish to (rehearse --streams): it exists already; the payload has the asked size. */
export interface PublishTarget {
	stream: string;
	subject: string;
	payload: Uint8Array;
}

export class JsPublisher implements Probe {
	readonly id = 'js-pub' as const;
	private readonly conn: ProbeConnection;
	private readonly sleeper = new Sleeper();
	private readonly entries: LedgerEntry[] = [];
	private startSeq: number | null = null;
	private sent = 0;
	private acked = 0;
	private retried = 0;
	private readonly failed: Record<JsFailureKind, number> = emptyCounters().failed;
	private readonly ackGap = new LongestGap();

	constructor(
		private readonly out: ProbeOut,
		private readonly servers: string[],
		private readonly runId: string,
		private readonly rate: number,
		options: ProbeOptions,
		private readonly target?: PublishTarget,
	) {
		this.conn = new ProbeConnection(out, servers, options);
		this.conn.onClosed(() => this.sleeper.wakeAll());
	}

	start(): Promise<void> {
		return this.conn.runInBackground((nc) => this.run(nc));
	}

	private async run(nc: NatsConnection): Promise<void> {
		const js = jetstream(nc, { timeout: JS_REQUEST_TIMEOUT_MS });
		// checkAPI:false: the default first asks $JS.API.INFO and rejects without a meta leader (§14.4).
		const jsm = await jetstreamManager(nc, { checkAPI: false, timeout: JS_REQUEST_TIMEOUT_MS });
		if (!(await this.ensureAssets(nc, jsm))) return;
		await this.publishLoop(nc, js);
	}

	private async ensureAssets(nc: NatsConnection, jsm: JetStreamManager): Promise<boolean> {
		let last = '';
		while (this.conn.running(nc)) {
			try {
				const info = this.target
					? await jsm.streams.info(this.target.stream)
					: await ensureLabAssets(jsm, labReplicas(this.servers));
				this.startSeq = info.state.last_seq + 1;
				return true;
			} catch (err) {
				const why = describeJsError(err);
				const stream = this.target?.stream ?? LAB_STREAM;
				if (why !== last) this.out.status('error', undefined, `${stream} not ready: ${why}`);
				last = why;
				await this.sleeper.sleep(1000);
			}
		}
		return false;
	}

	private async publishLoop(nc: NatsConnection, js: JetStreamClient): Promise<void> {
		const interval = intervalFor(this.rate);
		let next = Date.now();
		let current: LedgerEntry | null = null;
		const inProcess = new InProcessRun();
		while (this.conn.running(nc)) {
			const wait = next - Date.now();
			if (wait > 0) await this.sleeper.sleep(wait);
			if (!this.conn.running(nc)) break;
			// After a long await (a timeout) carry on at the rate, without a burst to catch up.
			next = Math.max(next + interval, Date.now());
			if (current && inProcess.exhausted(Date.now())) {
				current.givenUp = true;
				current = null;
			}
			if (!current) inProcess.reset();
			if (current) this.retried++;
			const entry: LedgerEntry = current ?? this.newEntry();
			current = entry;
			this.sent++;
			entry.attempts++;
			try {
				const subject = this.target?.subject ?? JS_PROBE_SUBJECT;
				const ack = await js.publish(subject, this.target?.payload ?? entry.msgId, {
					msgID: entry.msgId,
					timeout: JS_REQUEST_TIMEOUT_MS,
				});
				if (ack.seq > 0) {
					entry.seq = ack.seq;
					entry.duplicate = ack.duplicate;
					current = null;
					this.recordAck();
				} else {
					// Measured on 2.10.27 during quorum loss: a retry of a msgID whose first attempt the
					// stalled leader still holds uncommitted is answered {"seq":0,"duplicate":true}. That
					// attempt was later committed in some runs and discarded in others, so this is no ack.
					// (2.15.1 answers the same retry with error 10158 "duplicate message id is in process";
					// 2.9.10 lets it time out.)
					this.failed.other++;
					entry.failures.push('other');
					inProcess.answer(true, Date.now());
					this.out.failure('other', IN_PROCESS_MESSAGE);
				}
			} catch (err) {
				// Rejections caused by our own close (or a client that gave up) are not measurements.
				if (!this.conn.running(nc)) break;
				const kind = classifyJsError(err);
				this.failed[kind]++;
				entry.failures.push(kind);
				if (kind === 'timeout') entry.timedOut = true;
				const why = describeJsError(err);
				inProcess.answer(isInProcessText(why), Date.now());
				this.out.failure(kind, why);
			}
		}
	}

	private newEntry(): LedgerEntry {
		const entry: LedgerEntry = {
			msgId: `${this.runId}-${this.entries.length + 1}`,
			seq: null,
			duplicate: false,
			timedOut: false,
			attempts: 0,
			failures: [],
		};
		this.entries.push(entry);
		return entry;
	}

	private recordAck(): void {
		this.acked++;
		this.ackGap.mark(this.out.now());
	}

	/** A copy of what this run published, for the verifier. */
	ledger(): JsLedger {
		return {
			runId: this.runId,
			startSeq: this.startSeq,
			entries: this.entries.map((e) => ({ ...e, failures: [...e.failures] })),
		};
	}

	async stop(): Promise<void> {
		this.sleeper.wakeAll();
		await this.conn.close();
		this.sleeper.wakeAll();
		await this.conn.loopEnded(2500);
	}

	alive(): boolean {
		return this.conn.alive;
	}

	counters() {
		return {
			...emptyCounters(),
			sent: this.sent,
			acked: this.acked,
			failed: { ...this.failed },
			retried: this.retried,
			maxGapMs: this.ackGap.ms,
		};
	}

	rateCount(): number {
		return this.acked;
	}
}
