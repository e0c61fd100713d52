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

/** Compare two x.y.z versions numerically (pre-release suffixes sort before the release). */
export function compareVersions(a: string, b: string): number {
	const pa = a.split(/[.-]/);
	const pb = b.split(/[.-]/);
	for (let i = 0; i < 3; i++) {
		const d = Number(pa[i] ?? 0) - Number(pb[i] ?? 0);
		if (d !== 0) return d;
	}
	if (pa.length === pb.length) return 0;
	return pa.length > pb.length ? -1 : 1;
}

export function atLeast(version: string, min: string): boolean {
	return compareVersions(version, min) >= 0;
}
