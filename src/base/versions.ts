// nats-server versions: parsing and ordering by semver's rules (the semver
// package, not a hand-rolled comparison), and the course's default upgrade pair,
// published by GitHub releases and by Debian (bookworm carries 2.9.10, trixie 2.10.27).
// The three functions by their own paths (the package's index also loads ranges and every
// other function), and only when first called: semver builds some forty regular expressions
// as it loads, 25-50 ms that `cluster status`, `cluster node … stop` and the picker, which
// compare no version, paid at start-up (issue #12). A require() of its own, so the bundle
// (scripts/build.mjs) leaves semver out and Node loads it from node_modules on first use.
import { createRequire } from 'node:module';

type Semver = { version: string };
const requireWhenUsed = createRequire(import.meta.url);
const semver = {
	parse: (v: string): Semver | null => requireWhenUsed('semver/functions/parse.js')(v),
	compare: (a: string, b: string): number => requireWhenUsed('semver/functions/compare.js')(a, b),
	coerce: (v: string): Semver | null => requireWhenUsed('semver/functions/coerce.js')(v),
};

/** x.y.z without leading zeros, optionally after a "v": what semver.parse reads as the same x.y.z. */
const PLAIN_RELEASE = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export const DEFAULT_FROM_VERSION = '2.9.10';
export const DEFAULT_TO_VERSION = '2.10.27';

/**
 * "v2.10.27" or "2.10.27" → "2.10.27", "v2.11.0-RC.1" → "2.11.0-RC.1"; null when it is not a
 * x.y.z release or pre-release version (build metadata "+…" is refused: no release carries it).
 */
export function normalizeVersion(input: string): string | null {
	const text = input.trim();
	if (text.includes('+') || !/^v?\d/.test(text)) return null;
	// A plain release ("2.10.27", every command's default) needs no semver: loading it cost
	// `cluster up` and the sandbox ~10 ms before their first server spawn (issue #12).
	const release = PLAIN_RELEASE.exec(text);
	if (release) return release.slice(1, 4).join('.');
	return semver.parse(text)?.version ?? null;
}

/**
 * Order two versions: negative when `a` is older, 0 when equal, positive when newer. A
 * pre-release sorts before its release, pre-releases among themselves by semver
 * (2.11.0-RC.1 < 2.11.0-RC.2 < 2.11.0-RC.10 < 2.11.0). A string that is not a version
 * (a server that reports something odd) is read as the x.y.z it starts with.
 */
export function compareVersions(a: string, b: string): number {
	return semver.compare(readable(a), readable(b));
}

export function atLeast(version: string, min: string): boolean {
	return compareVersions(version, min) >= 0;
}

function readable(version: string): string {
	return semver.parse(version.trim())?.version ?? semver.coerce(version)?.version ?? '0.0.0';
}
