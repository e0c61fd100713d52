#!/usr/bin/env node
// `cluster up` benchmark: warm time from "go" to a JetStream meta leader that
// every node names and whose group holds every node, three ways:
//  - the real command, `natslab cluster up --json`, from exec to its exit (what a
//    script waits for: node's own start-up, natslab's imports, reaper scan, port
//    choice, configs, run file, setpriv, spawn, readiness): the `cluster-up` figure;
//  - the same inside this process (Cluster.open + startAll + waitForReady), which
//    leaves out node's start-up and natslab's imports;
//  - the floor: three servers started directly with a minimal config, polled the
//    same way (/jsz every 25 ms) until they agree on a meta leader.
// Median of 5 each, after one warm-up of each; the runs alternate so machine load
// hits all alike.
//
// Binaries: NATSLAB_BENCH_BIN_DIR (<dir>/<version>/nats-server), else natslab's
// cache (natslabPaths().cache/servers/<version>/nats-server). Needs dist/
// (npm run bench builds it). Version: NATSLAB_BENCH_VERSION (default 2.10.27).
import { spawn, spawnSync } from 'node:child_process';
import {
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Cluster } from '../dist/cluster/cluster.js';
import { choosePorts } from '../dist/cluster/ports.js';
import { parseLogLine } from '../dist/observe/log-parser.js';
import { benchBinaryFor, loadAverage, median, reportFigure, sleep } from './lib.mjs';

const VERSION = process.env.NATSLAB_BENCH_VERSION ?? '2.10.27';
/** Below Linux's ephemeral port range, searched upwards when taken. */
const BASE_PORT = 24_222;
const RUNS = 5;
const POLL_MS = 25;
const NODES = ['n1', 'n2', 'n3'];

const binaryFor = benchBinaryFor;

const root = mkdtempSync(join(tmpdir(), 'natslab-bench-up-'));
const CLI = resolve(import.meta.dirname, '..', 'dist', 'cli.js');
const home = join(root, 'home');
mkdirSync(join(home, 'cache', 'servers'), { recursive: true });
symlinkSync(dirname(binaryFor(VERSION)), join(home, 'cache', 'servers', VERSION));

/** The real command, exec to exit; the cluster is taken down after (not timed). */
function commandUp() {
	const run = (...args) =>
		spawnSync(process.execPath, [CLI, 'cluster', ...args], {
			env: { ...process.env, NATSLAB_HOME: home },
			encoding: 'utf8',
		});
	const t0 = performance.now();
	const wall0 = Date.now();
	const r = run('up', '--json', '--version', VERSION, '--base-port', String(BASE_PORT + 200));
	const ms = performance.now() - t0;
	const own = ownPart(wall0, wall0 + ms);
	const down = run('down', '--purge');
	if (r.status !== 0 || down.status !== 0)
		throw new Error(`natslab cluster up/down failed: ${r.stderr.trim()} ${down.stderr.trim()}`);
	return { ms, upMs: JSON.parse(r.stdout).upMs, own };
}

/**
 * natslab's own part of one `cluster up`, from the servers' logs (local times, as the servers log them; their election
 * between the two varies by hundreds of ms run to run): exec → the first server's first log
 * line (node's start-up, natslab's imports and checks, the spawn), plus the last node's
 * meta leader line → exit (natslab noticing the agreed leader and exiting).
 */
function ownPart(execAt, exitAt) {
	const logs = join(home, 'state', 'clusters', 'default', 'logs');
	let first = Number.POSITIVE_INFINITY;
	let leader = Number.NEGATIVE_INFINITY;
	for (const f of readdirSync(logs).filter((x) => x.endsWith('.log'))) {
		// natslab's own log parser: its times and its MetaLeaderElected (both lines nats-server writes).
		// A line without a time (a start-up failure) gets NaN here, and counts for neither.
		const lines = readFileSync(join(logs, f), 'utf8')
			.split('\n')
			.filter((l) => l !== '')
			.map((l) => parseLogLine(f, l, { now: Number.NaN }));
		if (lines[0] && !Number.isNaN(lines[0].at)) first = Math.min(first, lines[0].at);
		for (const l of lines)
			if (l.parsed.type === 'MetaLeaderElected' && !Number.isNaN(l.at)) leader = Math.max(leader, l.at);
	}
	return { beforeServers: first - execAt, afterLeader: exitAt - leader };
}

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
	await cluster.waitForReady(60_000);
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
	commandUp();
	await natslabUp('warm');
	await bareUp('warm');
	const command = [];
	const own = [];
	const ownBefore = [];
	const natslab = [];
	const bare = [];
	const opened = [];
	for (let i = 0; i < RUNS; i++) {
		const c = commandUp();
		command.push(c.ms);
		own.push(c.own.beforeServers + c.own.afterLeader);
		ownBefore.push(c.own.beforeServers);
		const r = await natslabUp(i);
		natslab.push(r.ms);
		opened.push(r.opened);
		bare.push(await bareUp(i));
	}
	console.log(`nats-server ${VERSION}, median of ${RUNS} warm runs, load ${(await loadAverage()).join(' ')}`);
	const floor = {
		floor: median(bare),
		floorLabel: 'three bare nats-server, minimal config, /jsz every 25 ms',
		floorRuns: bare,
	};
	reportFigure({
		id: 'cluster-up',
		label: '`natslab cluster up`, exec → exit (agreed meta leader, full meta group)',
		value: median(command),
		runs: command,
		...floor,
	});
	reportFigure({
		id: 'cluster-up-in-process',
		label: 'the same inside one process (no node start-up, no imports)',
		value: median(natslab),
		runs: natslab,
		...floor,
	});
	// The servers' election varies by hundreds of ms run to run (so does the floor): natslab's own
	// part of the real command, read against the servers' own log times, is the steadier figure.
	reportFigure({
		id: 'cluster-up-own',
		label: "`cluster up`: natslab's own part (exec → first server log line, + last leader line → exit)",
		value: median(own),
		runs: own,
	});
	reportFigure({
		id: 'cluster-up-before-servers',
		label: "`cluster up`: exec → the first server's first log line (node start-up, imports, spawn)",
		value: median(ownBefore),
		runs: ownBefore,
	});
	// The election itself varies by hundreds of ms run to run; this part is natslab's alone.
	reportFigure({
		id: 'cluster-up-before-spawn',
		label: 'natslab before the first spawn (reaper scan, port choice, configs, run file)',
		value: median(opened),
		runs: opened,
	});
} finally {
	rmSync(root, { recursive: true, force: true });
}
