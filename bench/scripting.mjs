#!/usr/bin/env node
// Scripting commands' own start-up: how long `natslab cluster status` and
// `natslab cluster node n1 stop` take from the exec of node to their first real act
// (status: the connect(2) to a monitoring port; stop: the kill(2) SIGTERM to n1's
// server), measured by strace from outside (-f --seccomp-bpf: only the traced calls
// stop the process, so tracing costs next to nothing). Floor, in the same run: a bare
// `node -e` that does the same one act (connect to the port / kill(pid, 0)).
// Median of 5, alternating with the floor, after a warm-up of each.
//
// Needs strace and dist/ (npm run bench builds it). The cluster is a real one
// (`natslab cluster up`, 2.10.27) in a private NATSLAB_HOME, stopped at the end.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { benchBinaryFor, loadAverage, median, reportFigure } from './lib.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const VERSION = process.env.NATSLAB_BENCH_VERSION ?? '2.10.27';
// Below the ephemeral range, apart from the other benches (21400, 21600, 24222+) and the test blocks.
const BASE_PORT = 24_500;
const RUNS = 5;

const dir = mkdtempSync(join(tmpdir(), 'natslab-bench-scripting-'));
const home = join(dir, 'home');
mkdirSync(join(home, 'cache', 'servers'), { recursive: true });
symlinkSync(dirname(benchBinaryFor(VERSION)), join(home, 'cache', 'servers', VERSION));
const env = { ...process.env, NATSLAB_HOME: home };

function natslab(...args) {
	return execFileSync(process.execPath, [CLI, ...args], {
		env,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
}

/** Runs argv under strace; ms from node's execve to the first traced line `isAct` accepts. */
function straced(argv, isAct) {
	const log = join(dir, 'strace.txt');
	const r = spawnSync(
		'strace',
		['-f', '--seccomp-bpf', '-ttt', '-e', 'trace=execve,kill,connect', '-o', log, ...argv],
		{ env, stdio: 'ignore' },
	);
	if (r.error) throw new Error(`strace could not run (${r.error.message}): this bench needs strace`);
	if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}`);
	const lines = readFileSync(log, 'utf8').split('\n');
	const at = (l) => Number(l.split(/\s+/)[1]);
	const exec = lines.find((l) => l.includes('execve(') && l.includes(process.execPath.split('/').pop()));
	const act = lines.find((l) => !l.includes('execve(') && isAct(l));
	if (!exec || !act) throw new Error(`no ${exec ? 'act' : 'execve'} in the strace of ${argv.join(' ')}`);
	return (at(act) - at(exec)) * 1000;
}

const connectsTo = (port) => (l) => l.includes('connect(') && l.includes(`htons(${port})`);
const kills = (pid, signal) => (l) => new RegExp(`\\bkill\\(${pid}, ${signal}\\)`).test(l);

function measure(label, id, command, floorCommand, between) {
	const own = [];
	const floor = [];
	for (let i = -1; i < RUNS; i++) {
		const c = command();
		const f = floorCommand();
		between?.();
		if (i < 0) continue; // warm-up
		own.push(c);
		floor.push(f);
	}
	return reportFigure({
		id,
		label,
		value: median(own),
		floor: median(floor),
		floorLabel: 'bare node doing the same one call',
		runs: own,
		floorRuns: floor,
	});
}

try {
	const up = JSON.parse(
		natslab('cluster', 'up', '--json', '--version', VERSION, '--base-port', String(BASE_PORT)),
	);
	const n1 = () => up.nodes.find((n) => n.name === 'n1');
	const httpPort = n1().ports.http;
	console.log(`nats-server ${VERSION}, load ${(await loadAverage()).join(' ')}`);

	measure(
		'cluster status: exec → first monitoring request',
		'cmd-status',
		() => straced([process.execPath, CLI, 'cluster', 'status'], connectsTo(httpPort)),
		() =>
			straced(
				[
					process.execPath,
					'-e',
					`require('node:net').connect(${httpPort}, '127.0.0.1').on('connect', (s) => process.exit(0))`,
				],
				connectsTo(httpPort),
			),
	);

	let pid = n1().pid;
	measure(
		'cluster node n1 stop: exec → SIGTERM to the server',
		'cmd-node-stop',
		() => straced([process.execPath, CLI, 'cluster', 'node', 'n1', 'stop'], kills(pid, 'SIGTERM')),
		() => straced([process.execPath, '-e', `try { process.kill(${pid}, 0) } catch {}`], kills(pid, '0')),
		() => {
			natslab('cluster', 'node', 'n1', 'start');
			pid = JSON.parse(natslab('cluster', 'status', '--json')).nodes.find((n) => n.name === 'n1').pid;
		},
	);
} catch (err) {
	console.error(`scripting bench failed: ${err instanceof Error ? err.message : String(err)}`);
	process.exitCode = 1;
} finally {
	try {
		natslab('cluster', 'down', '--purge');
	} catch {
		// nothing was up
	}
	rmSync(dir, { recursive: true, force: true });
}
