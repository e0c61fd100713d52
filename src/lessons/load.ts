// Lesson file → validated Lesson, or the list of problems with file:line.

import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import type { NodeName } from '../base/names.js';
import { compareVersions } from '../base/versions.js';
import type { ProbeSpec } from '../probes/spec.js';
import { splitLesson } from './markdown.js';
import {
	type ActionSpec,
	type CheckSpec,
	CONDITION_NAMES,
	FrontMatterSchema,
	LINK_ACTIONS,
	MEASURE_NAMES,
	type NodeRef,
	type ProbeSpecInput,
	type RecordSpec,
	StepSettingsSchema,
	type VersionsSpec,
	type WaitSpec,
} from './schema.js';
import { BUILTIN_PLACEHOLDERS, placeholdersIn } from './template.js';
import { type ParsedYaml, type Problem, parseYamlPart } from './yaml-lines.js';

export interface Step {
	index: number;
	title: string;
	line: number;
	prose: string;
	target?: NodeRef;
	actions: ActionSpec[];
	waits: WaitSpec[];
	check?: CheckSpec;
	hint?: string;
	records: RecordSpec[];
}

export interface Lesson {
	file: string;
	id: string;
	title: string;
	order: number;
	summary: string;
	versions: VersionsSpec | undefined;
	probes: ProbeSpec[];
	/** `proxied`: the lab's links can be cut (front matter `links`). */
	links: 'direct' | 'proxied';
	/** The nodes the lab starts with (front matter `start`); undefined: every node. */
	start?: NodeName[];
	intro: string;
	steps: Step[];
	/** Line of each front matter key, for course-level problems (duplicate id...). */
	lines: { id: number; order: number };
}

export type LoadResult = { lesson: Lesson; problems: [] } | { lesson: null; problems: Problem[] };

export async function loadLessonFile(file: string): Promise<LoadResult> {
	let source: string;
	try {
		source = await readFile(file, 'utf8');
	} catch (err) {
		const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err);
		return { lesson: null, problems: [{ file, line: 0, message: reason }] };
	}
	return parseLesson(source, file);
}

export function parseLesson(source: string, file: string): LoadResult {
	const raw = splitLesson(source);
	const problems: Problem[] = raw.problems.map((p) => ({ file, ...p }));
	const add = (line: number, message: string) => problems.push({ file, line, message });

	let front: z.infer<typeof FrontMatterSchema> | null = null;
	let frontYaml: ParsedYaml | null = null;
	if (raw.frontMatter) {
		frontYaml = parseYamlPart(raw.frontMatter);
		for (const p of frontYaml.problems) add(p.line, p.message);
		if (frontYaml.problems.length === 0) front = validate(FrontMatterSchema, frontYaml, add);
	}
	if (
		front?.versions &&
		'from' in front.versions &&
		compareVersions(front.versions.from, front.versions.to) >= 0
	)
		add(frontYaml?.lineOf(['versions', 'to']) ?? 1, 'versions.to must be newer than versions.from');
	const fallbackProblem = front?.versions ? fallbackOutside(front.versions) : null;
	if (fallbackProblem) add(frontYaml?.lineOf(['versions', 'fallback']) ?? 1, fallbackProblem);

	if (raw.steps.length === 0 && raw.frontMatter)
		add(raw.intro.line, 'a lesson needs at least one step (a "## Step title" heading)');

	const steps: Step[] = [];
	const recorded = new Map<string, number>();
	let hadTarget = false;
	raw.steps.forEach((rawStep, index) => {
		if (!rawStep.title) add(rawStep.line, 'step heading has no title');
		let settings: z.infer<typeof StepSettingsSchema> | null = {};
		let settingsYaml: ParsedYaml | null = null;
		if (rawStep.settings) {
			const yaml = parseYamlPart(rawStep.settings);
			settingsYaml = yaml;
			for (const p of yaml.problems) add(p.line, p.message);
			settings = yaml.problems.length === 0 ? validate(StepSettingsSchema, yaml, add) : null;
			if (settings) checkStepSemantics(settings, yaml, hadTarget, add);
			// Keep the names of a broken step's measurements, so later steps are not blamed for them.
			else
				for (const name of rawRecordNames(yaml.value, rawStep.settings.text))
					recorded.set(name, rawStep.settings.line);
			if (settings && front && front.links !== 'proxied') checkNoLinkActions(settings, yaml, add);
		}
		// Placeholders may only use builtins and measurements of earlier steps.
		const known = new Set<string>([...BUILTIN_PLACEHOLDERS, ...recorded.keys()]);
		for (const use of placeholdersIn(rawStep.prose.text)) {
			if (!known.has(use.name))
				add(rawStep.prose.line + use.lineOffset, `{{${use.name}}} is not recorded by an earlier step`);
		}
		if (!settings) return;
		if (settingsYaml) {
			const own = new Set([...known, ...(settings.record ?? []).map((r) => r.name)]);
			const texts: { path: (string | number)[]; text: string | undefined; names: Set<string> }[] = [
				{ path: ['hint'], text: settings.hint, names: known },
				{ path: ['check', 'question'], text: settings.check?.question, names: own },
				{ path: ['check', 'explain'], text: settings.check?.explain, names: own },
				...(settings.check?.choices ?? []).map((c, i) => ({
					path: ['check', 'choices', i],
					text: c,
					names: own,
				})),
			];
			for (const t of texts) {
				for (const use of placeholdersIn(t.text ?? '')) {
					if (!t.names.has(use.name))
						add(settingsYaml.lineOf(t.path), `{{${use.name}}} is not recorded by an earlier step`);
				}
			}
		}
		for (const r of settings.record ?? []) {
			if (recorded.has(r.name))
				add(
					rawStep.settings?.line ?? rawStep.line,
					`measurement name ${r.name} is already used (line ${recorded.get(r.name)})`,
				);
			recorded.set(r.name, rawStep.settings?.line ?? rawStep.line);
		}
		const actions = settings.action ?? [];
		hadTarget = hadTarget || settings.target !== undefined || actions.some((a) => a.target !== undefined);
		steps.push({
			index,
			title: rawStep.title,
			line: rawStep.line,
			prose: rawStep.prose.text,
			target: settings.target,
			actions,
			waits: settings.wait ?? [],
			check: settings.check,
			hint: settings.hint,
			records: settings.record ?? [],
		});
	});

	if (problems.length > 0 || !front) return { lesson: null, problems: sortProblems(problems) };
	return {
		lesson: {
			file,
			id: front.id,
			title: front.title,
			order: front.order,
			summary: front.summary,
			versions: front.versions,
			probes: front.probes.map(toProbeSpec),
			links: front.links,
			...(front.start ? { start: front.start } : {}),
			intro: raw.intro.text,
			steps,
			lines: { id: frontYaml?.lineOf(['id']) ?? 1, order: frontYaml?.lineOf(['order']) ?? 1 },
		},
		problems: [],
	};
}

/** A fallback version outside the lesson's own min..max could never run it. */
function fallbackOutside(v: VersionsSpec): string | null {
	if (!('fallback' in v) || !v.fallback) return null;
	if (v.min && compareVersions(v.fallback, v.min) < 0)
		return `versions.fallback (${v.fallback}) is older than versions.min (${v.min})`;
	if (v.max && compareVersions(v.fallback, v.max) > 0)
		return `versions.fallback (${v.fallback}) is newer than versions.max (${v.max})`;
	return null;
}

function validate<T extends z.ZodType>(
	schema: T,
	yaml: ParsedYaml,
	add: (line: number, message: string) => void,
): z.infer<T> | null {
	const value = yaml.value ?? {};
	if (typeof value !== 'object' || Array.isArray(value)) {
		add(yaml.lineOf([]), 'expected key: value lines');
		return null;
	}
	const result = schema.safeParse(value);
	if (result.success) return result.data;
	for (const issue of result.error.issues.flatMap((i) => leafIssues(i, value))) {
		const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
		if (issue.code === 'unrecognized_keys') {
			for (const key of issue.keys) add(yaml.lineOf(issue.path, key), `${where}unknown key "${key}"`);
		} else if (issue.code === 'invalid_union' && issue.path.at(-1) === 'for') {
			add(yaml.lineOf(issue.path), `unknown condition (known: ${CONDITION_NAMES.join(', ')})`);
		} else if (issue.code === 'invalid_union' && issue.path.at(-1) === 'measure') {
			add(yaml.lineOf(issue.path), `unknown measurement (known: ${MEASURE_NAMES.join(', ')})`);
		} else if (issue.code === 'invalid_type' && issue.input === undefined) {
			add(yaml.lineOf(issue.path), `${where}required`);
		} else {
			add(yaml.lineOf(issue.path), `${where}${issue.message}`);
		}
	}
	return null;
}

/**
 * `action`, `wait`, `record` and probes accept one of two shapes, and zod reports
 * a failed union as "Invalid input". Report the errors of the branch whose shape
 * the author used (the one not failing on the value's own type), with full paths.
 */
function leafIssues(issue: z.core.$ZodIssue, root: unknown): z.core.$ZodIssue[] {
	if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
	const meant = issue.errors.find((b) => !b.some((i) => i.path.length === 0 && i.code === 'invalid_type'));
	if (!meant || meant.length === 0) return [issue];
	return meant.flatMap((inner) =>
		leafIssues({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue, root),
	);
}

function checkStepSemantics(
	s: z.infer<typeof StepSettingsSchema>,
	yaml: ParsedYaml,
	hadTargetBefore: boolean,
	add: (line: number, message: string) => void,
): void {
	const usesTarget = (v: unknown) => v === '$target';
	const hasTarget = s.target !== undefined || (s.action ?? []).some((a) => a.target !== undefined);
	(s.action ?? []).forEach((a, i) => {
		const node = !['verify', 'probes', 'stop-probes'].includes(a.do);
		if (node && !a.target && !s.target)
			add(yaml.lineOf(['action', i]), `do: ${a.do} needs a target (here or as the step's target)`);
		if (!node && a.target) add(yaml.lineOf(['action', i, 'target']), `do: ${a.do} takes no target`);
	});
	const refs: { path: (string | number)[]; value: unknown }[] = [];
	(s.wait ?? []).forEach((w, i) => {
		for (const key of ['node', 'from', 'without'] as const)
			if (key in w) refs.push({ path: ['wait', i, key], value: (w as Record<string, unknown>)[key] });
	});
	(s.record ?? []).forEach((r, i) => {
		if ('node' in r) refs.push({ path: ['record', i, 'node'], value: r.node });
	});
	if (s.target) refs.push({ path: ['target'], value: s.target });
	(s.action ?? []).forEach((a, i) => {
		if (a.target) refs.push({ path: ['action', i, 'target'], value: a.target });
		if (a.peer) refs.push({ path: ['action', i, 'peer'], value: a.peer });
	});
	for (const ref of refs) {
		if (usesTarget(ref.value) && !hasTarget)
			add(yaml.lineOf(ref.path), '$target used but this step has no target');
		if (ref.value === '$previous' && !hadTargetBefore)
			add(yaml.lineOf(ref.path), '$previous used but no earlier step has a target');
	}
}

/** Link actions need the lab's pair proxies, which only `links: proxied` starts. */
function checkNoLinkActions(
	s: z.infer<typeof StepSettingsSchema>,
	yaml: ParsedYaml,
	add: (line: number, message: string) => void,
): void {
	(s.action ?? []).forEach((a, i) => {
		if ((LINK_ACTIONS as readonly string[]).includes(a.do))
			add(
				yaml.lineOf(['action', i]),
				`do: ${a.do} needs proxied links: add \`links: proxied\` to the front matter`,
			);
	});
}

/** `name: x` lines of a settings block YAML could not read: still names its measurements. */
const NAME_LINE = /^\s*(?:-\s*)?name\s*:\s*['"]?([a-zA-Z][a-zA-Z0-9]*)/gm;

function rawRecordNames(value: unknown, text: string): string[] {
	// Unreadable YAML has no value: the names come from the text, so that one broken
	// step is reported once, not again as "not recorded" wherever a later step uses them.
	if (value === undefined) return [...text.matchAll(NAME_LINE)].map((m) => m[1] ?? '');
	if (!value || typeof value !== 'object') return [];
	const record = (value as { record?: unknown }).record;
	const list = Array.isArray(record) ? record : [record];
	return list.flatMap((r) =>
		r && typeof r === 'object' && typeof (r as { name?: unknown }).name === 'string'
			? [(r as { name: string }).name]
			: [],
	);
}

function toProbeSpec(p: ProbeSpecInput): ProbeSpec {
	return typeof p === 'string'
		? { kind: p }
		: { kind: p.kind, rate: p.rate, options: p.options, ...(p.consume ? { consume: p.consume } : {}) };
}

function sortProblems(problems: Problem[]): Problem[] {
	return [...problems].sort((a, b) => a.line - b.line);
}
