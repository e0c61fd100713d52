// `{{name}}` placeholders in lesson prose: the step's resolved target, the
// current leaders, the versions, and measurements recorded by earlier steps.

const PLACEHOLDER = /\{\{\s*([a-zA-Z][a-zA-Z0-9]*)\s*\}\}/g;

/** Values natslab always provides (see ./engine.ts `builtinValues`). */
export const BUILTIN_PLACEHOLDERS = [
	'target',
	'targetWhy',
	'previous',
	'metaLeader',
	'streamLeader',
	'consumerLeader',
	'stream',
	'consumer',
	'version',
	'fromVersion',
	'toVersion',
] as const;

export interface PlaceholderUse {
	name: string;
	/** 0-based line inside the text. */
	lineOffset: number;
}

export function placeholdersIn(text: string): PlaceholderUse[] {
	const uses: PlaceholderUse[] = [];
	const lines = text.split('\n');
	lines.forEach((line, lineOffset) => {
		for (const m of line.matchAll(PLACEHOLDER)) uses.push({ name: m[1] ?? '', lineOffset });
	});
	return uses;
}

export function fillTemplate(text: string, values: Readonly<Record<string, string | undefined>>): string {
	return text.replace(PLACEHOLDER, (_all, name: string) => values[name] ?? `(${name}: not measured)`);
}
