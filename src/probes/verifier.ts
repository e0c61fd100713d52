// Checks a JetStream publisher's ledger against what the stream really holds:
// every acked sequence must carry its msgID ("acked 1520, stored 1520, lost 0"),
// and a publish that timed out may still have been stored (gotcha 9). Reads the
// run's range of ORDERS through a throw-away headers-only consumer.
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { VerifyResult } from '../observe/events.js';
import type { JsLedger } from './js-publisher.js';
import { JS_REQUEST_TIMEOUT_MS, LAB_STREAM, openUntil } from './lab-stream.js';
import { errorMessage, Sleeper, within } from './timing.js';

const MSG_ID_HEADER = 'Nats-Msg-Id';
const FETCH_BATCH = 1000;

/** Pure: the result from a ledger and the msgID → stream sequences found in the stream. */
export function compareLedger(ledger: JsLedger, found: Map<string, number[]>): VerifyResult {
	let acked = 0;
	let ackedMissing = 0;
	let timedOutButStored = 0;
	for (const entry of ledger.entries) {
		const seqs = found.get(entry.msgId);
		if (entry.seq !== null) {
			acked++;
			if (!seqs?.includes(entry.seq)) ackedMissing++;
		}
		// A timed-out attempt was stored if the msgID is in the stream and no later attempt stored it
		// itself: never acked, or acked as a duplicate of the earlier attempt.
		if (entry.timedOut && seqs && (entry.seq === null || entry.duplicate)) timedOutButStored++;
	}
	let stored = 0;
	for (const seqs of found.values()) stored += seqs.length;
	return { acked, stored, ackedMissing, timedOutButStored };
}

async function retry<T>(what: string, deadline: number, sleeper: Sleeper, fn: () => Promise<T>): Promise<T> {
	for (;;) {
		try {
			return await fn();
		} catch (err) {
			if (Date.now() + 250 >= deadline) throw new Error(`verify: ${what} failed: ${errorMessage(err)}`);
			await sleeper.sleep(250);
		}
	}
}

/** Scans the stream for this run's messages. Rejects with a one-line reason when the stream cannot be read in time. */
export async function verifyLedger(
	servers: string[],
	ledger: JsLedger,
	opts: { timeoutMs?: number } = {},
): Promise<VerifyResult> {
	if (ledger.entries.length === 0) return compareLedger(ledger, new Map());
	const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
	const nc = await openUntil(servers, deadline, 'natslab-verify');
	if (!nc) throw new Error(`verify: no server answered on ${servers.join(', ')}`);
	const sleeper = new Sleeper();
	let consumerName: string | null = null;
	const jsm = await jetstreamManager(nc, { checkAPI: false, timeout: JS_REQUEST_TIMEOUT_MS });
	try {
		const info = await retry(`${LAB_STREAM} info`, deadline, sleeper, () => jsm.streams.info(LAB_STREAM));
		let from = ledger.startSeq ?? Number.POSITIVE_INFINITY;
		let to = info.state.last_seq;
		for (const e of ledger.entries) {
			if (e.seq === null) continue;
			from = Math.min(from, e.seq);
			to = Math.max(to, e.seq);
		}
		from = Math.max(from, info.state.first_seq);
		const found = new Map<string, number[]>();
		if (Number.isFinite(from) && from <= to && ledger.entries.length > 0) {
			const ci = await retry('creating the verify consumer', deadline, sleeper, () =>
				jsm.consumers.add(LAB_STREAM, {
					ack_policy: AckPolicy.None,
					deliver_policy: DeliverPolicy.StartSequence,
					opt_start_seq: from,
					headers_only: true,
					mem_storage: true,
					num_replicas: 1,
					inactive_threshold: nanos(60_000),
				}),
			);
			consumerName = ci.name;
			const consumer = await jetstream(nc, { timeout: JS_REQUEST_TIMEOUT_MS }).consumers.get(
				LAB_STREAM,
				ci.name,
			);
			const prefix = `${ledger.runId}-`;
			let lastSeq = from - 1;
			while (lastSeq < to) {
				if (Date.now() >= deadline)
					throw new Error(`verify: reading ${LAB_STREAM} timed out at sequence ${lastSeq}`);
				const batch = await consumer.fetch({
					max_messages: Math.min(FETCH_BATCH, to - lastSeq),
					expires: 2000,
				});
				let count = 0;
				for await (const m of batch) {
					count++;
					lastSeq = m.seq;
					const id = m.headers?.get(MSG_ID_HEADER);
					if (id?.startsWith(prefix)) found.set(id, [...(found.get(id) ?? []), m.seq]);
				}
				// Nothing more to read: acked sequences beyond this point are simply missing.
				if (count === 0) break;
			}
		}
		return compareLedger(ledger, found);
	} finally {
		if (consumerName) await within(jsm.consumers.delete(LAB_STREAM, consumerName), 2000);
		sleeper.wakeAll();
		await within(nc.close(), 2000);
	}
}
