#!/usr/bin/env node
// Probes benchmark: the four nats.js v3 probes (core pub/sub, JetStream pub and
// consumer) at their default rates for ~10 s against a real three-node cluster.
// Prints this process's CPU (process.cpuUsage deltas; the servers are separate
// processes and not counted) and the message rates the probes achieved.
//
// Binaries: NATSLAB_BENCH_BIN_DIR (<dir>/<version>/nats-server), else natslab's
// cache (natslabPaths().cache/servers/<version>/nats-server). Needs dist/
// (npm run bench builds it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from '../dist/cluster/cluster.js';
import { createProbeHub, ensureLabStream } from '../dist/probes/index.js';
import { benchBinaryFor } from './lib.mjs';

const VERSION = process.env.NATSLAB_BENCH_VERSION ?? '2.10.27';
// Below 32768 (the ephemeral range), like the test blocks in test/support/ports.ts.
const BASE_PORT = 21_600;
const MEASURE_MS = 10_000;

const binaryFor = benchBinaryFor;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const stateDir = mkdtempSync(join(tmpdir(), 'natslab-bench-probes-'));
const cluster = await Cluster.open({
	version: VERSION,
	binaryFor: async (v) => binaryFor(v),
	stateDir,
	basePort: BASE_PORT,
	fresh: true,
});
let hub = null;
try {
	await cluster.startAll();
	// Ready = every node in the meta group (it restarts one a 2.10 bootstrap left out).
	await cluster.waitForReady(60_000);
	const servers = cluster.nodes.map((n) => cluster.clientUrl(n));
	await ensureLabStream(servers, { timeoutMs: 30_000 });

	const latest = new Map();
	let events = 0;
	hub = createProbeHub({
		servers,
		emit: (e) => {
			events++;
			if (e.type === 'counters') latest.set(e.probe, e.counters);
		},
	});
	await hub.start([{ kind: 'core' }, { kind: 'jetstream' }]);
	// Warm-up: connections made, stream and consumer found, JIT settled.
	await sleep(2000);
	const before = new Map([...latest].map(([k, v]) => [k, { ...v }]));
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	await sleep(MEASURE_MS);
	const cpu = process.cpuUsage(cpu0);
	const seconds = (performance.now() - t0) / 1000;
	await hub.stop();

	const perSecond = (probe, field) =>
		((latest.get(probe)?.[field] ?? 0) - (before.get(probe)?.[field] ?? 0)) / seconds;
	const cpuMsPerSecond = (cpu.user + cpu.system) / 1000 / seconds;
	console.log(`nats-server ${VERSION}, ${seconds.toFixed(1)} s measured, ${events} client events`);
	console.log(
		`probes CPU: ${cpuMsPerSecond.toFixed(1)} ms user+sys per s (${(cpuMsPerSecond / 10).toFixed(1)}% of one core)`,
	);
	console.log(
		`core: sent ${perSecond('core-pub', 'sent').toFixed(1)}/s, received ${perSecond('core-sub', 'received').toFixed(1)}/s, lost ${latest.get('core-sub')?.lost ?? 0}`,
	);
	console.log(
		`jetstream: acked ${perSecond('js-pub', 'acked').toFixed(1)}/s, consumed ${perSecond('js-consumer', 'received').toFixed(1)}/s, longest ack gap ${latest.get('js-pub')?.maxGapMs ?? 0} ms`,
	);
	const verified = await hub.verify();
	console.log(`verify: acked ${verified?.acked}, stored ${verified?.stored}, lost ${verified?.ackedMissing}`);
} catch (err) {
	console.error(`probes bench failed: ${err instanceof Error ? err.message : String(err)}`);
	process.exitCode = 1;
} finally {
	await hub?.stop();
	await cluster.down({ purge: true });
	rmSync(stateDir, { recursive: true, force: true });
}
