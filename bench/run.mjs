#!/usr/bin/env node
// `npm run bench`: runs every bench/*.mjs (except this one and lib.mjs) in turn;
// each prints its figures and floors (measured in the same run) as it goes. At the
// end, one table: every target of issue #12 with its figure, floor, difference or
// ratio, and PASS/MISS ("not measured" when no bench reported it).
//   npm run bench                 everything
//   npm run bench -- scripting    only the benches whose file name contains a word
//   npm run bench -- --json       the same, as one JSON document on stdout (the
//                                 benches' own lines go to stderr)
// Benchmarks hold the speed targets; tests never time things.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The targets. `over`: figure − floor ≤ max; `max`: figure ≤ max (the floor is printed
 * for the ratio only). The bench that measures each is named for `npm run bench -- <name>`.
 */
const TARGETS = [
	{
		id: 'cluster-up',
		bench: 'cluster-up',
		what: '`cluster up` to an agreed meta leader, over raw nats-server',
		over: 150,
	},
	{
		id: 'dashboard',
		bench: 'screen',
		what: 'sandbox: dashboard with nodes and meta leader after launch',
		max: 1000,
	},
	{ id: 'idle-cpu', bench: 'screen', what: 'sandbox idle CPU with live probes (% of a core)', max: 3 },
	{ id: 'rss', bench: 'screen', what: 'sandbox RSS (MB)', max: 120 },
	{ id: 'event-to-screen', bench: 'screen', what: 'event → screen, p95 over ≥ 20 events', max: 300 },
	{ id: 'picker', bench: 'picker', what: 'lesson picker, launch → first frame (warm)', max: 500 },
	{ id: 'cmd-status', bench: 'scripting', what: '`cluster status`: own time before the request', over: 150 },
	{
		id: 'cmd-node-stop',
		bench: 'scripting',
		what: '`cluster node n1 stop`: own time before the signal',
		over: 150,
	},
	{
		id: 'course',
		bench: 'course',
		what: '`learn --all --auto --jobs 3` (NATSLAB_BENCH_COURSE_JOBS), the whole course (s)',
		max: 150,
	},
];

const dir = import.meta.dirname;
const args = process.argv.slice(2);
const json = args.includes('--json');
const only = args.filter((a) => a !== '--json');
const benches = readdirSync(dir)
	.filter((f) => f.endsWith('.mjs') && f !== 'run.mjs' && f !== 'lib.mjs')
	.filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
	.sort();
// --json: stdout carries only the JSON document; everything else goes to stderr.
const say = (line) => (json ? process.stderr : process.stdout).write(`${line}\n`);

// The benches run real servers: fetch the versions they use through natslab
// itself (cached ones are skipped), and point every bench at that cache.
const { natslabPaths } = await import('../dist/base/paths.js');
const cacheServers = join(natslabPaths().cache, 'servers');
const work = mkdtempSync(join(tmpdir(), 'natslab-bench-run-'));
const figuresFile = join(work, 'figures.jsonl');
const env = {
	...process.env,
	NATSLAB_BENCH_BIN_DIR: process.env.NATSLAB_BENCH_BIN_DIR ?? cacheServers,
	NATSLAB_TEST_BIN_DIR: process.env.NATSLAB_TEST_BIN_DIR ?? cacheServers,
	NATSLAB_BENCH_FIGURES: figuresFile,
};
const childStdio = ['ignore', json ? 2 : 'inherit', 'inherit'];
if (!process.env.NATSLAB_BENCH_BIN_DIR) {
	const cli = join(dir, '..', 'dist', 'cli.js');
	const r = spawnSync(process.execPath, [cli, 'servers', 'install', '2.9.10', '2.10.27', '2.15.1'], {
		stdio: childStdio,
	});
	if (r.status !== 0) process.exit(r.status ?? 1);
}

const loadBefore = loadavg();
const failedBenches = [];
for (const file of benches) {
	say(`\n== ${file}`);
	const r = spawnSync(process.execPath, [join(dir, file)], { stdio: childStdio, env });
	if (r.status !== 0) {
		failedBenches.push(file);
		say(`== ${file} failed (exit ${r.status})`);
	}
}

let figures = [];
try {
	figures = readFileSync(figuresFile, 'utf8')
		.split('\n')
		.filter((l) => l !== '')
		.map((l) => JSON.parse(l));
} catch {
	// no bench reported a figure
}
rmSync(work, { recursive: true, force: true });

const ran = new Set(benches.map((f) => f.replace(/\.mjs$/, '')));
const verdicts = TARGETS.filter((t) => only.length === 0 || ran.has(t.bench)).map((t) => {
	const f = figures.find((x) => x.id === t.id);
	const target = t.over !== undefined ? `≤ floor + ${t.over}` : `≤ ${t.max}`;
	if (!f) return { ...t, target, status: 'not measured' };
	const diff = f.floor === null ? null : Math.round((f.value - f.floor) * 10) / 10;
	const ratio = f.floor ? Math.round((f.value / f.floor) * 100) / 100 : null;
	const pass = t.over !== undefined ? diff !== null && diff <= t.over : f.value <= t.max;
	return { ...t, target, figure: f, diff, ratio, status: pass ? 'PASS' : 'MISS' };
});
const load = {
	before: loadBefore.map((l) => Number(l.toFixed(2))),
	after: loadavg().map((l) => Number(l.toFixed(2))),
};

if (json) {
	process.stdout.write(`${JSON.stringify({ load, failedBenches, targets: verdicts, figures }, null, 2)}\n`);
} else {
	say(`\n== targets (load average ${load.before.join(' ')} → ${load.after.join(' ')})`);
	for (const v of verdicts) {
		const f = v.figure;
		const figure = f ? `${f.value} ${f.unit}` : '—';
		const floor = f?.floor != null ? `floor ${f.floor} ${f.unit}, +${v.diff}, ×${v.ratio}` : '';
		say(`${v.status.padEnd(12)} ${v.id.padEnd(16)} ${figure.padEnd(12)} ${v.target.padEnd(16)} ${floor}`);
	}
}
process.exit(failedBenches.length ? 1 : 0);
