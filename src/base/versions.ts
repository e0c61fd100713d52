// The course's default upgrade pair: published by GitHub releases and by Debian
// (bookworm carries 2.9.10, trixie 2.10.27).
export const DEFAULT_FROM_VERSION = '2.9.10';
export const DEFAULT_TO_VERSION = '2.10.27';

/** "v2.10.27" or "2.10.27" → "2.10.27"; null if it is not a x.y.z release version. */
export function normalizeVersion(input: string): string | null {
	const m = /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?$/.exec(input.trim());
	if (!m) return null;
	return `${m[1]}.${m[2]}.${m[3]}${m[4] ?? ''}`;
}

/**
 * Compare two x.y.z versions numerically. A pre-release sorts before its release, and two
 * pre-releases of one release by semver's rules (2.11.0-RC.1 < 2.11.0-RC.2 < 2.11.0).
 */
export function compareVersions(a: string, b: string): number {
	const [coreA, preA] = splitPrerelease(a);
	const [coreB, preB] = splitPrerelease(b);
	const pa = coreA.split('.');
	const pb = coreB.split('.');
	for (let i = 0; i < 3; i++) {
		const d = Number(pa[i] ?? 0) - Number(pb[i] ?? 0);
		if (d !== 0) return d;
	}
	if (preA === undefined || preB === undefined) return preA === preB ? 0 : preA === undefined ? 1 : -1;
	const ia = preA.split('.');
	const ib = preB.split('.');
	for (let i = 0; i < Math.max(ia.length, ib.length); i++) {
		const x = ia[i];
		const y = ib[i];
		if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
		if (x === y) continue;
		const nx = /^\d+$/.test(x);
		const ny = /^\d+$/.test(y);
		if (nx && ny) return Number(x) - Number(y);
		if (nx !== ny) return nx ? -1 : 1;
		return x < y ? -1 : 1;
	}
	return 0;
}

/** "2.11.0-RC.1" → ["2.11.0", "RC.1"]; "2.10.27" → ["2.10.27", undefined]. */
function splitPrerelease(version: string): [string, string | undefined] {
	const dash = version.indexOf('-');
	return dash < 0 ? [version, undefined] : [version.slice(0, dash), version.slice(dash + 1)];
}

export function atLeast(version: string, min: string): boolean {
	return compareVersions(version, min) >= 0;
}
