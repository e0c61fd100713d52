// Transitions as they happen, newest first, each with where the knowledge came
// from (log line, /jsz, process, client, action). A text longer than its column
// wraps onto more rows (never cut). When the panel has focus, a cursor picks an
// entry and the last row shows its evidence verbatim.

import { Box, Text } from 'ink';
import { memo } from 'react';
import type { TimelineEntry } from '../../observe/state.js';
import { useLabSelector } from '../context.js';
import { type ColorName, clip, evidenceDetail, evidenceTag, formatClock, timelineSymbol } from '../format.js';
import { innerRows } from '../layout.js';
import { useTheme } from '../theme.js';
import { wrapLine } from '../wrap.js';
import { Panel } from './Panel.js';

const KIND_COLOR: Record<TimelineEntry['kind'], ColorName> = {
	process: 'blue',
	route: 'cyan',
	leader: 'yellow',
	quorum: 'red',
	health: 'green',
	client: 'magenta',
	action: 'cyan',
	note: 'white',
	lameDuck: 'yellow',
};

/** Newest first. */
export function timelineNewestFirst(entries: readonly TimelineEntry[]): TimelineEntry[] {
	return [...entries].reverse();
}

/**
 * The rows of each entry's text, word-wrapped at its text column (a sentence cut at 25 columns can
 * say the opposite of the whole: "n2 stopped (SIGTERM, exit 1 —" reads as a failure).
 */
export function entryRows(text: string, width: number): string[] {
	return width > 0 ? wrapLine(text, width) : [''];
}

/**
 * The first entry shown so that the cursor's entry is whole in `rows` rows, each entry taking
 * `heights[i]` rows: from the top while everything up to the cursor fits, else the cursor at the bottom.
 */
export function windowStart(cursor: number, rows: number, heights: readonly number[]): number {
	if (rows <= 0) return 0;
	let start = cursor;
	let used = heights[cursor] ?? 1;
	while (start > 0 && used + (heights[start - 1] ?? 1) <= rows) {
		start--;
		used += heights[start] ?? 1;
	}
	return start;
}

/** Width of the timeline's text column: what is left of the panel's inner width beside clock, symbol and tag. */
function textColumn(e: TimelineEntry, panelWidth: number): number {
	const inner = panelWidth - 2;
	// Narrow: minutes, seconds and ms are what tell transitions apart.
	const clockWidth = inner >= 54 ? 12 : 9;
	// '› ' + clock + ' ' + symbol + ' ' … ' ' + tag
	return Math.max(0, inner - 2 - (clockWidth + 1) - 2 - evidenceTag(e.evidence).length - 1);
}

/**
 * How many rows entry `i` (newest first) takes in a panel this wide: what PgUp/PgDn page by,
 * so a page of wrapped entries never skips one the learner has not seen.
 */
export function timelineEntryRows(entries: readonly TimelineEntry[], panelWidth: number) {
	const newestFirst = (i: number) => entries[entries.length - 1 - i];
	return (i: number): number => {
		const e = newestFirst(i);
		return e ? entryRows(e.text, textColumn(e, panelWidth)).length : 1;
	};
}

export interface TimelinePanelProps {
	width: number;
	height: number;
	focused: boolean;
	/** The selected entry, newest first. */
	cursor: number;
}

interface Row {
	/** Index of the entry, newest first. */
	entry: number;
	/** 0 for the entry's first row (clock, symbol, tag), then its continuation rows. */
	line: number;
	text: string;
}

/** Drawn again only when the timeline or its props changed (not on every counter or clock frame). */
export const TimelinePanel = memo(function TimelinePanel({
	width,
	height,
	focused,
	cursor,
}: TimelinePanelProps) {
	const timeline = useLabSelector((s) => s.timeline);
	const t = useTheme();
	const entries = timelineNewestFirst(timeline);
	const inner = width - 2;
	// Narrow: minutes, seconds and ms are what tell transitions apart.
	const withHour = inner >= 54;
	const clockWidth = withHour ? 12 : 9;
	const showWhy = focused && innerRows(height) >= 3 && entries.length > 0;
	const rows = innerRows(height) - (showWhy ? 1 : 0);
	const at = Math.min(cursor, Math.max(0, entries.length - 1));
	const textWidthOf = (e: TimelineEntry) => textColumn(e, width);
	// Only entries that can be on screen are wrapped (the timeline keeps up to 500): the window never
	// starts after the cursor and holds at most `rows` entries from there.
	const reach = Math.min(entries.length, (focused ? at : 0) + Math.max(0, rows) + 1);
	const wrapped = entries.slice(0, reach).map((e) => entryRows(e.text, textWidthOf(e)));
	const start = focused
		? windowStart(
				at,
				rows,
				wrapped.map((w) => w.length),
			)
		: 0;
	// Whole entries only; an entry taller than the panel shows what fits, its last row marked as cut.
	const shown: Row[] = [];
	for (let i = start; i < reach; i++) {
		const lines = wrapped[i] ?? [''];
		if (shown.length + lines.length > rows) {
			if (shown.length === 0 && rows > 0) {
				const fit = lines.slice(0, rows);
				fit[rows - 1] = clip(`${fit[rows - 1]} …`, textWidthOf(entries[i] as TimelineEntry));
				for (const [line, text] of fit.entries()) shown.push({ entry: i, line, text });
			}
			break;
		}
		for (const [line, text] of lines.entries()) shown.push({ entry: i, line, text });
	}
	const chosen = entries[at];
	const right = entries.length > 0 ? `${focused ? `${at + 1}/` : ''}${entries.length}` : undefined;
	return (
		<Panel title="timeline" width={width} height={height} focused={focused} right={right}>
			{entries.length === 0 ? <Text {...t.dim()}>nothing has happened yet</Text> : null}
			{shown.map((r) => {
				const e = entries[r.entry] as TimelineEntry;
				const isCursor = focused && r.entry === at;
				const text = r.text.padEnd(textWidthOf(e));
				return (
					<Box key={`${r.entry}.${r.line}`} width={inner} height={1}>
						{r.line === 0 ? (
							<Text wrap="truncate" {...t.inverse(isCursor)}>
								{isCursor ? '›' : ' '} <Text {...t.dim()}>{formatClock(e.at, withHour)}</Text>{' '}
								<Text {...t.fg(KIND_COLOR[e.kind])}>{timelineSymbol(e.kind)}</Text> {text}{' '}
								<Text {...t.dim()}>{evidenceTag(e.evidence)}</Text>
							</Text>
						) : (
							<Text wrap="truncate" {...t.inverse(isCursor)}>
								{' '.repeat(2 + clockWidth + 1 + 2)}
								{text}
							</Text>
						)}
					</Box>
				);
			})}
			{showWhy && chosen ? (
				<Text wrap="truncate" {...t.fg('yellow')}>
					why: {evidenceDetail(chosen.evidence)}
				</Text>
			) : null}
		</Panel>
	);
});
