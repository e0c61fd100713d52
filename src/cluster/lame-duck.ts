// What a node in lame duck mode is doing: the drain settings its config was
// written with (config.ts, no file parsing) and the lines its process wrote to
// its log. The signal returns at once while the server goes on draining for
// seconds (docs/nats-behavior.md §7, §7b): a `start` in that window must not collide.
import { readFileSync } from 'node:fs';
import { durationMs, LAB_LAME_DUCK } from './config.js';

export interface LameDuckSettings {
	/** As written in the config, e.g. "30s". */
	duration: string;
	grace: string;
	durationMs: number;
	graceMs: number;
}

/**
 * `lame_duck_duration` and `lame_duck_grace_period` as the configs were written: the cluster's
 * server options where they set them (rehearse --config), else the lab's (LAB_LAME_DUCK).
 */
export function lameDuckSettings(serverOptions: Readonly<Record<string, unknown>> = {}): LameDuckSettings {
	const setting = (value: unknown, lab: string) => {
		const ms = typeof value === 'string' ? durationMs(value) : null;
		return ms === null ? { text: lab, ms: durationMs(lab) as number } : { text: value as string, ms };
	};
	const duration = setting(serverOptions.lame_duck_duration, LAB_LAME_DUCK.duration);
	const grace = setting(serverOptions.lame_duck_grace_period, LAB_LAME_DUCK.grace);
	return { duration: duration.text, grace: grace.text, durationMs: duration.ms, graceMs: grace.ms };
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
