// Checks a JetStream publisher's ledger against what the stream really holds,
// by message id (the `Nats-Msg-Id` every publish carries), never by matching
// acks to sequences: a 2.9.10 leader stored one msgID's retries five times
// during quorum loss, and every sequence after them moved (issue #10). Each
// msgID is acked and stored once (ok), stored more than once (a finding of its
// own), acked and not stored (lost: only then), or never acked (stored anyway,
// or not). Reads the run's range of ORDERS message by message from the stream
// leader; loss is only claimed after a second read-back still misses it.
import { type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import { LAB_STREAM } from '../base/names.js';
import type { StoredMoreThanOnce, VerifyResult } from '../observe/events.js';
import type { JsLedger } from './js-publisher.js';
import { JS_REQUEST_TIMEOUT_MS, openUntil } from './lab-stream.js';
import { errorMessage, Sleeper, within } from './timing.js';

const MSG_ID_HEADER = 'Nats-Msg-Id';
/** Message reads in flight at once (localhost: ~2000 sequences a second). */
const READERS = 16;
/** How many msgIDs a result names per finding (the counts cover them all). */
export const NAMED_PER_FINDING = 20;

/** msgID → every stream sequence that holds it. */
export type StoredById = Map<string, number[]>;

/** 10037 `no message found`: a sequence that was deleted or never stored. */
function isNoMessage(err: unknown): boolean {
	const e = err as { code?: unknown; message?: unknown };
	return e?.code === 10037 || (typeof e?.message === 'string' && e.message.includes('no message found'));
}

/** Pure: the verdict for every msgID of the ledger from the msgID → sequences found in the stream. */
export function compareLedger(ledger: JsLedger, found: StoredById): VerifyResult {
	const n = {
		acked: 0,
		ackedMissing: 0,
		ackedStoredOnce: 0,
		storedAtOtherSeq: 0,
		storedMoreThanOnce: 0,
		storedUnacked: 0,
		unackedNotStored: 0,
		timedOutButStored: 0,
		givenUp: 0,
		givenUpStored: 0,
	};
	const missing: { msgId: string; seq: number }[] = [];
	const duplicates: StoredMoreThanOnce[] = [];
	for (const entry of ledger.entries) {
		const seqs = found.get(entry.msgId) ?? [];
		if (entry.seq !== null) {
			n.acked++;
			if (seqs.length === 0) {
				n.ackedMissing++;
				if (missing.length < NAMED_PER_FINDING) missing.push({ msgId: entry.msgId, seq: entry.seq });
			} else if (seqs.length === 1) {
				n.ackedStoredOnce++;
				if (seqs[0] !== entry.seq) n.storedAtOtherSeq++;
			}
		} else if (seqs.length > 0) n.storedUnacked++;
		else n.unackedNotStored++;
		if (seqs.length > 1) {
			n.storedMoreThanOnce++;
			if (duplicates.length < NAMED_PER_FINDING)
				duplicates.push({ msgId: entry.msgId, seqs: [...seqs].sort((a, b) => a - b), ackSeq: entry.seq });
		}
		// A timed-out attempt was stored if the msgID is in the stream and no later attempt stored it
		// itself: never acked, or acked as a duplicate of the earlier attempt.
		if (entry.timedOut && seqs.length > 0 && (entry.seq === null || entry.duplicate)) n.timedOutButStored++;
		if (entry.givenUp) {
			n.givenUp++;
			if (seqs.length > 0) n.givenUpStored++;
		}
	}
	let stored = 0;
	for (const seqs of found.values()) stored += seqs.length;
	return { ...n, stored, duplicates, missing };
}

/**
 * Pure: splits off the acked msgIDs `found` does not hold whose ack sequence is below the stream's
 * `first` sequence, read AFTER the stream was read: its own limits or retention (max_age, max_msgs,
 * interest) removed them, they are not lost. A `first` read before the read would miss what expired
 * meanwhile (a max_age stream keeps expiring after the load stopped) and call it missing.
 */
export function splitRemovedByStream(
	ledger: JsLedger,
	found: StoredById,
	first: number,
): { kept: JsLedger; removed: number } {
	const gone = (e: JsLedger['entries'][number]) => e.seq !== null && e.seq < first && !found.has(e.msgId);
	const removed = ledger.entries.filter(gone).length;
	return { kept: { ...ledger, entries: ledger.entries.filter((e) => !gone(e)) }, removed };
}

/** The acked msgIDs `found` does not hold. */
function ackedNotFound(ledger: JsLedger, found: StoredById): number {
	return ledger.entries.filter((e) => e.seq !== null && !found.has(e.msgId)).length;
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

/** Reads stream sequences through the stream leader and indexes this run's messages by msgID. */
class StreamReader {
	readonly found: StoredById = new Map();
	/** Sequences the leader answered `no message found` for (deleted, or never stored). */
	readonly empty: number[] = [];
	private readonly seen = new Set<number>();

	constructor(
		private readonly jsm: JetStreamManager,
		private readonly stream: string,
		private readonly prefix: string,
		private readonly deadline: number,
		private readonly sleeper: Sleeper,
	) {}

	lastSeq(): Promise<{ first: number; last: number }> {
		return retry(`${this.stream} info`, this.deadline, this.sleeper, async () => {
			const info = await this.jsm.streams.info(this.stream);
			return { first: info.state.first_seq, last: info.state.last_seq };
		});
	}

	/**
	 * Each sequence is read through $JS.API.STREAM.MSG.GET, which the stream LEADER answers.
	 * A consumer (or a direct get) reads the store of whichever replica answers, and a replica
	 * that fell behind (seen after mixed-version route errors) would report acked messages
	 * as missing that the stream really holds.
	 */
	async read(seqs: number[]): Promise<void> {
		let i = 0;
		const worker = async () => {
			while (i < seqs.length) {
				const seq = seqs[i++] as number;
				if (Date.now() >= this.deadline)
					throw new Error(`verify: reading ${this.stream} timed out at sequence ${seq}`);
				const m = await retry(`reading ${this.stream} sequence ${seq}`, this.deadline, this.sleeper, () =>
					this.jsm.streams.getMessage(this.stream, { seq }).catch((err: unknown) => {
						if (isNoMessage(err)) return null;
						throw err;
					}),
				);
				if (!m) {
					this.empty.push(seq);
					continue;
				}
				const id = m.header?.get(MSG_ID_HEADER);
				if (!id?.startsWith(this.prefix) || this.seen.has(m.seq)) continue;
				this.seen.add(m.seq);
				this.found.set(id, [...(this.found.get(id) ?? []), m.seq]);
			}
		};
		await Promise.all(Array.from({ length: READERS }, worker));
	}

	/** Takes back the empty sequences (to be read again). */
	takeEmpty(): number[] {
		return this.empty.splice(0, this.empty.length);
	}
}

function range(from: number, to: number): number[] {
	return from > to ? [] : Array.from({ length: to - from + 1 }, (_, k) => from + k);
}

export interface VerifyOptions {
	timeoutMs?: number;
	/** The stream the ledger's publisher wrote to (default the lab stream). */
	stream?: string;
	/** Count acked msgIDs below the stream's first sequence (read last) as removed, not missing. */
	removedBelowFirst?: boolean;
}

/** Scans the stream for this run's messages. Rejects with a one-line reason when the stream cannot be read in time. */
export async function verifyLedger(
	servers: string[],
	ledger: JsLedger,
	opts: VerifyOptions = {},
): Promise<VerifyResult> {
	return (await checkLedger(servers, ledger, opts)).result;
}

/** verifyLedger, with how many acked messages the stream itself removed (only with `removedBelowFirst`). */
export async function checkLedger(
	servers: string[],
	ledger: JsLedger,
	opts: VerifyOptions = {},
): Promise<{ result: VerifyResult; removedByStream: number }> {
	if (ledger.entries.length === 0) return { result: compareLedger(ledger, new Map()), removedByStream: 0 };
	const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
	const nc = await openUntil(servers, deadline, 'natslab-verify');
	if (!nc) throw new Error(`verify: no server answered on ${servers.join(', ')}`);
	const sleeper = new Sleeper();
	const jsm = await jetstreamManager(nc, { checkAPI: false, timeout: JS_REQUEST_TIMEOUT_MS });
	try {
		const reader = new StreamReader(jsm, opts.stream ?? LAB_STREAM, `${ledger.runId}-`, deadline, sleeper);
		const state = await reader.lastSeq();
		let from = ledger.startSeq ?? Number.POSITIVE_INFINITY;
		let to = state.last;
		for (const e of ledger.entries) {
			if (e.seq === null) continue;
			from = Math.min(from, e.seq);
			to = Math.max(to, e.seq);
		}
		from = Math.max(from, state.first);
		if (Number.isFinite(from)) await reader.read(range(from, to));
		// Never claim a loss a read-back disproves: before calling an acked msgID lost, read
		// again what answered `no message found` and whatever the stream stored since.
		if (ackedNotFound(ledger, reader.found) > 0 && Number.isFinite(from)) {
			const again = await reader.lastSeq();
			await reader.read([...reader.takeEmpty(), ...range(Math.max(to + 1, again.first), again.last)]);
		}
		if (!opts.removedBelowFirst) return { result: compareLedger(ledger, reader.found), removedByStream: 0 };
		const { kept, removed } = splitRemovedByStream(ledger, reader.found, (await reader.lastSeq()).first);
		return { result: compareLedger(kept, reader.found), removedByStream: removed };
	} finally {
		sleeper.wakeAll();
		await within(nc.close(), 2000);
	}
}
