// Checks a JetStream publisher's ledger against what the stream really holds:
// every acked sequence must carry its msgID ("acked 1520, stored 1520, lost 0"),
// and a publish that timed out may still have been stored (gotcha 9). Reads the
// run's range of ORDERS message by message from the stream leader.
import { jetstreamManager } from '@nats-io/jetstream';
import { LAB_STREAM } from '../base/names.js';
import type { VerifyResult } from '../observe/events.js';
import type { JsLedger } from './js-publisher.js';
import { JS_REQUEST_TIMEOUT_MS, openUntil } from './lab-stream.js';
import { errorMessage, Sleeper, within } from './timing.js';

const MSG_ID_HEADER = 'Nats-Msg-Id';
/** Message reads in flight at once (localhost: ~2000 sequences a second). */
const READERS = 16;

/** 10037 `no message found`: a sequence that was deleted or never stored. */
function isNoMessage(err: unknown): boolean {
	const e = err as { code?: unknown; message?: unknown };
	return e?.code === 10037 || (typeof e?.message === 'string' && e.message.includes('no message found'));
}

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
		if (Number.isFinite(from) && from <= to) {
			const prefix = `${ledger.runId}-`;
			// Each sequence is read through $JS.API.STREAM.MSG.GET, which the stream LEADER answers.
			// A consumer would read the store of whichever replica it is placed on, and a replica
			// that fell behind (seen after mixed-version route errors) would report acked
			// messages as missing that the stream really holds.
			let next = from;
			const worker = async () => {
				while (next <= to) {
					const seq = next++;
					if (Date.now() >= deadline)
						throw new Error(`verify: reading ${LAB_STREAM} timed out at sequence ${seq}`);
					const m = await retry(`reading ${LAB_STREAM} sequence ${seq}`, deadline, sleeper, () =>
						jsm.streams.getMessage(LAB_STREAM, { seq }).catch((err: unknown) => {
							if (isNoMessage(err)) return null;
							throw err;
						}),
					);
					const id = m?.header?.get(MSG_ID_HEADER);
					if (m && id?.startsWith(prefix)) found.set(id, [...(found.get(id) ?? []), m.seq]);
				}
			};
			await Promise.all(Array.from({ length: READERS }, worker));
		}
		return compareLedger(ledger, found);
	} finally {
		sleeper.wakeAll();
		await within(nc.close(), 2000);
	}
}
