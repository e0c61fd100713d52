// What a node in lame duck mode is doing, from its own files: the drain
// settings in its config and the lines its process wrote to its log. The
// signal returns at once while the server goes on draining for seconds
// (docs/nats-behavior.md §7, §7b): a `start` in that window must not collide.
import { readFileSync } from 'node:fs';

/** nats-server's defaults when the config sets none (source const.go, §7). */
const DEFAULT_DURATION = '2m';
const DEFAULT_GRACE = '10s';

export interface LameDuckSettings {
	/** As written in the config, e.g. "30s". */
	duration: string;
	grace: string;
	durationMs: number;
	graceMs: number;
}

/** Go-style duration text ("30s", "2m", "1m30s", "500ms") → milliseconds; null when not one. */
export function durationMs(text: string): number | null {
	const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001 };
	const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs)/g)];
	if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return null;
	return parts.reduce((sum, [, n, unit]) => sum + Number(n) * (units[unit ?? ''] ?? 0), 0);
}

/** `lame_duck_duration` and `lame_duck_grace_period` of a node's config file (defaults when unset). */
export function lameDuckSettings(configFile: string): LameDuckSettings {
	let text = '';
	try {
		text = readFileSync(configFile, 'utf8');
	} catch {
		// No config to read: the server's defaults are the honest answer.
	}
	const value = (key: string) => text.match(new RegExp(`^\\s*${key}\\s*[:=]\\s*"?([^"\\s]+)"?`, 'm'))?.[1];
	const duration = value('lame_duck_duration') ?? DEFAULT_DURATION;
	const grace = value('lame_duck_grace_period') ?? DEFAULT_GRACE;
	return {
		duration,
		grace,
		durationMs: durationMs(duration) ?? 120_000,
		graceMs: durationMs(grace) ?? 10_000,
	};
}

/** The lines process `pid` wrote to `logFile` (every line starts with `[pid]`). */
function linesOf(logFile: string, pid: number): string[] {
	let text = '';
	try {
		text = readFileSync(logFile, 'utf8');
	} catch {
		return [];
	}
	return text.split('\n').filter((l) => l.startsWith(`[${pid}] `));
}

/** True once process `pid` logged `Entering lame duck mode` (all versions print it, §7). */
export function isDraining(logFile: string, pid: number): boolean {
	return linesOf(logFile, pid).some((l) => l.includes('Entering lame duck mode'));
}

/** The last line process `pid` logged (after its exit: normally `[INF] Server Exiting..`). */
export function lastLineOf(logFile: string, pid: number): string | null {
	return linesOf(logFile, pid).at(-1) ?? null;
}
