#!/usr/bin/env node
// Probes benchmark: the four nats.js v3 probes (core pub/sub, JetStream pub and
// consumer) at their default rates for ~10 s against a real three-node cluster.
// Prints this process's CPU (process.cpuUsage deltas; the servers are separate
// processes and not counted) and the message rates the probes achieved.
//
// Binaries: NATSLAB_BENCH_BIN_DIR (<dir>/<version>/nats-server), else natslab's
// cache (natslabPaths().cache/servers/<version>/nats-server). Needs dist/
// (npm run bench builds it).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from '../dist/cluster/cluster.js';
import { natslabPaths } from '../dist/paths.js';
import { createProbeHub, ensureLabStream } from '../dist/probes/index.js';

const VERSION = process.env.NATSLAB_BENCH_VERSION ?? '2.10.27';
// Below 32768 (the ephemeral range), like the test blocks in test/support/ports.ts.
const BASE_PORT = 21_600;
const MEASURE_MS = 10_000;

function binaryFor(version) {
	const dir = process.env.NATSLAB_BENCH_BIN_DIR ?? join(natslabPaths().cache, 'servers');
	const path = join(dir, version, 'nats-server');
	if (!existsSync(path)) {
		throw new Error(
			`nats-server ${version} not found at ${path}: set NATSLAB_BENCH_BIN_DIR or run \`natslab servers install ${version}\``,
		);
	}
	return path;
}

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
	await cluster.waitForMetaLeader(60_000);
	const servers = cluster.nodes.map((n) => cluster.clientUrl(n));
	await ensureLabStream(servers, { timeoutMs: 15_000 }).catch(async (err) => {
		// 2.10.27 sometimes bootstraps its meta group without one server (see lab-stream.ts):
		// restart whoever the leader's /jsz does not list, then try again.
		const leader = await cluster.waitForMetaLeader(60_000);
		const body = await (await fetch(`${cluster.httpUrl(leader)}/jsz`)).json();
		const members = [leader, ...(body.meta_cluster?.replicas ?? []).map((r) => r.name)];
		const outside = cluster.nodes.filter((n) => !members.includes(n));
		if (outside.length === 0) throw err;
		console.log(`meta group formed without ${outside.join(', ')}: restarting it`);
		for (const n of outside) await cluster.restart(n);
		await ensureLabStream(servers, { timeoutMs: 60_000 });
	});

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
