#!/usr/bin/env node
// `npm test`: everything CI must keep true, in the order that fails fastest.
// lint/format → typecheck → build → unit + integration tests (real servers;
// binaries are fetched by natslab itself in the integration global setup).
// Ends with the plain "N passed, N failed" line CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const passthrough = process.argv.slice(2);

function step(title, cmd, args) {
	process.stdout.write(`\n── ${title}\n`);
	const started = Date.now();
	const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
	const secs = ((Date.now() - started) / 1000).toFixed(1);
	if (r.status !== 0) {
		process.stdout.write(`── ${title}: FAILED after ${secs}s\n`);
		return false;
	}
	process.stdout.write(`── ${title}: ok (${secs}s)\n`);
	return true;
}

const report = join(root, 'vitest-report.json');
rmSync(report, { force: true });

const ok =
	step('lint and format (biome)', bin('biome'), ['check', '.']) &&
	step('typecheck (tsc)', bin('tsc'), ['-p', 'tsconfig.json']) &&
	step('build (tsc → dist, esbuild → dist/app)', process.execPath, [join(root, 'scripts', 'build.mjs')]);

let testsOk = false;
if (ok) {
	testsOk = step('tests (vitest: unit + integration against real nats-server)', bin('vitest'), [
		'run',
		'--reporter=default',
		'--reporter=json',
		`--outputFile.json=${report}`,
		...passthrough,
	]);
}

if (existsSync(report)) {
	const r = JSON.parse(readFileSync(report, 'utf8'));
	console.log(
		`\n${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`,
	);
	if (r.numTotalTests === 0) testsOk = false;
} else {
	console.log('\n0 passed, 1 failed');
}
process.exit(ok && testsOk ? 0 : 1);
