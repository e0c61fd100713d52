// The import graph of src/ must point down the layers and hold no circle.
// Every relative import counts: static, `export … from`, dynamic `import('…')`,
// and type-only ones (a type-only circle still ties two modules together).
//
//   cli → commands → ui → rehearse → lessons → lab → probes → observe → cluster → monitoring → base
//                                                                       servers → base
//
// `servers` (binaries: download, verify, cache) is a side branch: it imports only `base`,
// and only the wiring at `lab` and above may import it (cluster gets a binary path, never
// looks one up). Besides the order, `ui` renders state and dispatches actions: it never
// builds engines, so it may not import the modules that construct them (`lab/lab.ts`,
// `lessons/engine.ts`); `commands` build them and hand them to the screen.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src');

/** Top first. */
const ORDER = [
	'cli',
	'commands',
	'ui',
	/** --record and `natslab replay`: writes what a lab emitted, plays it back through the reducer. */
	'record',
	'rehearse',
	'lessons',
	/** `natslab watch`: a read-only Lab over a cluster natslab did not start (implements lab/types.ts). */
	'watch',
	'lab',
	'probes',
	/** `natslab preflight`: reads monitoring answers and decides; above cluster (status's jszFacts). */
	'preflight',
	/** $SYS.REQ requests to a cluster natslab did not start (preflight and watch). */
	'remote',
	'observe',
	'cluster',
	'monitoring',
	'base',
] as const;
const SIDE_BRANCH = 'servers';
/** The lowest layer that may import the side branch. */
const SIDE_BRANCH_USERS_FROM = 'lab';
/** Modules that build engines; the screen receives engines, it never makes them. */
const ENGINE_BUILDERS = ['lab/lab.ts', 'lessons/engine.ts'];

type Layer = (typeof ORDER)[number] | typeof SIDE_BRANCH;

interface Edge {
	from: string;
	to: string;
}

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const path = join(dir, e.name);
		if (e.isDirectory()) return sourceFiles(path);
		return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
	});
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

/** Relative import specifiers of a file, resolved to files under src/ (`./x.js` → `x.ts` or `x.tsx`). */
function importsOf(file: string, files: Set<string>): string[] {
	const text = readFileSync(file, 'utf8');
	const out: string[] = [];
	for (const m of text.matchAll(IMPORT)) {
		const spec = m[1] as string;
		const base = resolve(dirname(file), spec).replace(/\.js$/, '');
		const target = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((c) => files.has(c));
		if (!target) throw new Error(`${rel(file)}: cannot resolve import '${spec}'`);
		out.push(target);
	}
	return out;
}

const rel = (file: string) => relative(SRC, file);

function layerOf(file: string): Layer {
	const parts = rel(file).split('/');
	if (parts.length === 1) return 'cli';
	const top = parts[0] as Layer;
	if (top !== SIDE_BRANCH && !ORDER.includes(top as (typeof ORDER)[number])) {
		throw new Error(`${rel(file)} is in no layer: add src/${top} to the order in this test and the README`);
	}
	return top;
}

const rank = (layer: Layer) => ORDER.indexOf(layer as (typeof ORDER)[number]);

/** Why `from` may not import `to`, or null when it may. */
function violation(from: string, to: string): string | null {
	const a = layerOf(from);
	const b = layerOf(to);
	const fromRel = rel(from);
	const toRel = rel(to);
	if (a === 'ui' && ENGINE_BUILDERS.includes(toRel)) return 'the screen builds no engines';
	if (a === b) return null;
	if (b === 'base') return null;
	if (a === SIDE_BRANCH) return `${SIDE_BRANCH} may import only base`;
	if (b === SIDE_BRANCH) {
		return rank(a) <= rank(SIDE_BRANCH_USERS_FROM)
			? null
			: `only ${SIDE_BRANCH_USERS_FROM} and above use ${b}`;
	}
	return rank(b) > rank(a) ? null : `upward: ${a} → ${b} (${fromRel} → ${toRel})`;
}

/** Strongly connected groups of more than one file (or a file importing itself): Tarjan. */
function circles(graph: Map<string, string[]>): string[][] {
	let index = 0;
	const idx = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const found: string[][] = [];
	const visit = (v: string) => {
		idx.set(v, index);
		low.set(v, index);
		index++;
		stack.push(v);
		onStack.add(v);
		for (const w of graph.get(v) ?? []) {
			if (!idx.has(w)) {
				visit(w);
				low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
			} else if (onStack.has(w)) {
				low.set(v, Math.min(low.get(v) as number, idx.get(w) as number));
			}
		}
		if (low.get(v) === idx.get(v)) {
			const group: string[] = [];
			let w: string | undefined;
			do {
				w = stack.pop() as string;
				onStack.delete(w);
				group.push(w);
			} while (w !== v);
			if (group.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(group.map(rel).sort());
		}
	};
	for (const v of graph.keys()) if (!idx.has(v)) visit(v);
	return found;
}

const files = sourceFiles(SRC);
const fileSet = new Set(files);
const graph = new Map(files.map((f) => [f, importsOf(f, fileSet)] as const));
const edges: Edge[] = [...graph].flatMap(([from, tos]) => tos.map((to) => ({ from, to })));

describe('the import graph of src/', () => {
	it('reads the imports it checks (static, re-exports, dynamic, type-only)', () => {
		// Guards the reader itself: without these the checks below would pass on nothing.
		const has = (from: string, to: string) => edges.some((e) => rel(e.from) === from && rel(e.to) === to);
		expect(files.length).toBeGreaterThan(100);
		expect(edges.some((e) => rel(e.from) === 'cli.tsx' && layerOf(e.to) === 'commands')).toBe(true);
		expect(has('lab/lab.ts', 'lab/store.ts')).toBe(true);
		expect(edges.some((e) => layerOf(e.to) === 'base')).toBe(true);
		const dynamic = files.filter((f) => /\bimport\s*\(\s*['"]\.{1,2}\//.test(readFileSync(f, 'utf8')));
		for (const f of dynamic) expect(graph.get(f)?.length).toBeGreaterThan(0);
	});

	it('points only down the layers (and never into the engine builders from the screen)', () => {
		const wrong = edges
			.map((e) => ({ e, why: violation(e.from, e.to) }))
			.filter((x) => x.why !== null)
			.map((x) => `${rel(x.e.from)} → ${rel(x.e.to)}: ${x.why}`);
		expect(wrong).toEqual([]);
	});

	it('has no circle between files (type-only imports count)', () => {
		expect(circles(graph)).toEqual([]);
	});

	it("is drawn in the README's Development section as it is: every layer, in this order", () => {
		const readme = readFileSync(resolve(SRC, '../README.md'), 'utf8');
		const drawing = /The code is layered[\s\S]*?```\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
		const drawn = [...drawing.matchAll(/^src\/(\w+)\//gm)].map((m) => m[1]);
		expect(drawn).toEqual([...ORDER.filter((l) => l !== 'cli'), SIDE_BRANCH]);
	});

	it('judges edges the way the layer drawing says', () => {
		const at = (p: string) => join(SRC, p);
		expect(violation(at('probes/hub.ts'), at('lab/types.ts'))).toMatch(/upward: probes → lab/);
		expect(violation(at('cluster/status.ts'), at('observe/selectors.ts'))).toMatch(
			/upward: cluster → observe/,
		);
		expect(violation(at('cluster/status.ts'), at('monitoring/meta-leader.ts'))).toBeNull();
		expect(violation(at('lab/lab.ts'), at('probes/hub.ts'))).toBeNull();
		expect(violation(at('cluster/cluster.ts'), at('servers/index.ts'))).toMatch(/only lab and above/);
		expect(violation(at('servers/cache.ts'), at('cluster/cluster.ts'))).toMatch(/only base/);
		expect(violation(at('ui/run.tsx'), at('lab/lab.ts'))).toMatch(/builds no engines/);
		expect(violation(at('monitoring/types.ts'), at('base/names.ts'))).toBeNull();
		expect(
			circles(
				new Map([
					[at('a.ts'), [at('b.ts')]],
					[at('b.ts'), [at('a.ts')]],
					[at('c.ts'), []],
				]),
			),
		).toEqual([['a.ts', 'b.ts']]);
	});
});
