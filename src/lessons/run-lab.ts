// Which cluster a lesson runs on: the versions it needs, and the Lab options.

import { UserError } from '../base/errors.js';
import { atLeast, compareVersions, DEFAULT_TO_VERSION } from '../base/versions.js';
import type { CreateLabOptions } from '../lab/lab.js';
import type { Lesson } from './load.js';

export interface VersionChoice {
	/** Course version for lessons without an upgrade (default 2.10.27). */
	version?: string;
	/** Upgrade pair for upgrade lessons (default: the lesson's own). */
	from?: string;
	to?: string;
}

/** Workspace folder under <state>/clusters for lesson clusters (fresh for every lesson). */
export const LESSON_WORKSPACE = 'lessons';

export interface LabVersions {
	version: string;
	upgradeTo: string | null;
	/**
	 * The lesson's own version (its `versions.fallback`), not the course's: when that binary cannot
	 * be had, `learn --all --auto` skips the lesson with the reason instead of failing the course.
	 */
	ownVersion?: true;
	/** The `--version` asked for that the lesson's own version replaced (one line says so). */
	asked?: string;
}

export function labVersionsFor(lesson: Lesson, choice: VersionChoice): LabVersions {
	const v = lesson.versions;
	if (v && 'from' in v) {
		const version = choice.from ?? v.from;
		const upgradeTo = choice.to ?? v.to;
		if (compareVersions(upgradeTo, version) <= 0)
			throw new UserError(
				`lesson ${lesson.id} upgrades, so --to (${upgradeTo}) must be newer than --from (${version})`,
			);
		return { version, upgradeTo };
	}
	const version = choice.version ?? DEFAULT_TO_VERSION;
	if (v?.fallback && !withinRange(version, v))
		return {
			version: v.fallback,
			upgradeTo: null,
			ownVersion: true,
			...(choice.version !== undefined ? { asked: choice.version } : {}),
		};
	if (v?.min && !atLeast(version, v.min))
		throw new UserError(
			`lesson ${lesson.id} needs nats-server ${v.min} or newer (asked for ${version}; use --version)`,
		);
	if (v?.max && compareVersions(version, v.max) > 0)
		throw new UserError(
			`lesson ${lesson.id} needs nats-server ${v.max} or older (asked for ${version}; use --version)`,
		);
	return { version, upgradeTo: null };
}

/** The line saying an explicit `--version` was not used for this lesson (its own version was), else null. */
export function ownVersionNote(lesson: Lesson, choice: VersionChoice): string | null {
	const { version, asked } = labVersionsFor(lesson, choice);
	return asked
		? `${lesson.id} runs on its own nats-server ${version} (asked ${asked}: it needs another)`
		: null;
}

function withinRange(version: string, v: { min?: string; max?: string }): boolean {
	return (!v.min || atLeast(version, v.min)) && (!v.max || compareVersions(version, v.max) <= 0);
}

export function labOptionsFor(
	lesson: Lesson,
	choice: VersionChoice,
	basePort: number | undefined,
): Omit<CreateLabOptions, 'onSetup' | 'signal' | 'env'> & Pick<LabVersions, 'ownVersion'> {
	const { version, upgradeTo, ownVersion } = labVersionsFor(lesson, choice);
	return {
		version,
		upgradeTo,
		basePort,
		workspace: LESSON_WORKSPACE,
		probes: lesson.probes,
		links: lesson.links,
		...(lesson.start ? { start: lesson.start } : {}),
		...(ownVersion ? { ownVersion } : {}),
	};
}
