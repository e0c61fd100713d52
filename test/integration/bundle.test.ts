// The bundle that runs (dist/app, scripts/build.mjs) keeps each command's start-up
// lean (issue #12): read from esbuild's own record of the build (dist/app/meta.json),
// which chunk imports which and which packages each holds. A static import of the
// screen from a scripting command, or of Markdown/YAML/NATS from the picker, fails here.

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Metafile {
	outputs: Record<
		string,
		{
			entryPoint?: string;
			inputs: Record<string, unknown>;
			imports: { path: string; kind: string; external?: boolean }[];
		}
	>;
}

const META = resolve(import.meta.dirname, '..', '..', 'dist', 'app', 'meta.json');

function loadMeta(): Metafile {
	if (!existsSync(META)) throw new Error(`${META} missing: run \`npm run build\` first (npm test does)`);
	return JSON.parse(readFileSync(META, 'utf8')) as Metafile;
}

/** The packages in the chunks loaded from `sources` (their chunks and what those import). */
function packagesLoaded(meta: Metafile, sources: string[], kinds: string[]): Set<string> {
	const chunkOf = new Map(
		Object.entries(meta.outputs).flatMap(([file, o]) =>
			o.entryPoint ? [[o.entryPoint, file] as const] : [],
		),
	);
	const todo = sources.map((s) => {
		const chunk = chunkOf.get(s);
		if (!chunk) throw new Error(`no chunk starts at ${s}`);
		return chunk;
	});
	const seen = new Set<string>();
	for (let chunk = todo.pop(); chunk !== undefined; chunk = todo.pop()) {
		if (seen.has(chunk)) continue;
		seen.add(chunk);
		for (const i of meta.outputs[chunk]?.imports ?? [])
			if (!i.external && kinds.includes(i.kind)) todo.push(i.path);
	}
	const packages = new Set<string>();
	for (const chunk of seen) {
		for (const input of Object.keys(meta.outputs[chunk]?.inputs ?? {})) {
			const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
			if (pkg) packages.add(pkg);
		}
	}
	return packages;
}

const START = ['src/cli.tsx', 'src/commands/main.ts'];

describe('the bundle', () => {
	it('loads no screen for the cluster commands, whatever they import later', () => {
		const meta = loadMeta();
		const all = packagesLoaded(meta, ['src/commands/cluster.ts'], ['import-statement', 'dynamic-import']);
		expect(all.has('execa')).toBe(true); // the walk found the command's own packages
		for (const screen of ['ink', 'react', 'react-reconciler', 'yoga-layout', 'marked', '@nats-io/nats-core'])
			expect(all, screen).not.toContain(screen);
	});

	it('starts the picker with Ink but without the lesson parser, Markdown or NATS', () => {
		const meta = loadMeta();
		const loaded = packagesLoaded(meta, [...START, 'src/commands/learn.tsx'], ['import-statement']);
		expect(loaded).toContain('ink');
		for (const later of ['yaml', 'zod', 'marked', 'marked-terminal', '@nats-io/nats-core', 'execa', 'tar'])
			expect(loaded, later).not.toContain(later);
	});

	it('loads the lab without nats.js or the download code: they load while its servers start', () => {
		const meta = loadMeta();
		const later = packagesLoaded(meta, ['src/lab/lab.ts'], ['import-statement', 'dynamic-import']);
		expect(later).toContain('@nats-io/nats-core'); // the walk reaches the clients…
		expect(later).toContain('tar'); // …and the sources a download uses
		const atStart = packagesLoaded(meta, ['src/lab/lab.ts'], ['import-statement']);
		for (const later of ['@nats-io/nats-core', '@nats-io/jetstream', 'tar', 'execa'])
			expect(atStart, later).not.toContain(later);
	});

	it('leaves semver to be loaded when a version is first compared, by no command at start-up', () => {
		const meta = loadMeta();
		const all = packagesLoaded(meta, START, ['import-statement', 'dynamic-import']);
		expect(all).toContain('ink'); // the walk reached the screens
		expect(all).not.toContain('semver');
	});
});
