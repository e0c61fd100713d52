// YAML parsing that remembers where things are, so a zod issue path such as
// ['wait', 1, 'timeout'] can be reported as the file line of that key.

import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { TextPart } from './markdown.js';

export interface Problem {
	file: string;
	line: number;
	message: string;
}

export interface ParsedYaml {
	value: unknown;
	/** File line of the node at `path` (or of its nearest existing parent). */
	lineOf(path: readonly PropertyKey[], key?: string): number;
	problems: { line: number; message: string }[];
}

export function parseYamlPart(part: TextPart): ParsedYaml {
	const lineCounter = new LineCounter();
	const doc = parseDocument(part.text, { lineCounter, prettyErrors: false, uniqueKeys: true });
	const problems = [...doc.errors, ...doc.warnings].map((e) => ({
		line: part.line + (e.linePos?.[0]?.line ?? 1) - 1,
		message: `YAML: ${e.message.split('\n')[0]}`,
	}));
	const toFileLine = (offset: number) => part.line + lineCounter.linePos(offset).line - 1;
	return {
		value: doc.errors.length > 0 ? undefined : doc.toJS(),
		problems,
		lineOf: (path, key) => lineOfPath(doc, path, key, toFileLine) ?? part.line,
	};
}

function lineOfPath(
	doc: Document,
	path: readonly PropertyKey[],
	key: string | undefined,
	toFileLine: (offset: number) => number,
): number | null {
	// Walk down as far as the path exists; remember the deepest key's position.
	let node: unknown = doc.contents;
	let best: number | null = rangeStart(node);
	const steps = key === undefined ? path : [...path, key];
	for (const seg of steps) {
		if (isMap(node)) {
			const pair = node.items.find(
				(p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
			);
			if (!pair) break;
			best = rangeStart(pair.key) ?? best;
			node = pair.value;
		} else if (isSeq(node) && typeof seg === 'number') {
			const item = node.items[seg];
			if (item === undefined) break;
			best = rangeStart(item) ?? best;
			node = item;
		} else break;
	}
	return best === null ? null : toFileLine(best);
}

function rangeStart(node: unknown): number | null {
	if (node && typeof node === 'object' && 'range' in node) {
		const range = (node as { range?: [number, number, number] | null }).range;
		if (range) return range[0];
	}
	return null;
}

export function formatProblem(p: Problem): string {
	return `${p.file}:${p.line}: ${p.message}`;
}
