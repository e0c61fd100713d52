// The order Vitest starts the suite's files in. Vitest's own order runs each project as a
// block (integration, then unit) and, without a timing cache (every clean clone, so every
// CI run), the larger files first, so a long integration file could start late and end
// the run alone. Here the integration files known to take longest start first; the rest
// keep Vitest's order, and the unit files still come last: spread among the integration
// files they made the course's CPU-bound lanes slower (lessons-auto 263 s instead of
// 170 s) and the whole run longer (docs/engineering-notes.md, "The suite's order").
import { basename } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Integration files by how long they take (a full run, three at a time: 105–170 s, then
 * 40–85 s). A file missing here starts in Vitest's order; a name here that is gone is ignored.
 */
export const LONGEST_FIRST = [
	'lessons-auto',
	'rehearse-shape',
	'partitions',
	'preflight',
	'rehearse',
	'probes',
	'cluster-failures',
	'watch',
];

const nameOf = (spec: TestSpecification) => basename(spec.moduleId).replace(/\.test\.tsx?$/, '');

/** The files named in `longest` first, in that order; every other file keeps the order it came in. */
export function longestFirst<T>(files: T[], name: (t: T) => string, longest: string[]): T[] {
	const rank = (t: T) => {
		const i = longest.indexOf(name(t));
		return i < 0 ? longest.length : i;
	};
	return files
		.map((t, i) => ({ t, i }))
		.sort((a, b) => rank(a.t) - rank(b.t) || a.i - b.i)
		.map(({ t }) => t);
}

export default class SuiteSequencer extends BaseSequencer {
	override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
		const base = await super.sort(files);
		const isUnit = (spec: TestSpecification) => spec.project.name.startsWith('unit');
		return [
			...longestFirst(
				base.filter((s) => !isUnit(s)),
				nameOf,
				LONGEST_FIRST,
			),
			...base.filter(isUnit),
		];
	}
}
