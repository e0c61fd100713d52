// The one home for how natslab writes sizes and durations, on the screen, in
// lesson text and on the command line.

/** "93 B", "64.0 kB", "4.5 MB", "2.50 GB" (decimal units, as download sizes are given). */
export function formatBytes(n: number): string {
	if (n < 1000) return `${n} B`;
	if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
	if (n < 1_000_000_000) return `${(n / 1_000_000).toFixed(1)} MB`;
	return `${(n / 1_000_000_000).toFixed(2)} GB`;
}

/** "3.2 MB/s"; a negative rate counts as zero. */
export function formatRate(bytesPerSec: number): string {
	return `${formatBytes(Math.max(0, Math.round(bytesPerSec)))}/s`;
}

/** In sentences: 9 → "9 ms", 5234 → "5.2 s", 83000 → "1 min 23 s". */
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

/** Compact, for a screen cell: "850ms", "12s", "3m 05s", "2h 01m". Negative input counts as zero. */
export function formatDuration(ms: number): string {
	const safe = Math.max(0, ms);
	if (safe < 1000) return `${Math.round(safe)}ms`;
	const s = Math.floor(safe / 1000);
	if (s < 60) return `${s}s`;
	const m = Math.floor(s / 60);
	if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
	return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** For the timeline, as precise as the measurements: 19 → "19 ms", 4712 → "4.7 s", 23800 → "23.8 s". */
export function formatElapsed(ms: number): string {
	const v = Math.max(0, ms);
	return v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(1)} s`;
}

/** Seconds to a tenth, for "took" and "waited" figures on the command line: 400 → "0.4 s", 3420 → "3.4 s". */
export function formatTenths(ms: number): string {
	return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
}

/** A setting given in whole seconds: 60000 → "60 s". */
export function formatWholeSeconds(ms: number): string {
	return `${Math.round(ms / 1000)} s`;
}

/**
 * For the rehearsal report's columns, always in seconds: 850 → "0.85 s", 6050 → "6.1 s"; "–" when
 * there is no figure. Rounded on whole ms first: 6050 ms is 6.1 s, not 6.0 (6.05 has no exact binary form).
 */
export function formatReportSeconds(ms: number | null | undefined): string {
	if (ms === null || ms === undefined) return '–';
	if (ms < 1000) return `${(Math.round(ms / 10) / 100).toFixed(2)} s`;
	return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
}

/** Like formatReportSeconds, but milliseconds below a second: 850 → "850 ms". */
export function formatReportMillis(ms: number | null | undefined): string {
	if (ms === null || ms === undefined) return '–';
	return ms < 1000 ? `${Math.round(ms)} ms` : formatReportSeconds(ms);
}

/** Whole seconds for a live counter that ticks once a second: "4s". */
export function formatSeconds(ms: number): string {
	return `${Math.max(0, Math.floor(ms / 1000))}s`;
}
