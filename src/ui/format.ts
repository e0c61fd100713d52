// Small pure text helpers for the screen: clock times, sparklines,
// the look of a process state, and the short forms of log lines and evidence.
// Everything here is plain strings so it can be tested without Ink.

import type { Evidence } from '../observe/events.js';
import { plannedStop } from '../observe/exit-view.js';
import type { LabState, NodeState, ProcessState, TimelineEntry } from '../observe/state.js';

/** Local wall-clock time with milliseconds: "12:01:07.412", or "01:07.412" without the hour. */
export function formatClock(at: number, withHour = true): string {
	const d = new Date(at);
	const two = (n: number) => String(n).padStart(2, '0');
	const rest = `${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
	return withHour ? `${two(d.getHours())}:${rest}` : rest;
}

const SPARK = '▁▂▃▄▅▆▇█';

/** The last `width` values as block characters scaled to their own maximum. */
export function sparkline(values: readonly number[], width = 8): string {
	const recent = values.slice(-width);
	if (recent.length === 0) return '';
	const max = Math.max(...recent);
	return recent
		.map((v) => {
			if (max <= 0 || v <= 0) return SPARK[0];
			const i = Math.min(SPARK.length - 1, Math.round((v / max) * (SPARK.length - 1)));
			return SPARK[i];
		})
		.join('');
}

/** A text progress bar of exactly `width` cells; null fraction (unknown size) draws a neutral bar. */
export function progressBar(fraction: number | null, width: number): string {
	if (fraction === null) return '░'.repeat(width);
	const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
	return '█'.repeat(filled) + '░'.repeat(width - filled);
}

export type ColorName = 'green' | 'yellow' | 'red' | 'magenta' | 'gray' | 'cyan' | 'blue' | 'white';

export interface ProcessLook {
	/** A symbol that carries the state without colour. */
	symbol: string;
	label: string;
	color: ColorName;
}

const PROCESS_LOOKS: Record<ProcessState, ProcessLook> = {
	up: { symbol: '●', label: 'up', color: 'green' },
	starting: { symbol: '◔', label: 'starting', color: 'yellow' },
	lameDuck: { symbol: '◐', label: 'lame duck', color: 'yellow' },
	paused: { symbol: '‖', label: 'paused', color: 'magenta' },
	stopping: { symbol: '◌', label: 'stopping', color: 'yellow' },
	down: { symbol: '○', label: 'down', color: 'gray' },
	exited: { symbol: '✗', label: 'exited', color: 'red' },
};

/** A stop natslab asked for that ended as that version ends it (observe/exit-view.ts): neutral, not an error. */
const PLANNED_STOP: ProcessLook = { symbol: '■', label: 'stopped', color: 'gray' };

export function processLook(
	node: Pick<NodeState, 'process' | 'exit'> & { version?: string | null },
): ProcessLook {
	const look = PROCESS_LOOKS[node.process];
	if (node.process === 'exited' && plannedStop(node)) return PLANNED_STOP;
	// Down and never exited: not started yet (a lesson that starts a node later), not a crash.
	if (node.process === 'down' && node.exit === null) return { ...look, label: 'not started' };
	if (node.process === 'exited' && node.exit) {
		const how = node.exit.signal ?? (node.exit.code === null ? '' : `code ${node.exit.code}`);
		return how ? { ...look, label: `exited ${how}` } : look;
	}
	return look;
}

/** A process that still exists (may receive signals). */
export function isAlive(state: ProcessState): boolean {
	return (
		state === 'up' ||
		state === 'starting' ||
		state === 'lameDuck' ||
		state === 'paused' ||
		state === 'stopping'
	);
}

/** Where a fact came from, as a short tag: "log", "/jsz", "process", "client", "action". */
export function evidenceTag(evidence: Evidence): string {
	switch (evidence.source) {
		case 'endpoint':
			return `/${evidence.endpoint}`;
		default:
			return evidence.source;
	}
}

/** The evidence itself, one line: the log line, or "n2 /jsz meta_cluster.leader". */
export function evidenceDetail(evidence: Evidence): string {
	switch (evidence.source) {
		case 'log':
			return `${evidence.node}: ${shortLogLine(evidence.line)}`;
		case 'endpoint':
			return `${evidence.node} /${evidence.endpoint}${evidence.detail ? ` ${evidence.detail}` : ''}`;
		case 'process':
			return `${evidence.node}: ${evidence.detail}`;
		case 'client':
			return `${evidence.probe}: ${evidence.detail}`;
		case 'action':
			return evidence.detail;
	}
}

const TIMELINE_SYMBOLS: Record<TimelineEntry['kind'], string> = {
	process: '●',
	route: '⇄',
	leader: '◆',
	quorum: '▣',
	health: '+',
	client: '↻',
	action: '»',
	note: '·',
	lameDuck: '◐',
};

export function timelineSymbol(kind: TimelineEntry['kind']): string {
	return TIMELINE_SYMBOLS[kind];
}

// "[12345] 2026/11/26 12:00:01.123456 [INF] text" → "12:00:01.123 [INF] text"
const LOG_PREFIX = /^\[\d+\] \d{4}\/\d{2}\/\d{2} (\d{2}:\d{2}:\d{2})(\.\d{3})?\d* (.*)$/;

/** A server log line without its pid and date (the time and the level stay). Unknown shapes pass through. */
export function shortLogLine(raw: string): string {
	const m = LOG_PREFIX.exec(raw);
	if (!m) return raw;
	return `${m[1]}${m[2] ?? ''} ${m[3]}`;
}

/**
 * Versions running now and the upgrade target: "2.9.10 ×2 · 2.10.27 ×1 → 2.10.27".
 * Nodes that never ran have no version and are left out.
 */
export function versionsInPlay(state: LabState, upgradeTo: string | null): string {
	const counts = new Map<string, number>();
	for (const name of state.cluster.order) {
		const v = state.cluster.nodes[name]?.version;
		if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
	}
	const running = [...counts.entries()].map(([v, n]) => `${v} ×${n}`).join(' · ');
	const target = upgradeTo ? ` → ${upgradeTo}` : '';
	return `${running || 'no version yet'}${target}`;
}

/** Clip a string to `width` cells (no wide characters are used by the screen). */
export function clip(text: string, width: number): string {
	if (width <= 0) return '';
	if (text.length <= width) return text;
	return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
}

/** Pad or clip to exactly `width` cells. */
export function cell(text: string, width: number): string {
	return clip(text, width).padEnd(Math.max(0, width));
}
