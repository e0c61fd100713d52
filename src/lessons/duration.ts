// Durations as instructors write them in lesson files ("500ms", "3s", "1.5s",
// "2m", or a bare number of seconds). How natslab prints them: base/format.ts.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** Milliseconds, or null when the text is not a duration. */
export function parseDuration(input: string | number): number | null {
	if (typeof input === 'number')
		return Number.isFinite(input) && input >= 0 ? Math.round(input * 1000) : null;
	const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(input);
	if (!m) return null;
	return Math.round(Number(m[1]) * (UNIT_MS[m[2] ?? 's'] ?? 1000));
}
