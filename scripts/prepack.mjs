#!/usr/bin/env node
// `npm pack` / `npm publish` run this first (package.json "prepack"). The package carries
// the built dist/ (its "files"), but packing does not build: without a build npm would
// pack a natslab whose bin is missing, and say nothing. This refuses instead. (It does
// not build itself: dist/ is shared by everyone working in the checkout, and a build
// fails on anyone's half-done type error; run `npm run build` first.)
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
// The bin stub, the bundle it imports, and the link proxies' program, which the bundle
// starts as a process of its own from tsc's output (src/cluster/links/proxy-process.ts).
const needed = ['dist/cli.js', 'dist/app/cli.js', 'dist/cluster/links/daemon.js'];
const missing = needed.filter((f) => !existsSync(join(root, f)));
if (missing.length > 0) {
	console.error(`natslab prepack: ${missing.join(', ')} missing: run \`npm run build\` first`);
	process.exit(1);
}
