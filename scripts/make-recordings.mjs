#!/usr/bin/env node
// Makes the recordings natslab ships (assets/recordings/<lesson id>.jsonl.gz): each
// lesson run for real, unattended, on the default versions, with --record — one at
// a time, as `natslab learn <id> --auto --record FILE` (dist/cli.js: build first).
// A lesson that fails leaves its old recording in place and the script exits 1.
//
//   node scripts/make-recordings.mjs                 every lesson of the course
//   node scripts/make-recordings.mjs lame-duck 10    some lessons (ids or numbers)
//   NATSLAB_HOME=/tmp/h2-home BASE_PORT=26100 node scripts/make-recordings.mjs
import { spawnSync } from 'node:child_process';
import { renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'dist', 'cli.js');
const out = join(root, 'assets', 'recordings');
const basePort = process.env.BASE_PORT ?? '26100';

function lessonIds() {
	const r = spawnSync(process.execPath, [cli, 'lessons', 'list', '--json'], { encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`lessons list failed: ${r.stderr}`);
	return JSON.parse(r.stdout).map((l) => ({ id: l.id, order: l.order }));
}

const all = lessonIds();
const wanted = process.argv.slice(2);
const chosen =
	wanted.length === 0 ? all : all.filter((l) => wanted.includes(l.id) || wanted.includes(String(l.order)));
let failed = 0;
for (const { id } of chosen) {
	const file = join(out, `${id}.jsonl.gz`);
	const fresh = `${file}.new.gz`;
	const began = Date.now();
	const r = spawnSync(
		process.execPath,
		[cli, 'learn', id, '--auto', '--quiet', '--base-port', basePort, '--record', fresh],
		{ stdio: ['ignore', 'inherit', 'inherit'] },
	);
	if (r.status === 0) {
		renameSync(fresh, file);
		const kb = Math.round(statSync(file).size / 1024);
		console.log(`  → ${file} (${kb} KB, ${((Date.now() - began) / 1000).toFixed(1)} s)`);
	} else {
		rmSync(fresh, { force: true });
		console.error(`  ✗ ${id}: exit ${r.status}; its old recording (if any) stays`);
		failed++;
	}
}
process.exit(failed > 0 ? 1 : 0);
