#!/usr/bin/env node
// Probes benchmark: the four nats.js v3 probes (core pub/sub, JetStream pub and
// consumer) at their default rates against a real three-node cluster, and the
// floor: plain nats.js clients doing the same work (a core publisher writing what
// is due every 100 ms and a subscriber on another server; awaited JetStream
// publishes with a msgID, one in flight; a durable pull consumer with short pulls
// and an explicit ack per message), with no natslab code. Two rounds of 10 s each,
// alternated, after a warm-up. Prints this process's CPU (process.cpuUsage deltas;
// the servers are separate processes and not counted) and the rates achieved.
// The probes' CPU is most of the sandbox's idle CPU (issue #12): this says how
// much of it is nats.js doing the probes' work at their rates.
//
// Binaries: NATSLAB_BENCH_BIN_DIR (<dir>/<version>/nats-server), else natslab's
// cache (natslabPaths().cache/servers/<version>/nats-server). Needs dist/
// (npm run bench builds it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Cluster } from '../dist/cluster/cluster.js';
import { createProbeHub, DEFAULT_RATES, ensureLabStream } from '../dist/probes/index.js';
import { benchBinaryFor, median, reportFigure, sleep } from './lib.mjs';

const VERSION = process.env.NATSLAB_BENCH_VERSION ?? '2.10.27';
// Below 32768 (the ephemeral range), like the test blocks in test/support/ports.ts.
const BASE_PORT = 21_600;
const MEASURE_MS = 10_000;
const ROUNDS = 3;

const binaryFor = benchBinaryFor;

const cpuPctOver = async (ms) => {
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	await sleep(ms);
	const cpu = process.cpuUsage(cpu0);
	const seconds = (performance.now() - t0) / 1000;
	return { seconds, cpuPct: (cpu.user + cpu.system) / 1000 / seconds / 10 };
};
const stateDir = mkdtempSync(join(tmpdir(), 'natslab-bench-probes-'));
const cluster = await Cluster.open({
	version: VERSION,
	binaryFor: async (v) => binaryFor(v),
	stateDir,
	basePort: BASE_PORT,
	fresh: true,
});
try {
	await cluster.startAll();
	// Ready = every node in the meta group (it restarts one a 2.10 bootstrap left out).
	await cluster.waitForReady(60_000);
	const servers = cluster.nodes.map((n) => cluster.clientUrl(n));
	await ensureLabStream(servers, { timeoutMs: 30_000 });

	const hubRounds = [];
	const rawRounds = [];
	for (let round = 0; round < ROUNDS; round++) {
		hubRounds.push(await measureHub(servers, round === ROUNDS - 1));
		rawRounds.push(await measureRaw(servers, round));
	}
	const pct = (rounds) => rounds.map((r) => r.cpuPct);
	reportFigure({
		id: 'probes-cpu',
		label: 'the four probes at their default rates, CPU of their process',
		unit: '% of a core',
		value: median(pct(hubRounds)),
		runs: pct(hubRounds),
		floor: median(pct(rawRounds)),
		floorLabel: 'plain nats.js clients doing the same work at the same rates',
		floorRuns: pct(rawRounds),
	});
	for (const r of rawRounds) console.log(`floor round: ${r.line}`);
} catch (err) {
	console.error(`probes bench failed: ${err instanceof Error ? err.message : String(err)}`);
	process.exitCode = 1;
} finally {
	await cluster.down({ purge: true });
	rmSync(stateDir, { recursive: true, force: true });
}

/** The probes as natslab runs them (createProbeHub, default rates). */
async function measureHub(servers, verify) {
	const latest = new Map();
	let events = 0;
	const hub = createProbeHub({
		servers,
		emit: (e) => {
			events++;
			if (e.type === 'counters') latest.set(e.probe, e.counters);
		},
	});
	try {
		await hub.start([{ kind: 'core' }, { kind: 'jetstream' }]);
		// Warm-up: connections made, stream and consumer found, JIT settled.
		await sleep(2000);
		const before = new Map([...latest].map(([k, v]) => [k, { ...v }]));
		const { seconds, cpuPct } = await cpuPctOver(MEASURE_MS);
		const perSecond = (probe, field) =>
			((latest.get(probe)?.[field] ?? 0) - (before.get(probe)?.[field] ?? 0)) / seconds;
		console.log(`nats-server ${VERSION}, probes: ${seconds.toFixed(1)} s measured, ${events} client events`);
		console.log(`probes CPU: ${cpuPct.toFixed(2)} % of one core`);
		console.log(
			`core: sent ${perSecond('core-pub', 'sent').toFixed(1)}/s, received ${perSecond('core-sub', 'received').toFixed(1)}/s, lost ${latest.get('core-sub')?.lost ?? 0}`,
		);
		console.log(
			`jetstream: acked ${perSecond('js-pub', 'acked').toFixed(1)}/s, consumed ${perSecond('js-consumer', 'received').toFixed(1)}/s, longest ack gap ${latest.get('js-pub')?.maxGapMs ?? 0} ms`,
		);
		if (verify) {
			const verified = await hub.verify();
			console.log(
				`verify: acked ${verified?.acked}, stored ${verified?.stored}, lost ${verified?.ackedMissing}`,
			);
		}
		return { cpuPct };
	} finally {
		await hub.stop();
	}
}

/** The same work through plain nats.js: four connections, as the probes have. */
async function measureRaw(servers, round) {
	const stream = 'BENCHFLOOR';
	const subject = `benchfloor.${round}`;
	const opts = (i) => ({ servers: [servers[i % servers.length]], noAsyncTraces: true });
	const [pub, sub, jsPub, jsSub] = await Promise.all([0, 1, 2, 1].map((i) => connect(opts(i))));
	const timers = [];
	let running = true;
	let received = 0;
	let acked = 0;
	let consumed = 0;
	try {
		sub.subscribe(`core.${subject}`, { callback: (_err, m) => Number(m.string()) && received++ });
		await sub.flush();
		const t0 = Date.now();
		let sent = 0;
		timers.push(
			setInterval(() => {
				const due = Math.floor(((Date.now() - t0) * DEFAULT_RATES.core) / 1000);
				while (sent < due) pub.publish(`core.${subject}`, String(++sent));
			}, 100),
		);
		const jsm = await jetstreamManager(jsPub);
		await jsm.streams.add({ name: stream, subjects: ['benchfloor.>'], num_replicas: 3 }).catch(() => {});
		await jsm.consumers.add(stream, { durable_name: 'F1', ack_policy: AckPolicy.Explicit }).catch(() => {});
		const js = jetstream(jsPub, { timeout: 2000 });
		const every = 1000 / DEFAULT_RATES.jetstream;
		const publishing = (async () => {
			let next = Date.now();
			for (let n = 1; running; n++) {
				const wait = next - Date.now();
				if (wait > 0) await sleep(wait);
				next = Math.max(next + every, Date.now());
				await js.publish(subject, `${round}-${n}`, { msgID: `${round}-${n}`, timeout: 2000 }).then(
					() => acked++,
					() => {},
				);
			}
		})();
		const consumer = await jetstream(jsSub).consumers.get(stream, 'F1');
		const messages = await consumer.consume({ expires: 5000 });
		const consuming = (async () => {
			for await (const m of messages) {
				if (m.seq > 0) consumed++;
				m.ack();
			}
		})();
		await sleep(2000);
		const before = { received, acked, consumed };
		const { seconds, cpuPct } = await cpuPctOver(MEASURE_MS);
		const rate = (k) => (({ received, acked, consumed })[k] - before[k]) / seconds;
		running = false;
		messages.stop();
		await Promise.all([publishing, consuming]);
		return {
			cpuPct,
			line: `${cpuPct.toFixed(2)} % of one core; core received ${rate('received').toFixed(1)}/s, JetStream acked ${rate('acked').toFixed(1)}/s, consumed ${rate('consumed').toFixed(1)}/s`,
		};
	} finally {
		running = false;
		for (const t of timers) clearInterval(t);
		await Promise.all([pub, sub, jsPub, jsSub].map((nc) => nc.close()));
	}
}
