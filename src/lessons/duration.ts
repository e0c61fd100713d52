// Durations as instructors write them in lesson files ("500ms", "3s", "1.5s",
// "2m", or a bare number of seconds), and as natslab prints them.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** Milliseconds, or null when the text is not a duration. */
export function parseDuration(input: string | number): number | null {
	if (typeof input === 'number')
		return Number.isFinite(input) && input >= 0 ? Math.round(input * 1000) : null;
	const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(input);
	if (!m) return null;
	return Math.round(Number(m[1]) * (UNIT_MS[m[2] ?? 's'] ?? 1000));
}

/** 9 → "9 ms", 5234 → "5.2 s", 83000 → "1 min 23 s". */
export function formatMs(ms: number): string {
	if (!Number.isFinite(ms)) return '?';
	const abs = Math.abs(ms);
	if (abs < 1000) return `${Math.round(ms)} ms`;
	if (abs < 10_000) return `${(ms / 1000).toFixed(1)} s`;
	if (abs < 60_000) return `${Math.round(ms / 1000)} s`;
	const min = Math.floor(abs / 60_000);
	const s = Math.round((abs % 60_000) / 1000);
	return `${ms < 0 ? '-' : ''}${min} min ${s} s`;
}

/** Whole seconds for a live counter: "4s". */
export function formatSeconds(ms: number): string {
	return `${Math.max(0, Math.floor(ms / 1000))}s`;
}
