#!/usr/bin/env node
// `cluster up` benchmark: warm time from "go" to a JetStream meta leader that
// every node names, through natslab (Cluster.open + startAll +
// waitForMetaLeader: reaper scan, port choice, configs, run file, setpriv,
// readiness) and through three servers started directly with a minimal config,
// polled the same way (/jsz every 25 ms). Median of 5 each, after one warm-up
// of each; the runs alternate so machine load hits both alike.
//
// Binaries: NATSLAB_BENCH_BIN_DIR (<dir>/<version>/nats-server), else natslab's
// cache (natslabPaths().cache/servers/<version>/nats-server). Needs dist/
// (npm run bench builds it). Version: NATSLAB_BENCH_VERSION (default 2.10.27).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from '../dist/cluster/cluster.js';
import { choosePorts } from '../dist/cluster/ports.js';
import { benchBinaryFor } from './lib.mjs';

const VERSION = process.env.NATSLAB_BENCH_VERSION ?? '2.10.27';
/** Below Linux's ephemeral port range, searched upwards when taken. */
const BASE_PORT = 24_222;
const RUNS = 5;
const POLL_MS = 25;
const NODES = ['n1', 'n2', 'n3'];

const binaryFor = benchBinaryFor;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const root = mkdtempSync(join(tmpdir(), 'natslab-bench-up-'));

async function natslabUp(i) {
	const stateDir = join(root, `natslab-${i}`);
	const t0 = performance.now();
	const cluster = await Cluster.open({
		version: VERSION,
		binaryFor: async (v) => binaryFor(v),
		stateDir,
		defaultBasePort: BASE_PORT,
	});
	const opened = performance.now() - t0;
	await cluster.startAll();
	await cluster.waitForMetaLeader(60_000);
	const ms = performance.now() - t0;
	await cluster.down();
	return { ms, opened };
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
function metaLeader(port) {
	return new Promise((resolve) => {
		const req = get({ host: '127.0.0.1', port, path: '/jsz', agent, timeout: 1000 }, (res) => {
			let body = '';
			res.on('data', (c) => (body += c));
			res.on('end', () => {
				try {
					resolve(JSON.parse(body).meta_cluster?.leader ?? null);
				} catch {
					resolve(null);
				}
			});
		});
		req.on('timeout', () => req.destroy());
		req.on('error', () => resolve(null));
	});
}

/** The minimal way: a bare config per node, spawn all three, poll /jsz. */
async function bareUp(i) {
	const { ports } = await choosePorts({ nodes: NODES, searchFrom: BASE_PORT + 100 });
	const dir = join(root, `bare-${i}`);
	mkdirSync(dir, { recursive: true });
	const routes = NODES.map((n) => `nats-route://127.0.0.1:${ports[n].cluster}`).join(', ');
	const t0 = performance.now();
	const children = NODES.map((n) => {
		const conf = join(dir, `${n}.conf`);
		writeFileSync(
			conf,
			`server_name: ${n}\nlisten: 127.0.0.1:${ports[n].client}\nhttp: 127.0.0.1:${ports[n].http}\n` +
				`jetstream { store_dir: "${join(dir, n)}" }\n` +
				`cluster { name: lab, listen: 127.0.0.1:${ports[n].cluster}, routes: [${routes}] }\n`,
		);
		return spawn(binaryFor(VERSION), ['-c', conf], { stdio: 'ignore' });
	});
	for (;;) {
		const leaders = await Promise.all(NODES.map((n) => metaLeader(ports[n].http)));
		if (leaders[0] && leaders.every((l) => l === leaders[0])) break;
		if (performance.now() - t0 > 60_000) throw new Error('bare cluster: no agreed meta leader within 60 s');
		await sleep(POLL_MS);
	}
	const ms = performance.now() - t0;
	await Promise.all(
		children.map(
			(c) =>
				new Promise((r) => {
					c.once('exit', r);
					c.kill('SIGTERM');
				}),
		),
	);
	return ms;
}

try {
	await natslabUp('warm');
	await bareUp('warm');
	const natslab = [];
	const bare = [];
	const opened = [];
	for (let i = 0; i < RUNS; i++) {
		const r = await natslabUp(i);
		natslab.push(r.ms);
		opened.push(r.opened);
		bare.push(await bareUp(i));
	}
	const n = Math.round(median(natslab));
	const b = Math.round(median(bare));
	console.log(
		`nats-server ${VERSION}, median of ${RUNS} warm runs (natslab ${natslab.map(Math.round).join('/')}, bare ${bare.map(Math.round).join('/')} ms)`,
	);
	console.log(`cluster up (natslab): ${n} ms`);
	console.log(`cluster up (bare nats-server): ${b} ms`);
	console.log(`natslab overhead: ${n - b} ms (target < 150 ms)`);
	// The election itself varies by hundreds of ms run to run; this part is natslab's alone.
	console.log(
		`natslab before the first spawn (reaper scan, port choice, configs, run file): ${Math.round(median(opened))} ms`,
	);
} finally {
	rmSync(root, { recursive: true, force: true });
}
