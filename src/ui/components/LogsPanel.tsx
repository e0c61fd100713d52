// The servers' own log lines: all nodes interleaved or the selected one, a
// colour and a name column per node, and the lines that caused a timeline
// transition marked (▶, and bold with colour). Newest at the bottom; scrolling
// back stops following the tail until End. Lines are cut at the panel width;
// `v` opens the bottom line of the window in full, wrapped (↑ ↓ move it).

import { Text } from 'ink';
import { memo } from 'react';
import type { NodeName } from '../../base/names.js';
import type { LogEntry } from '../../observe/state.js';
import { REPLAY_LABEL } from '../../record/replay-kit.js';
import { useLabActions, useLabSelector } from '../context.js';
import { type ColorName, cell, shortLogLine } from '../format.js';
import { innerRows } from '../layout.js';
import { useTheme } from '../theme.js';
import { wrapLine } from '../wrap.js';
import { Panel } from './Panel.js';

/**
 * One node's lines, or all nodes interleaved by their own timestamps: the log
 * tail delivers each node's file in batches, so arrival order groups by node.
 */
export function visibleLogs(logs: readonly LogEntry[], node: NodeName | null): LogEntry[] {
	if (node !== null) return logs.filter((l) => l.node === node);
	return [...logs].sort((a, b) => a.at - b.at);
}

/** The slice of `lines` shown in `rows` rows, `back` lines up from the newest. */
export function logWindow<T>(lines: readonly T[], rows: number, back: number): T[] {
	const end = Math.max(0, lines.length - back);
	return lines.slice(Math.max(0, end - rows), end);
}

/**
 * The wrapped rows of a line in at most `rows` rows: a line taller than the panel would make the
 * frame taller than the terminal (which scrolls it and wipes the scrollback), so it is cut, and
 * the last row says how much is missing.
 */
function fitRows(wrapped: string[], rows: number): string[] {
	if (wrapped.length <= rows) return wrapped;
	const kept = Math.max(0, rows - 1);
	const cut = wrapped.length - kept;
	return [
		...wrapped.slice(0, kept),
		`… ${cut} more row${cut === 1 ? '' : 's'} cut to fit: a larger terminal shows more`,
	];
}

function levelColor(level: LogEntry['level']): ColorName | undefined {
	if (level === 'ERR' || level === 'FTL') return 'red';
	if (level === 'WRN') return 'yellow';
	return undefined;
}

/** Drawn again only when its lines or its props changed (not on every counter or clock frame). */
export const LogsPanel = memo(function LogsPanel({
	width,
	height,
	focused,
	all,
	selectedNode,
	back,
	open = false,
}: {
	width: number;
	height: number;
	focused: boolean;
	all: boolean;
	selectedNode: NodeName | null;
	back: number;
	/** Show the bottom line of the window in full (the `v` key). */
	open?: boolean;
}) {
	const logs = useLabSelector((s) => s.logs);
	const order = useLabSelector((s) => s.cluster.order);
	const { readOnly } = useLabActions();
	const t = useTheme();
	const filter = all ? null : selectedNode;
	const lines = visibleLogs(logs, filter);
	const rows = innerRows(height);
	const clampedBack = Math.min(back, Math.max(0, lines.length - rows));
	const shown = logWindow(lines, rows, clampedBack);
	const nameWidth = Math.max(2, ...order.map((n) => n.length));
	const full = open ? shown.at(-1) : undefined;
	if (full) {
		const rowsOfLine = fitRows(wrapLine(`${full.node} │ ${full.raw}`, Math.max(10, width - 2)), rows);
		return (
			<Panel
				title={`log line in full · ${full.node}`}
				width={width}
				height={height}
				focused
				right="v or Esc closes"
			>
				{rowsOfLine.map((row, i) => (
					// Already wrapped to the width; truncate keeps a row from ever wrapping again.
					// biome-ignore lint/suspicious/noArrayIndexKey: rows of one line
					<Text key={i} wrap="truncate" {...t.fg(levelColor(full.level))}>
						{row}
					</Text>
				))}
			</Panel>
		);
	}
	const title = `logs · ${filter ?? 'all nodes'}`;
	const emptyText = emptyLogsText(readOnly);
	const right =
		clampedBack > 0 ? `↑ ${clampedBack} · End follows` : focused ? 'a: all/one · v: full line' : undefined;
	return (
		<Panel title={title} width={width} height={height} focused={focused} right={right}>
			{shown.length === 0 ? <Text {...t.dim()}>{emptyText}</Text> : null}
			{shown.map((l) => (
				<Text key={l.id} wrap="truncate" {...t.strong(l.transition)}>
					<Text {...t.fg(t.nodeColor(l.node, order))}>{cell(l.node, nameWidth)}</Text>
					<Text {...t.fg(l.transition ? 'yellow' : undefined)}>{l.transition ? ' ▶ ' : ' │ '}</Text>
					<Text {...t.fg(levelColor(l.level))}>{shortLogLine(l.raw)}</Text>
				</Text>
			))}
		</Panel>
	);
});

/**
 * The empty panel's words: a watched cluster's logs are on its hosts (a watch reads
 * $SYS answers or monitoring ports, never a log); a replay shows the log lines
 * recorded up to its position (a sandbox or lesson recording has them).
 */
export function emptyLogsText(readOnly: string | null | undefined): string {
	if (readOnly === REPLAY_LABEL) return 'no log lines at this point of the recording';
	return readOnly ? `no logs: ${readOnly} reads no server's log file` : 'no log lines yet';
}
