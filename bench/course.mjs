#!/usr/bin/env node
// The whole course unattended: `natslab learn --all --auto --json` on real servers
// (2.9.10 and 2.10.27 from the bench cache), once (it takes minutes). Prints where
// the time goes: per lesson the cluster set-up and each step, slowest first, so a
// cut can be aimed at waits that teach nothing (never at a wait that teaches, such
// as the 30 s lame duck). No floor: the target is absolute (≤ 150 s).
//
// NATSLAB_BENCH_COURSE_REPORT=FILE also keeps learn's JSON report there.
// NATSLAB_BENCH_COURSE_JOBS=N: `--jobs N` (default 3: three lessons side by side, each
// on its own cluster; 1 is the course one lesson after another).
// Needs dist/ (npm run bench builds it). Port block: NATSLAB_BENCH_COURSE_PORT
// (default 24600, below the ephemeral range and apart from the other benches).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { benchBinaryFor, loadAverage, reportFigure } from './lib.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const BASE_PORT = Number(process.env.NATSLAB_BENCH_COURSE_PORT ?? 24_600);
const JOBS = Number(process.env.NATSLAB_BENCH_COURSE_JOBS ?? 3);
const VERSIONS = ['2.9.10', '2.10.27'];
// Lesson 12 runs on its own version (versions.fallback): linked when the bench has it, or the
// lesson's set-up would time a download (18-50 s in two runs) instead of natslab.
const OWN_VERSIONS = ['2.15.1'];

const dir = mkdtempSync(join(tmpdir(), 'natslab-bench-course-'));
const home = join(dir, 'home');
mkdirSync(join(home, 'cache', 'servers'), { recursive: true });
for (const v of VERSIONS) symlinkSync(dirname(benchBinaryFor(v)), join(home, 'cache', 'servers', v));
for (const v of OWN_VERSIONS) {
	try {
		symlinkSync(dirname(benchBinaryFor(v)), join(home, 'cache', 'servers', v));
	} catch {
		console.log(`nats-server ${v} is not in the bench's binaries: its lesson's set-up includes getting it`);
	}
}

const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
try {
	const loadBefore = await loadAverage();
	const t0 = performance.now();
	const r = spawnSync(
		process.execPath,
		[
			join(ROOT, 'dist', 'cli.js'),
			'learn',
			'--all',
			'--auto',
			'--json',
			'--base-port',
			String(BASE_PORT),
			'--jobs',
			String(JOBS),
		],
		{ env: { ...process.env, NATSLAB_HOME: home }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
	);
	const wallMs = performance.now() - t0;
	let report;
	try {
		report = JSON.parse(r.stdout);
	} catch {
		throw new Error(
			`learn --all --auto gave no report (exit ${r.status}): ${r.stderr.trim().split('\n').pop()}`,
		);
	}
	console.log(
		`load ${loadBefore.join(' ')} → ${(await loadAverage()).join(' ')}; ${report.ok ? 'passed' : `FAILED: ${report.failure}`}`,
	);
	const parts = [];
	for (const l of report.lessons) {
		parts.push({ what: `${l.id}: cluster set-up`, ms: l.setupMs });
		for (const [i, step] of (l.steps ?? []).entries())
			parts.push({ what: `${l.id}: step ${i + 1} ${step.title ?? ''}`.trim(), ms: step.ms ?? 0 });
	}
	const setup = report.lessons.reduce((sum, l) => sum + (l.setupMs ?? 0), 0);
	const steps = report.lessons.reduce(
		(sum, l) => sum + (l.steps ?? []).reduce((a, st) => a + (st.ms ?? 0), 0),
		0,
	);
	const shutdowns = report.lessons.reduce((sum, l) => sum + (l.shutdownMs ?? 0), 0);
	const runs = report.lessons.reduce((sum, l) => sum + (l.ms ?? 0), 0);
	if (JOBS === 1) {
		console.log(
			`where the time goes: set-ups ${s(setup)}, steps ${s(steps)}, the rest ${s(wallMs - setup - steps)}`,
		);
		console.log(
			`  of the rest: shut-downs ${s(shutdowns)}, the lab's readiness before the first step (inside a lesson, outside its steps) ${s(runs - steps)}, between lessons and node's start/exit ${s(wallMs - setup - runs - shutdowns)}`,
		);
	} else {
		// Side by side: the lessons' own times add up to more than the wall; each lane's sum is
		// what it paid one lesson after another, the longest lane is the wall's floor.
		const lessonMs = (l) => (l.setupMs ?? 0) + (l.ms ?? 0) + (l.shutdownMs ?? 0);
		console.log(
			`${JOBS} lanes: the lessons' own times add up to ${s(report.lessons.reduce((a, l) => a + lessonMs(l), 0))} (set-ups ${s(setup)}, steps ${s(steps)}, readiness ${s(runs - steps)}, shut-downs ${s(shutdowns)}); wall ${s(wallMs)}`,
		);
		for (let k = 1; k <= JOBS; k++) {
			const mine = report.lessons.filter((l) => l.lane === k);
			console.log(
				`  lane ${k}: ${s(mine.reduce((a, l) => a + lessonMs(l), 0))}  ${mine.map((l) => l.id).join(', ')}`,
			);
		}
	}
	// Per lesson, in the order the course pays them: servers started (set-up), the lesson's
	// readiness wait (mesh, meta leader, probes: the lesson's time outside its steps), each
	// step, and stopping everything (shut-down).
	for (const l of report.lessons) {
		const stepMs = (l.steps ?? []).map((st) => st.ms ?? 0);
		const ready = (l.ms ?? 0) - stepMs.reduce((a, b) => a + b, 0);
		console.log(
			`  ${l.id.padEnd(28)} set-up ${s(l.setupMs).padStart(7)}  ready ${s(ready).padStart(6)}  steps ${stepMs.map((m) => s(m)).join(' + ')}  shut-down ${s(l.shutdownMs ?? 0)}`,
		);
		parts.push({ what: `${l.id}: readiness before step 1`, ms: ready });
	}
	// The whole report, for docs/measurements.md's breakdown.
	if (process.env.NATSLAB_BENCH_COURSE_REPORT)
		writeFileSync(process.env.NATSLAB_BENCH_COURSE_REPORT, `${JSON.stringify(report, null, 2)}\n`);
	console.log('slowest parts:');
	for (const p of parts.sort((a, b) => b.ms - a.ms).slice(0, 10))
		console.log(`  ${s(p.ms).padStart(7)}  ${p.what}`);
	reportFigure({
		id: 'course',
		label: `learn --all --auto${JOBS === 1 ? '' : ` --jobs ${JOBS}`}: the whole course`,
		unit: 's',
		value: wallMs / 1000,
		note: `set-ups ${s(setup)}, steps ${s(steps)}${report.ok ? '' : `; failed: ${report.failure}`}`,
	});
	if (!report.ok) process.exitCode = 1;
} catch (err) {
	console.error(`course bench failed: ${err instanceof Error ? err.message : String(err)}`);
	process.exitCode = 1;
} finally {
	rmSync(dir, { recursive: true, force: true });
}
