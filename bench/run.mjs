#!/usr/bin/env node
// `npm run bench`: runs every bench/*.mjs (except this one) in turn and prints
// their figures. Benchmarks hold the speed targets; tests never time things.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const benches = readdirSync(dir)
	.filter((f) => f.endsWith('.mjs') && f !== 'run.mjs' && f !== 'lib.mjs')
	.filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
	.sort();
// The benches run real servers: fetch the versions they use through natslab
// itself (cached ones are skipped), and point every bench at that cache.
const { natslabPaths } = await import('../dist/base/paths.js');
const cacheServers = join(natslabPaths().cache, 'servers');
const env = {
	...process.env,
	NATSLAB_BENCH_BIN_DIR: process.env.NATSLAB_BENCH_BIN_DIR ?? cacheServers,
	NATSLAB_TEST_BIN_DIR: process.env.NATSLAB_TEST_BIN_DIR ?? cacheServers,
};
if (!process.env.NATSLAB_BENCH_BIN_DIR) {
	const cli = join(dir, '..', 'dist', 'cli.js');
	const r = spawnSync(process.execPath, [cli, 'servers', 'install', '2.9.10', '2.10.27'], {
		stdio: 'inherit',
	});
	if (r.status !== 0) process.exit(r.status ?? 1);
}

let failed = 0;
for (const file of benches) {
	console.log(`\n== ${file}`);
	const r = spawnSync(process.execPath, [join(dir, file)], { stdio: 'inherit', env });
	if (r.status !== 0) {
		failed++;
		console.log(`== ${file} failed (exit ${r.status})`);
	}
}
process.exit(failed ? 1 : 0);
