// nats-server versions: parsing and ordering by semver's rules (the semver
// package, not a hand-rolled comparison), and the course's default upgrade pair,
// published by GitHub releases and by Debian (bookworm carries 2.9.10, trixie 2.10.27).
// The three functions by their own paths: the package's index also loads ranges and every
// other function, about twice the load time, paid by every command at start-up (issue #12).
import coerce from 'semver/functions/coerce.js';
import compare from 'semver/functions/compare.js';
import parse from 'semver/functions/parse.js';

export const DEFAULT_FROM_VERSION = '2.9.10';
export const DEFAULT_TO_VERSION = '2.10.27';

/**
 * "v2.10.27" or "2.10.27" → "2.10.27", "v2.11.0-RC.1" → "2.11.0-RC.1"; null when it is not a
 * x.y.z release or pre-release version (build metadata "+…" is refused: no release carries it).
 */
export function normalizeVersion(input: string): string | null {
	const text = input.trim();
	if (text.includes('+') || !/^v?\d/.test(text)) return null;
	return parse(text)?.version ?? null;
}

/**
 * Order two versions: negative when `a` is older, 0 when equal, positive when newer. A
 * pre-release sorts before its release, pre-releases among themselves by semver
 * (2.11.0-RC.1 < 2.11.0-RC.2 < 2.11.0-RC.10 < 2.11.0). A string that is not a version
 * (a server that reports something odd) is read as the x.y.z it starts with.
 */
export function compareVersions(a: string, b: string): number {
	return compare(readable(a), readable(b));
}

export function atLeast(version: string, min: string): boolean {
	return compareVersions(version, min) >= 0;
}

function readable(version: string): string {
	return parse(version.trim())?.version ?? coerce(version)?.version ?? '0.0.0';
}
