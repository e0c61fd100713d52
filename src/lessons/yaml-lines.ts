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
	const toFileLine = (offset: number) => part.line + lineCounter.linePos(offset).line - 1;
	// Without prettyErrors there is no linePos: the line comes from the error's offset (the
	// part's first line was blamed for every error). One problem per fault: the yaml parser
	// often reports one twice, in different words, from the same offset.
	const problems: ParsedYaml['problems'] = [];
	const seen = new Set<number>();
	const lines = part.text.split('\n');
	const indent = (i: number) => /^\s*/.exec(lines[i] ?? '')?.[0].length ?? 0;
	for (const e of [...doc.errors, ...doc.warnings]) {
		if (seen.has(e.pos[0])) continue;
		seen.add(e.pos[0]);
		let line = toFileLine(e.pos[0]);
		// "Nested mappings are not allowed": the fault is the next line, indented too far.
		const at = line - part.line;
		if (e.code === 'BLOCK_AS_IMPLICIT_KEY' && at + 1 < lines.length && indent(at + 1) > indent(at)) line++;
		if (!problems.some((p) => p.line === line))
			problems.push({ line, message: `YAML: ${e.message.split('\n')[0]}` });
	}
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
