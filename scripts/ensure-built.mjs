#!/usr/bin/env node
// `npm start` builds first when dist/ is missing or older than any source file,
// so `npm ci && npm start` works on a fresh clone.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const entry = join(root, 'dist', 'cli.js');

function newestMtime(dir) {
	let newest = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		const t = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
		if (t > newest) newest = t;
	}
	return newest;
}

if (!existsSync(entry) || newestMtime(join(root, 'src')) > statSync(entry).mtimeMs) {
	process.stderr.write('natslab: building (first start or sources changed)…\n');
	const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
		cwd: root,
		stdio: 'inherit',
	});
	if (r.status !== 0) process.exit(r.status ?? 1);
}
