#!/usr/bin/env node
// `npm run bench`: runs every bench/*.mjs (except this one) in turn and prints
// their figures. Benchmarks hold the speed targets; tests never time things.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const benches = readdirSync(dir)
	.filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
	.filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
	.sort();
let failed = 0;
for (const file of benches) {
	console.log(`\n== ${file}`);
	const r = spawnSync(process.execPath, [join(dir, file)], { stdio: 'inherit' });
	if (r.status !== 0) {
		failed++;
		console.log(`== ${file} failed (exit ${r.status})`);
	}
}
process.exit(failed ? 1 : 0);
