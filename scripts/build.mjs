#!/usr/bin/env node
// `npm run build`: two outputs in dist/ (issue #12: start-up speed).
//  1. tsc → dist/<layer>/*.js, one file per module: the benches and tools import
//     single modules from there (dist/cluster/cluster.js …).
//  2. esbuild → dist/app/: the program itself as one ESM bundle split at every
//     `await import()`, so `cluster status` loads no React/Ink and the picker only
//     what it draws. Node 20 has no compile cache; loading ~700 small files from
//     node_modules cost more than parsing them (Ink alone: ~700 ms → ~180 ms).
//     dist/cli.js (the bin, `npm start`) is a two-line stub that imports it.
// The bundle's files sit at dist/app/*.js, the same depth as dist/<layer>/*.js, so
// the modules' `new URL('../../…', import.meta.url)` (package.json, lessons/,
// assets/) point at the same place from both.
//   node scripts/build.mjs           both
//   node scripts/build.mjs --bundle  the bundle only (after a tsc build)
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');
const app = join(dist, 'app');

// tsc emits even when it finds type errors, as the bundle is built regardless; the
// build still fails with tsc's status.
let tscStatus = 0;
if (!process.argv.includes('--bundle')) {
	const tsc = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], {
		cwd: root,
		stdio: 'inherit',
	});
	tscStatus = tsc.status ?? 1;
}

/**
 * yoga-layout (Ink's layout engine) decodes its WebAssembly from a data: URL with
 * fetch() when fetch exists, which loads Node's whole HTTP client (undici) into every
 * screen's start: ~40 ms of the picker's first frame. Told there is no fetch, it
 * decodes the same base64 itself (its own fallback). Fails the build when yoga changes.
 */
const yogaWithoutFetch = {
	name: 'yoga-without-fetch',
	setup(b) {
		b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, ({ path }) => {
			const source = readFileSync(path, 'utf8');
			const uses = source.split('"function"!=typeof fetch').length - 1;
			if (uses !== 2) throw new Error(`yoga-layout changed: ${uses} fetch checks in ${path}, expected 2`);
			return { contents: source.replaceAll('"function"!=typeof fetch', '!0'), loader: 'js' };
		});
	},
};

/** Replaces each `from` in `source` (once each, or the build fails: the dependency changed). */
function patch(path, source, edits) {
	let out = source;
	for (const [from, to] of edits) {
		if (out.split(from).length !== 2) throw new Error(`${path} changed: "${from.trim()}" not found once`);
		out = out.replace(from, to);
	}
	return out;
}

/**
 * Ink keeps the tokenised form and the width of every line it draws in caches that
 * belong to one frame (a new Output per render), so each frame tokenises, measures
 * and clips the whole screen again, though from one frame to the next nearly every
 * line is the same: the largest part of the sandbox's idle CPU after the probes.
 * Here one cache serves all frames (emptied past CACHE_ENTRIES), it also keeps the
 * clipped slices of lines, and the width of each text node is cached the same way.
 * The frames stay identical (the cached values are only read: Output.get copies them
 * into its rows). Fails the build when Ink's files change.
 */
const inkCachesAcrossFrames = {
	name: 'ink-caches-across-frames',
	setup(b) {
		b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]output\.js$/ }, ({ path }) => ({
			loader: 'js',
			contents: patch(path, readFileSync(path, 'utf8'), [
				['    caches = new OutputCaches();', '    caches = cachesForFrame();'],
				[
					'    getWidestLine(text) {',
					`    slices = new Map();
    getSlice(line, from, to) {
        const key = from + ':' + to + ':' + line;
        let cached = this.slices.get(key);
        if (cached === undefined) {
            cached = sliceAnsi(line, from, to);
            this.slices.set(key, cached);
        }
        return cached;
    }
    getWidestLine(text) {`,
				],
				['return sliceAnsi(line, from, to);', 'return this.caches.getSlice(line, from, to);'],
				[
					'export default class Output {',
					`// A tokenised 100-column line is ~5 KB: 2000 entries bound the cache to a few MB, and a
// quiet screen (some 100 distinct lines a frame) still finds nearly all of its lines.
const CACHE_ENTRIES = 2000;
let sharedCaches = new OutputCaches();
function cachesForFrame() {
    const c = sharedCaches;
    if (c.styledChars.size + c.widths.size + c.blockWidths.size + c.slices.size > CACHE_ENTRIES) sharedCaches = new OutputCaches();
    return sharedCaches;
}
export default class Output {`,
				],
			]),
		}));
		b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]render-node-to-output\.js$/ }, ({ path }) => ({
			loader: 'js',
			contents: patch(path, readFileSync(path, 'utf8'), [
				['widestLine(text);', 'cachedWidestLine(text);'],
				[
					"import widestLine from 'widest-line';",
					`import widestLine from 'widest-line';
const widths = new Map();
function cachedWidestLine(text) {
    let width = widths.get(text);
    if (width === undefined) {
        if (widths.size > 2000) widths.clear();
        width = widestLine(text);
        widths.set(text, width);
    }
    return width;
}`,
				],
			]),
		}));
	},
};

const result = await build({
	absWorkingDir: root,
	entryPoints: { cli: 'src/cli.tsx' },
	outdir: app,
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	// Whitespace and identifiers stay: a crash.log stack names real functions, and the
	// bundle marks where each source file begins (`// src/ui/run.tsx`).
	minifySyntax: true,
	legalComments: 'none',
	// Maps beside the chunks, without the sources (small), used only when asked for:
	// NODE_OPTIONS=--enable-source-maps makes stacks name src/ files and lines. Not on by
	// default: parsing the maps at every start costs ~100 ms of the picker.
	sourcemap: 'linked',
	sourcesContent: false,
	chunkNames: 'chunk-[hash]',
	// React's production build only (dead development code is neither bundled nor parsed).
	// The CLI still sets NODE_ENV at run time, for anything outside the bundle; esbuild
	// would warn about that assignment.
	define: { 'process.env.NODE_ENV': '"production"' },
	logOverride: { 'assign-to-define': 'silent' },
	// Ink imports its devtools only with DEV=true, and then says how to install them.
	external: ['react-devtools-core'],
	// CommonJS dependencies inside an ES module still call require() for node: built-ins.
	banner: {
		js: "import { createRequire as __natslabRequire } from 'node:module';\nconst require = __natslabRequire(import.meta.url);",
	},
	plugins: [yogaWithoutFetch, inkCachesAcrossFrames],
	logLevel: 'warning',
	metafile: true,
});

// What each chunk holds and imports: test/integration/bundle.test.ts checks from it that
// the scripting commands load no screen.
const meta = join(app, 'meta.json');
writeFileSync(meta, JSON.stringify(result.metafile));

// Files of earlier builds go only now, not before: the machine and dist/ are shared, and a
// natslab started from the old build may still load its chunks until this moment.
const written = new Set([meta, ...Object.keys(result.metafile.outputs).map((o) => resolve(root, o))]);
for (const name of readdirSync(app)) {
	if (!written.has(join(app, name))) rmSync(join(app, name), { force: true });
}

writeFileSync(
	join(dist, 'cli.js'),
	"#!/usr/bin/env node\n// The bundle (scripts/build.mjs); the modules beside this file are tsc's, for tools.\nimport './app/cli.js';\n",
	{ mode: 0o755 },
);
rmSync(join(dist, 'cli.js.map'), { force: true });

const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
console.log(
	`bundle: dist/app, ${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1e6).toFixed(1)} MB`,
);
process.exitCode = tscStatus;
