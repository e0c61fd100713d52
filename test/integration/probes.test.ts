// The probes against one real 2.10.27 cluster: what a kill, a lame duck restart,
// quorum loss and a frozen server do to live nats.js v3 clients, as the probes
// report it in ClientEvents. Waits are on conditions with generous deadlines.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_STREAM } from '../../src/base/names.js';
import { waitUntil as waitUntilBase } from '../../src/base/wait.js';
import { Cluster } from '../../src/cluster/cluster.js';
import { routedToEachOther } from '../../src/cluster/readiness.js';
import { REPLICA_STUCK_HOLD_MS } from '../../src/observe/diagnoses.js';
import type { ClientEvent, ClientStatusType, ProbeCounters } from '../../src/observe/events.js';
import { PUBLISH_EVERY_MS } from '../../src/probes/core-probe.js';
import { DEFAULT_RATES } from '../../src/probes/hub.js';
import { classifyJsError, createProbeHub, ensureLabStream, type ProbeHub } from '../../src/probes/index.js';
import { openUntil } from '../../src/probes/lab-stream.js';
import { binaryFor } from '../support/binaries.js';
import { TEST_BASE_PORTS } from '../support/ports.js';

const VERSION = '2.10.27';

type StatusEvent = Extract<ClientEvent, { type: 'status' }>;

class Recorder {
	readonly events: ClientEvent[] = [];
	readonly emit = (e: ClientEvent): void => {
		this.events.push(e);
	};
	statuses(probe: string, status?: ClientStatusType): StatusEvent[] {
		return this.events.filter(
			(e): e is StatusEvent => e.probe === probe && e.type === 'status' && (!status || e.status === status),
		);
	}
	first(probe: string, status: ClientStatusType): StatusEvent {
		const e = this.statuses(probe, status)[0];
		if (!e) throw new Error(`${probe} reported no ${status}`);
		return e;
	}
	counters(probe: string): ProbeCounters {
		for (let i = this.events.length - 1; i >= 0; i--) {
			const e = this.events[i];
			if (e?.probe === probe && e.type === 'counters') return e.counters;
		}
		throw new Error(`${probe} reported no counters`);
	}
	has(probe: string): boolean {
		return this.events.some((e) => e.probe === probe && e.type === 'counters');
	}
	failures(probe: string): Extract<ClientEvent, { type: 'jsFailure' }>[] {
		return this.events.filter(
			(e): e is Extract<ClientEvent, { type: 'jsFailure' }> => e.probe === probe && e.type === 'jsFailure',
		);
	}
}

const waitUntil = (cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) =>
	waitUntilBase(cond, {
		timeoutMs,
		everyMs: 50,
		describe: () => `timed out after ${timeoutMs} ms waiting for ${what}`,
	});

// 4 min a test: one that ends with waitHealthy's named replica-stuck and its remedy needs ~2 min for that alone.
describe(`probes on a real nats-server ${VERSION} cluster`, { timeout: 240_000 }, () => {
	let cluster: Cluster;
	let urls: string[];
	let helper: NatsConnection;
	let hub: ProbeHub | null = null;
	const unhandled: unknown[] = [];
	const onUnhandled = (reason: unknown) => unhandled.push(reason);

	const nodeOf = (hostPort: string | undefined): string => {
		const node = cluster.nodes.find((n) => hostPort === `127.0.0.1:${cluster.ports(n).client}`);
		if (!node) throw new Error(`no node listens on ${hostPort}`);
		return node;
	};
	const acked = (rec: Recorder) => (rec.has('js-pub') ? rec.counters('js-pub').acked : 0);

	/**
	 * Every node up, a meta leader, and ORDERS led with every replica current. Under the suite's load
	 * a 2.10.27 replica has been seen not to catch up while routed (replica-stuck, docs/nats-behavior.md
	 * §14.5c): where the servers say exactly that, it is named, its hint (kill + start) is applied, and
	 * the wait runs once more. Anything else that keeps ORDERS unhealthy fails.
	 */
	const waitHealthy = async (): Promise<void> => {
		for (const n of cluster.nodes) if (!cluster.isRunning(n)) await cluster.start(n);
		await cluster.waitForMetaLeader(60_000);
		const jsm = await jetstreamManager(helper, { checkAPI: false, timeout: 2000 });
		const behind = new Map<string, { since: number; first: number; last: number }>();
		const healthy = (timeoutMs: number) =>
			waitUntil(
				async () => {
					try {
						const info = await jsm.streams.info(LAB_STREAM);
						const replicas = info.cluster?.replicas ?? [];
						for (const r of replicas) {
							if (r.current && !r.offline) behind.delete(r.name);
							else {
								const seen = behind.get(r.name);
								behind.set(r.name, {
									since: seen?.since ?? Date.now(),
									first: seen?.first ?? r.lag ?? 0,
									last: r.lag ?? 0,
								});
							}
						}
						return (
							Boolean(info.cluster?.leader) &&
							replicas.length === 2 &&
							replicas.every((r) => r.current && !r.offline)
						);
					} catch {
						return false;
					}
				},
				`${LAB_STREAM} led with current replicas`,
				timeoutMs,
			);
		try {
			await healthy(45_000);
		} catch {
			// As natslab names it (observe/diagnoses.ts): behind for REPLICA_STUCK_HOLD_MS, its lag not shrinking.
			const stuck = [...behind].find(
				([, lag]) => Date.now() - lag.since >= REPLICA_STUCK_HOLD_MS && lag.last >= lag.first,
			);
			if (!stuck || !(await fullMesh())) {
				// Not that condition (e.g. a replica still catching up): the rest of the 60 s this wait had.
				await healthy(15_000);
				return;
			}
			const [node, lag] = stuck;
			console.log(
				`[probes] diagnosis replica-stuck: ${node}'s ${LAB_STREAM} replica behind for ${Math.round((Date.now() - lag.since) / 1000)} s, lag ${lag.first} → ${lag.last}, routes up: kill + start ${node}, as its hint says`,
			);
			await cluster.kill(node);
			await cluster.start(node);
			await healthy(60_000);
		}
	};
	/** Every node's /routez lists both others. */
	const fullMesh = () =>
		routedToEachOther(cluster.nodes.map((name) => ({ name, httpUrl: cluster.httpUrl(name) })));

	beforeAll(async () => {
		process.on('unhandledRejection', onUnhandled);
		cluster = await Cluster.open({
			version: VERSION,
			binaryFor: async (v) => binaryFor(v),
			stateDir: mkdtempSync(join(tmpdir(), 'natslab-probes-')),
			basePort: TEST_BASE_PORTS.probes,
			fresh: true,
		});
		await cluster.startAll();
		// Ready includes every node in the meta group (Cluster.waitForReady restarts one a 2.10
		// bootstrap left out).
		await cluster.waitForReady(60_000);
		urls = cluster.nodes.map((n) => cluster.clientUrl(n));
		await ensureLabStream(urls, { timeoutMs: 60_000 });
		const nc = await openUntil(urls, Date.now() + 30_000, 'probes-test-helper');
		if (!nc) throw new Error('helper connection failed');
		helper = nc;
		await waitHealthy();
	});

	afterAll(async () => {
		await hub?.stop();
		await helper?.close().catch(() => {});
		await cluster?.down({ purge: true });
		process.off('unhandledRejection', onUnhandled);
	});

	// What a kill can cost: the publisher writes what is due every 100 ms in one socket write (5 messages at
	// 50/s, at most twice that after a stalled tick), and the write the dying server had not forwarded is
	// gone: one write, 5 messages, seen in CI on a loaded machine (§14.5).
	const lostAtMost = (2 * DEFAULT_RATES.core * PUBLISH_EVERY_MS) / 1000;
	it('core: the publisher’s server is killed → it reconnects elsewhere within a second, at most one stalled write lost', async () => {
		const rec = new Recorder();
		hub = createProbeHub({ servers: urls, emit: rec.emit });
		await hub.start([{ kind: 'core' }]);
		const pubServer = rec.first('core-pub', 'connected').server;
		const subServer = rec.first('core-sub', 'connected').server;
		expect(nodeOf(pubServer)).toBe('n1');
		expect(nodeOf(subServer)).not.toBe('n1');
		// Let the connection get older than reconnectTimeWait (2 s): a younger one waits out the
		// remainder before re-dialling (§14.2 "young connection").
		await waitUntil(
			() => rec.has('core-sub') && rec.counters('core-sub').received >= 150,
			'core-sub to receive 150',
		);

		const victim = nodeOf(pubServer);
		await cluster.kill(victim);
		await waitUntil(() => rec.statuses('core-pub', 'reconnect').length > 0, 'core-pub to reconnect');
		const disconnect = rec.first('core-pub', 'disconnect');
		const reconnect = rec.first('core-pub', 'reconnect');
		expect(disconnect.server).toBe(pubServer);
		expect(reconnect.server).toBeDefined();
		expect(reconnect.server).not.toBe(pubServer);
		const gap = reconnect.at - disconnect.at;
		expect(gap).toBeLessThan(1000);
		const sequence = rec.statuses('core-pub').map((e) => e.status);
		expect(sequence.slice(0, 2)).toEqual(['connecting', 'connected']);
		expect(sequence.indexOf('disconnect')).toBeLessThan(sequence.indexOf('reconnecting'));
		expect(sequence.indexOf('reconnecting')).toBeLessThan(sequence.indexOf('reconnect'));

		const receivedAtReconnect = rec.counters('core-sub').received;
		await waitUntil(
			() => rec.counters('core-sub').received >= receivedAtReconnect + 100,
			'100 more messages',
		);
		await hub.stop();
		const pub = rec.counters('core-pub');
		const sub = rec.counters('core-sub');
		console.log(
			`[probes] kill ${victim}: reconnect gap ${gap} ms to ${reconnect.server}; sent ${pub.sent}, received ${sub.received}, lost ${sub.lost}, max gap ${sub.maxGapMs} ms`,
		);
		expect(sub.lost).toBeLessThanOrEqual(lostAtMost);
		expect(sub.duplicated).toBe(0);
		expect(sub.received + sub.lost).toBeLessThanOrEqual(pub.sent);
		expect(sub.received).toBeGreaterThan(250);
		expect(rec.statuses('core-sub', 'disconnect')).toEqual([]);
		await waitHealthy();
	});

	it('jetstream: a lame duck restart of the publisher’s node loses no acked message', async () => {
		const rec = new Recorder();
		hub = createProbeHub({ servers: urls, emit: rec.emit });
		await hub.start([{ kind: 'jetstream' }]);
		const pubServer = rec.first('js-pub', 'connected').server;
		const victim = nodeOf(pubServer);
		expect(victim).toBe('n3');
		await waitUntil(() => acked(rec) >= 40, 'js-pub to get 40 acks');

		await cluster.ldm(victim);
		await waitUntil(() => rec.statuses('js-pub', 'ldm').length > 0, 'ldm status on js-pub', 30_000);
		expect(rec.first('js-pub', 'ldm').server).toBe(pubServer);
		await waitUntil(() => rec.statuses('js-pub', 'reconnect').length > 0, 'js-pub to reconnect', 60_000);
		expect(rec.first('js-pub', 'reconnect').server).not.toBe(pubServer);
		await waitUntil(() => !cluster.isRunning(victim), `${victim} to exit after lame duck`, 90_000);
		await cluster.start(victim);
		const ackedAtRestart = acked(rec);
		await waitUntil(() => acked(rec) >= ackedAtRestart + 60, '60 more acks after the restart', 60_000);
		await waitUntil(() => rec.counters('js-consumer').received >= 100, 'js-consumer to read 100', 60_000);

		await hub.stop();
		const result = await hub.verify();
		const pub = rec.counters('js-pub');
		console.log(
			`[probes] ldm ${victim}: ${JSON.stringify(result)}; failed ${JSON.stringify(pub.failed)}, longest ack gap ${pub.maxGapMs} ms`,
		);
		expect(result).not.toBeNull();
		expect(result?.ackedMissing).toBe(0);
		expect(result?.acked).toBe(pub.acked);
		expect(result?.stored).toBeGreaterThanOrEqual(pub.acked);
		// At most the publish in flight at stop is stored without an ack (and each msgID given up while
		// 'in process', probes/in-process.ts).
		expect(result?.stored).toBeLessThanOrEqual(pub.acked + 1 + (result?.givenUp ?? 0));
		const verified = rec.events.find((e) => e.type === 'verified');
		expect(verified?.type === 'verified' && verified.result).toEqual(result);
		expect(rec.counters('js-consumer').lost).toBe(0);
		await waitHealthy();
	});

	it('jetstream: two of three stopped → real timeouts / no-responders; after recovery every acked message is stored', async () => {
		const rec = new Recorder();
		hub = createProbeHub({ servers: urls, emit: rec.emit });
		await hub.start([{ kind: 'jetstream' }]);
		await waitUntil(() => acked(rec) >= 20, 'js-pub to get 20 acks');
		// The survivor is the stream leader: it accepts publishes it cannot commit, so they time out
		// (§14.3: TimeoutError until ~+18 s, then no-responders) and may be stored after all.
		const jsm = await jetstreamManager(helper, { checkAPI: false, timeout: 2000 });
		const survivor = (await jsm.streams.info(LAB_STREAM)).cluster?.leader ?? 'n1';
		await Promise.all(cluster.nodes.filter((n) => n !== survivor).map((n) => cluster.stop(n)));

		// Real errors from our own client on the survivor, classified by the probes' classifier.
		const raw: unknown[] = [];
		const nc = await openUntil([cluster.clientUrl(survivor)], Date.now() + 10_000, 'probes-test-raw');
		if (!nc) throw new Error('no connection to the survivor');
		const js = jetstream(nc, { timeout: 1000 });
		try {
			for (let i = 0; raw.length < 3 && i < 60; i++) {
				try {
					await js.publish('orders.raw', 'x', { msgID: `raw-${i}`, timeout: 1000 });
				} catch (err) {
					raw.push(err);
				}
			}
		} finally {
			await nc.close();
		}
		expect(raw.length).toBe(3);
		for (const err of raw) {
			const name = (err as Error).name;
			const kind = classifyJsError(err);
			expect(['TimeoutError', 'JetStreamNotEnabled']).toContain(name);
			expect(kind).toBe(name === 'TimeoutError' ? 'timeout' : 'noResponders');
		}

		await waitUntil(
			() => {
				const f = rec.has('js-pub') ? rec.counters('js-pub').failed : null;
				return f !== null && f.timeout + f.noResponders >= 5;
			},
			'js-pub to see 5 timeouts or no-responders',
			60_000,
		);
		const ackedInOutage = acked(rec);
		const failures = rec.failures('js-pub');
		// 'other' only for the answer to a retry of a msgID the stalled leader still holds uncommitted:
		// {"seq":0,"duplicate":true} on 2.10.27, error 10158 "duplicate message id is in process" on
		// 2.15.1 (2.9.10 lets it time out) - all measured.
		const unexpected = failures.filter(
			(f) => f.failure === 'other' && !/sequence 0|duplicate message id is in process/.test(f.message),
		);
		expect(unexpected).toEqual([]);

		await Promise.all(cluster.nodes.filter((n) => n !== survivor).map((n) => cluster.start(n)));
		await waitUntil(() => acked(rec) >= ackedInOutage + 40, '40 acks after recovery', 90_000);
		await hub.stop();
		const result = await hub.verify();
		const pub = rec.counters('js-pub');
		console.log(
			`[probes] quorum loss, survivor ${survivor} (stream leader): ${JSON.stringify(result)}; failed ${JSON.stringify(pub.failed)}, retried ${pub.retried}, longest ack gap ${pub.maxGapMs} ms; raw errors ${raw.map((e) => (e as Error).name).join(', ')}`,
		);
		expect(pub.failed.timeout + pub.failed.noResponders).toBeGreaterThanOrEqual(5);
		expect(pub.failed.timeout).toBeGreaterThanOrEqual(1);
		expect(pub.retried).toBeGreaterThanOrEqual(5);
		expect(pub.maxGapMs).toBeGreaterThan(1000);
		expect(result?.ackedMissing).toBe(0);
		expect(result?.acked).toBe(pub.acked);
		expect(result?.stored).toBeGreaterThanOrEqual(pub.acked);
		// At most the one in flight at the end, and each msgID given up while 'in process' (probes/in-process.ts).
		expect(result?.stored).toBeLessThanOrEqual(pub.acked + 1 + (result?.givenUp ?? 0));
		expect(result?.timedOutButStored).toBeGreaterThanOrEqual(0);
		expect(result?.timedOutButStored).toBeLessThanOrEqual(pub.failed.timeout);
		await waitHealthy();
	});

	it('stop() is bounded while the publisher’s server is frozen (SIGSTOP) and nats.js re-dials it', async () => {
		const rec = new Recorder();
		hub = createProbeHub({ servers: urls, emit: rec.emit });
		await hub.start([{ kind: 'core', options: { pingInterval: 1000, maxPingOut: 2 } }]);
		await waitUntil(
			() => rec.has('core-sub') && rec.counters('core-sub').received >= 100,
			'core-sub to receive 100',
		);
		const victim = nodeOf(rec.first('core-pub', 'connected').server);
		await cluster.pause(victim);
		try {
			// Only the client's own PINGs reveal a hung server (§9 part C): ≈ interval × (maxPingOut + 1).
			await waitUntil(
				() => rec.statuses('core-pub', 'staleConnection').length > 0,
				'staleConnection',
				30_000,
			);
			const t0 = Date.now();
			await hub.stop();
			const took = Date.now() - t0;
			console.log(`[probes] stop while ${victim} is frozen: ${took} ms`);
			// nats.js is inside a 20 s connect timeout to the frozen server; stop must not wait for it.
			expect(took).toBeLessThan(5000);
			expect(hub.running()).toEqual([]);
			expect(rec.statuses('core-pub', 'close')).toHaveLength(1);
		} finally {
			await cluster.resume(victim);
		}
		await waitHealthy();
	});

	it('a client with maxReconnectAttempts gives up when every server is gone', async () => {
		const rec = new Recorder();
		hub = createProbeHub({ servers: urls, emit: rec.emit });
		await hub.start([{ kind: 'core', options: { maxReconnectAttempts: 2, reconnectTimeWait: 250 } }]);
		await waitUntil(
			() => rec.has('core-sub') && rec.counters('core-sub').received >= 20,
			'core-sub to receive 20',
		);
		await Promise.all(cluster.nodes.map((n) => cluster.kill(n)));
		await waitUntil(() => hub?.running().length === 0, 'both core probes to give up', 30_000);
		for (const probe of ['core-pub', 'core-sub']) {
			const close = rec.first(probe, 'close');
			expect(close.detail).toMatch(/^gave up/);
		}
		await hub.stop();
	});

	it('raised no unhandled rejection', () => {
		expect(unhandled).toEqual([]);
	});
});
