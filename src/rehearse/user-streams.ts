// The user's streams on the lab cluster (rehearse --streams): created before
// the upgrade, loaded at --rate msgs/s of --size bytes each by the same careful
// publisher the lab uses (acked, msgID, a failed publish retried with the same
// msgID), and checked afterwards message id by message id, like the lab stream.

import { jetstreamManager } from '@nats-io/jetstream';
import type { Lab } from '../lab/types.js';
import type { ClientEvent, JsFailureKind } from '../observe/events.js';
import { verifySummary } from '../observe/verify-text.js';
import { JsPublisher } from '../probes/js-publisher.js';
import { JS_REQUEST_TIMEOUT_MS, openUntil } from '../probes/lab-stream.js';
import { ProbeOut } from '../probes/out.js';
import type { ProbeOptions } from '../probes/spec.js';
import { errorMessage, within } from '../probes/timing.js';
import { checkLedger } from '../probes/verifier.js';
import type { RunInputs } from './run-facts.js';
import type { StreamPlan } from './streams-file.js';
import type { UserStreamReport } from './types.js';

export interface LoadSettings {
	/** Messages per second, per stream. */
	rate: number;
	/** Payload bytes of each message. */
	size: number;
	clientOptions: ProbeOptions;
}

/** Creates every stream and consumer, retrying until the deadline (`no suitable peers` right after an election). */
export async function createUserStreams(
	servers: string[],
	plans: StreamPlan[],
	timeoutMs: number,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	const nc = await openUntil(servers, deadline, 'natslab-rehearse-setup');
	if (!nc) throw new Error(`could not create your streams: no server answered on ${servers.join(', ')}`);
	try {
		const jsm = await jetstreamManager(nc, { checkAPI: false, timeout: JS_REQUEST_TIMEOUT_MS });
		for (const plan of plans) {
			const made = new Set<string>();
			let last = 'timed out';
			for (;;) {
				try {
					if (!made.has('')) await jsm.streams.add(plan.config as never);
					made.add('');
					for (const c of plan.consumers) {
						if (made.has(c.name)) continue;
						await jsm.consumers.add(plan.name, c.config as never);
						made.add(c.name);
					}
					break;
				} catch (err) {
					last = errorMessage(err);
					// Only a cluster still settling is worth waiting for; a config it refuses stays refused.
					if (!RETRYABLE.test(last) || Date.now() > deadline) {
						const what = made.has('') ? `a consumer of stream ${plan.name}` : `stream ${plan.name}`;
						throw new Error(`could not create ${what}: ${last}`);
					}
					await new Promise((r) => setTimeout(r, 500));
				}
			}
		}
	} finally {
		await within(nc.close(), 2000);
	}
}

/** Answers of a cluster that is still electing or placing (docs/nats-behavior.md §4, §8). */
const RETRYABLE = /no suitable peers|timeout|timed out|no responders|503|10008|unavailable|leader/i;

interface Connection {
	disconnects: number;
	gaps: number[];
	disconnectedAt: number | null;
}

/** One publisher per stream, on connections of their own with the user's client options. */
export class UserLoad {
	private readonly pubs: { plan: StreamPlan; pub: JsPublisher; conn: Connection }[];

	constructor(
		servers: string[],
		plans: StreamPlan[],
		private readonly s: LoadSettings,
	) {
		const run = `rh${Date.now().toString(36)}`;
		const payload = new Uint8Array(s.size).fill(0x61);
		this.pubs = plans.map((plan, i) => {
			const conn: Connection = { disconnects: 0, gaps: [], disconnectedAt: null };
			const out = new ProbeOut('js-pub', (e) => track(conn, e), Date.now);
			// Each stream's client starts at another server, as the lab's probes do.
			const order = [...servers.slice(i % servers.length), ...servers.slice(0, i % servers.length)];
			const target = { stream: plan.name, subject: plan.publishSubject, payload };
			const pub = new JsPublisher(out, order, `${run}${i}`, s.rate, s.clientOptions, target);
			return { plan, pub, conn };
		});
	}

	async start(): Promise<void> {
		await Promise.all(this.pubs.map((p) => p.pub.start()));
	}

	/** Acked publishes so far, over every stream (the baseline waits for the first). */
	ackedPerStream(): number[] {
		return this.pubs.map((p) => p.pub.counters().acked);
	}

	async stop(): Promise<void> {
		await Promise.all(this.pubs.map((p) => p.pub.stop()));
	}

	/** Every stream's figures and its verification (null with `error` when the stream could not be read). */
	async verify(servers: string[]): Promise<UserStreamReport[]> {
		const out: UserStreamReport[] = [];
		for (const { plan, pub, conn } of this.pubs) {
			const c = pub.counters();
			const base: UserStreamReport = {
				name: plan.name,
				replicas: plan.replicas,
				storage: plan.storage,
				consumers: plan.consumers.map((k) => ({
					name: k.name,
					kind: k.kind,
					ackPolicy: String(k.config.ack_policy ?? 'none'),
					filter: String(
						k.config.filter_subject ?? (k.config.filter_subjects as string[] | undefined)?.join(' ') ?? '',
					),
				})),
				rate: this.s.rate,
				sizeBytes: this.s.size,
				published: c.sent,
				acked: c.acked,
				failed: c.failed as Record<JsFailureKind, number>,
				retried: c.retried,
				disconnects: conn.disconnects,
				reconnectGapMaxMs: conn.gaps.length > 0 ? Math.max(...conn.gaps) : null,
				removedByStream: 0,
				verify: null,
				error: null,
			};
			try {
				const checked = await checkLedger(servers, pub.ledger(), {
					stream: plan.name,
					timeoutMs: 30_000,
					removedBelowFirst: true,
				});
				base.removedByStream = checked.removedByStream;
				base.verify = checked.result;
			} catch (err) {
				base.error = errorMessage(err);
			}
			out.push(base);
		}
		return out;
	}
}

function track(conn: Connection, e: ClientEvent): void {
	if (e.type !== 'status') return;
	if (e.status === 'disconnect') {
		conn.disconnects++;
		conn.disconnectedAt = e.at;
	} else if (e.status === 'reconnect' && conn.disconnectedAt !== null) {
		conn.gaps.push(e.at - conn.disconnectedAt);
		conn.disconnectedAt = null;
	}
}

/** Creates the user's streams on the lab cluster and starts their load; null without --streams. */
export async function startUserLoad(
	lab: Lab,
	inputs: RunInputs,
	progress: (line: string) => void,
): Promise<UserLoad | null> {
	const plans = inputs.streams?.streams ?? [];
	if (plans.length === 0 || !inputs.load) return null;
	await createUserStreams(lab.clientUrls(), plans, 30_000);
	const list = plans.map((p) => `${p.name} (R${p.replicas} ${p.storage}, ${p.consumers.length} consumers)`);
	progress(`your streams: ${list.join(', ')}; ${inputs.load.rate} msgs/s of ${inputs.load.sizeBytes} B each`);
	const load = new UserLoad(lab.clientUrls(), plans, {
		rate: inputs.load.rate,
		size: inputs.load.sizeBytes,
		clientOptions: inputs.clientOptions ?? {},
	});
	await load.start();
	return load;
}

/** Stops the load and checks every acked message of every user stream by msgID. */
export async function verifyUserStreams(
	lab: Lab,
	load: UserLoad,
	progress: (line: string) => void,
): Promise<UserStreamReport[]> {
	await load.stop();
	const reports = await load.verify(lab.clientUrls());
	for (const r of reports)
		progress(`${r.name}: ${r.verify ? verifySummary(r.verify) : `not verified (${r.error})`}`);
	return reports;
}
