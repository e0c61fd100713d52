// The verifier over REAL streams that hold the same msgID more than once
// (issue #10: a 2.9.10 leader stored one msgID's retries five times, and a
// verifier matching acks to sequences reported 1814 acked messages lost). The
// stream ORDERS is made with a 1 s duplicate window; the real JsPublisher
// writes to it; the test resends some of its msgIDs (deduplicated inside the
// window, stored again once it has passed), deletes messages with
// STREAM.MSG.DELETE, and checks what the real verifier says each time; last,
// a real quorum loss under the lab's own stream (default window).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_STREAM } from '../../src/base/names.js';
import { waitUntil as waitUntilBase } from '../../src/base/wait.js';
import { Cluster } from '../../src/cluster/cluster.js';
import { JS_PROBE_SUBJECT, type JsLedger, JsPublisher } from '../../src/probes/js-publisher.js';
import { LAB_SUBJECTS, openUntil } from '../../src/probes/lab-stream.js';
import { ProbeOut } from '../../src/probes/out.js';
import { NAMED_PER_FINDING, verifyLedger } from '../../src/probes/verifier.js';
import { binaryFor } from '../support/binaries.js';
import { TEST_BASE_PORTS } from '../support/ports.js';
import { freeBase } from './cluster-support.js';

const WINDOW_MS = 1000;

const waitUntil = <T>(cond: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 60_000) =>
	waitUntilBase(cond, {
		timeoutMs,
		everyMs: 100,
		describe: () => `timed out after ${timeoutMs} ms waiting for ${what}`,
	});

/**
 * Publishes `msgId` again until the stream stores it: inside the duplicate window the server
 * answers `duplicate: true` and stores nothing. Returns the new sequence and how many resends
 * the window swallowed.
 */
async function resendUntilStored(
	js: JetStreamClient,
	msgId: string,
): Promise<{ seq: number; deduped: number }> {
	let deduped = 0;
	const seq = await waitUntil(async () => {
		const ack = await js.publish(JS_PROBE_SUBJECT, `resent ${msgId}`, { msgID: msgId, timeout: 5000 });
		if (!ack.duplicate) return ack.seq;
		deduped++;
		return undefined;
	}, `${msgId} to be stored again after the ${WINDOW_MS} ms duplicate window`);
	return { seq, deduped };
}

const acked = (ledger: JsLedger) => ledger.entries.filter((e) => e.seq !== null);

for (const [version, offset] of [
	['2.10.27', 0],
	['2.9.10', 20],
] as const) {
	describe(`verifier over a real ${version} stream that holds duplicates`, () => {
		let cluster: Cluster;
		let urls: string[];
		let nc: NatsConnection;
		let jsm: JetStreamManager;
		let js: JetStreamClient;
		let ledger: JsLedger;
		/** msgID → the sequences the test knows hold it. */
		const resent = new Map<string, number[]>();

		beforeAll(async () => {
			cluster = await Cluster.open({
				version,
				binaryFor: async (v) => binaryFor(v),
				stateDir: mkdtempSync(join(tmpdir(), `natslab-verifier-${version}-`)),
				// Searched upwards from the block: a manual run elsewhere on the machine may hold a port.
				basePort: await freeBase(TEST_BASE_PORTS.verifierDuplicates + offset),
				fresh: true,
			});
			await cluster.startAll();
			await cluster.waitForReady(90_000);
			urls = cluster.nodes.map((n) => cluster.clientUrl(n));
			const helper = await openUntil(urls, Date.now() + 30_000, 'verifier-test-helper');
			if (!helper) throw new Error('helper connection failed');
			nc = helper;
			jsm = await jetstreamManager(nc, { checkAPI: false, timeout: 5000 });
			js = jetstream(nc, { timeout: 5000 });
			// Made here with a 1 s duplicate window; the publisher leaves an existing ORDERS as it is.
			// Right after the election placement can fail for a moment (docs/nats-behavior.md §4).
			await waitUntil(
				() =>
					jsm.streams
						.add({
							name: LAB_STREAM,
							subjects: LAB_SUBJECTS,
							num_replicas: 3,
							duplicate_window: WINDOW_MS * 1_000_000,
						})
						.then(
							() => true,
							() => undefined,
						),
				`${LAB_STREAM} to be created`,
			);
			expect((await jsm.streams.info(LAB_STREAM)).config.duplicate_window).toBe(WINDOW_MS * 1_000_000);

			const pub = new JsPublisher(new ProbeOut('js-pub', () => {}, Date.now), urls, 'vdup', 40, {});
			await pub.start();
			await waitUntil(() => (pub.counters().acked >= 20 ? true : undefined), 'the publisher to get 20 acks');
			// While the publisher goes on: resend its newest acked msgID. Inside the window it is
			// deduplicated; once the window passed it is stored again, between the publisher's own
			// messages.
			const recent = acked(pub.ledger()).at(-1);
			if (!recent) throw new Error('no acked publish');
			const middle = await resendUntilStored(js, recent.msgId);
			expect(middle.deduped).toBeGreaterThanOrEqual(1);
			resent.set(recent.msgId, [recent.seq as number, middle.seq]);
			const countAfter = pub.counters().acked;
			await waitUntil(
				() => (pub.counters().acked >= countAfter + 20 ? true : undefined),
				'20 more acks after the resend',
			);
			await pub.stop();
			ledger = pub.ledger();
			expect(acked(ledger).some((e) => (e.seq as number) > middle.seq)).toBe(true);
			// One more msgID stored three times: resent twice after its window.
			const third = acked(ledger)[2];
			if (!third) throw new Error('fewer than 3 acked publishes');
			const once = await resendUntilStored(js, third.msgId);
			const twice = await resendUntilStored(js, third.msgId);
			resent.set(third.msgId, [third.seq as number, once.seq, twice.seq]);
		}, 240_000);

		afterAll(async () => {
			await nc?.close().catch(() => {});
			await cluster?.down({ purge: true });
		});

		it('0 lost, and it names each msgID stored more than once with every sequence', async () => {
			const result = await verifyLedger(urls, ledger, { timeoutMs: 60_000 });
			console.log(`[verifier ${version}] ${JSON.stringify(result)}`);
			const ackedCount = acked(ledger).length;
			const unacked = ledger.entries.length - ackedCount;
			expect(result.acked).toBe(ackedCount);
			expect(result.ackedMissing).toBe(0);
			expect(result.missing).toEqual([]);
			expect(result.storedMoreThanOnce).toBe(2);
			const dups = new Map((result.duplicates ?? []).map((d) => [d.msgId, d]));
			for (const [msgId, seqs] of resent) {
				expect(dups.get(msgId)?.seqs).toEqual([...seqs].sort((a, b) => a - b));
				expect(dups.get(msgId)?.ackSeq).toBe(seqs[0]);
			}
			expect(result.ackedStoredOnce).toBe(ackedCount - 2);
			// The extra copies are the 1 + 2 resends; at most the publish in flight at stop is stored unacked.
			expect(result.stored).toBeGreaterThanOrEqual(ackedCount + 3);
			expect(result.stored).toBeLessThanOrEqual(ackedCount + 3 + unacked);
		}, 120_000);

		it('a deleted message is exactly the one lost; deleting one copy of a duplicate loses nothing', async () => {
			const dupIds = [...resent.keys()];
			const victim = acked(ledger).find((e) => !resent.has(e.msgId) && e.seq !== null && e.seq > 5);
			if (!victim || victim.seq === null) throw new Error('no stored-once acked publish to delete');
			const [twiceId] = dupIds.filter((id) => resent.get(id)?.length === 2);
			const twiceSeqs = twiceId ? resent.get(twiceId) : undefined;
			if (!twiceId || !twiceSeqs) throw new Error('no msgID stored twice');
			// STREAM.MSG.DELETE: the stored-once message, and the FIRST copy of the twice-stored one.
			expect(await jsm.streams.deleteMessage(LAB_STREAM, victim.seq)).toBe(true);
			expect(await jsm.streams.deleteMessage(LAB_STREAM, twiceSeqs[0] as number)).toBe(true);

			const result = await verifyLedger(urls, ledger, { timeoutMs: 60_000 });
			console.log(`[verifier ${version}] after deletes: ${JSON.stringify(result)}`);
			expect(result.ackedMissing).toBe(1);
			expect(result.missing).toEqual([{ msgId: victim.msgId, seq: victim.seq }]);
			// The twice-stored msgID still has its resent copy: stored once (elsewhere), not lost.
			expect(result.storedMoreThanOnce).toBe(1);
			expect(result.duplicates?.map((d) => d.msgId)).not.toContain(twiceId);
			expect(result.storedAtOtherSeq).toBeGreaterThanOrEqual(1);
		}, 120_000);

		it('quorum loss under the default window: no loss claimed, any msgID stored again named, counts add up', async () => {
			// A fresh ORDERS as the lab makes it (2 min duplicate window), the publisher retrying with the same msgID.
			await jsm.streams.delete(LAB_STREAM);
			const pub = new JsPublisher(new ProbeOut('js-pub', () => {}, Date.now), urls, 'vql', 20, {});
			await pub.start();
			await waitUntil(() => (pub.counters().acked >= 20 ? true : undefined), 'the publisher to get 20 acks');
			const leader = (await jsm.streams.info(LAB_STREAM)).cluster?.leader;
			const others = cluster.nodes.filter((n) => n !== leader);
			expect(others).toHaveLength(2);
			// The survivor is the stream leader: it takes publishes it cannot commit (docs/nats-behavior.md §8).
			await Promise.all(others.map((n) => cluster.stop(n)));
			const failed = () => Object.values(pub.counters().failed).reduce((a, b) => a + b, 0);
			await waitUntil(() => (failed() >= 5 ? true : undefined), '5 failed publishes without quorum');
			await Promise.all(others.map((n) => cluster.start(n)));
			const ackedInOutage = pub.counters().acked;
			await waitUntil(
				() => (pub.counters().acked >= ackedInOutage + 40 ? true : undefined),
				'40 acks after quorum came back',
				120_000,
			);
			await pub.stop();
			const l = pub.ledger();
			const result = await verifyLedger(urls, l, { timeoutMs: 60_000 });
			const retried = l.entries.filter((e) => e.attempts > 1).length;
			console.log(
				`[verifier ${version}] quorum loss, survivor ${leader}: ${JSON.stringify(result)}; failed ${JSON.stringify(pub.counters().failed)}, msgIDs retried ${retried}`,
			);
			expect(retried).toBeGreaterThanOrEqual(1);
			expect(result.acked).toBe(acked(l).length);
			expect(result.ackedMissing).toBe(0);
			// Every msgID lands in exactly one verdict.
			const twice = result.storedMoreThanOnce ?? 0;
			expect(result.duplicates).toHaveLength(Math.min(twice, NAMED_PER_FINDING));
			const ackedTwice = (result.duplicates ?? []).filter((d) => d.ackSeq !== null).length;
			// (Exact while every duplicate is named; a longer list names the first NAMED_PER_FINDING.)
			if (twice <= NAMED_PER_FINDING) expect((result.ackedStoredOnce ?? 0) + ackedTwice).toBe(result.acked);
			expect(result.acked + (result.storedUnacked ?? 0) + (result.unackedNotStored ?? 0)).toBe(
				l.entries.length,
			);
			for (const d of result.duplicates ?? []) expect(d.seqs.length).toBeGreaterThan(1);
		}, 300_000);
	});
}
