// Transitions as they happen, newest first, each with where the knowledge came
// from (log line, /jsz, process, client, action). When the panel has focus, a
// cursor picks an entry and the last row shows its evidence verbatim.

import { Box, Text } from 'ink';
import type { TimelineEntry } from '../../observe/state.js';
import { useLabState } from '../context.js';
import { type ColorName, clip, evidenceDetail, evidenceTag, formatClock, timelineSymbol } from '../format.js';
import { innerRows } from '../layout.js';
import { useTheme } from '../theme.js';
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

/** The first row shown so that `cursor` stays visible in `rows` rows. */
export function windowStart(cursor: number, rows: number, length: number): number {
	if (rows <= 0) return 0;
	const maxStart = Math.max(0, length - rows);
	return Math.max(0, Math.min(maxStart, cursor - rows + 1));
}

export interface TimelinePanelProps {
	width: number;
	height: number;
	focused: boolean;
	/** The selected entry, newest first. */
	cursor: number;
}

export function TimelinePanel({ width, height, focused, cursor }: TimelinePanelProps) {
	const state = useLabState();
	const t = useTheme();
	const entries = timelineNewestFirst(state.timeline);
	const inner = width - 2;
	// Narrow: minutes, seconds and ms are what tell transitions apart.
	const withHour = inner >= 54;
	const clockWidth = withHour ? 12 : 9;
	const showWhy = focused && innerRows(height) >= 3 && entries.length > 0;
	const rows = innerRows(height) - (showWhy ? 1 : 0);
	const at = Math.min(cursor, Math.max(0, entries.length - 1));
	const start = focused ? windowStart(at, rows, entries.length) : 0;
	const shown = entries.slice(start, start + rows);
	const chosen = entries[at];
	const right = entries.length > 0 ? `${focused ? `${at + 1}/` : ''}${entries.length}` : undefined;
	return (
		<Panel title="timeline" width={width} height={height} focused={focused} right={right}>
			{entries.length === 0 ? <Text {...t.dim()}>nothing has happened yet</Text> : null}
			{shown.map((e, i) => {
				const isCursor = focused && start + i === at;
				const tag = evidenceTag(e.evidence);
				const textWidth = Math.max(0, inner - 2 - (clockWidth + 1) - 2 - tag.length - 1);
				return (
					// biome-ignore lint/suspicious/noArrayIndexKey: rows are fixed slots of a scrolling window
					<Box key={i} width={inner} height={1}>
						<Text wrap="truncate" {...t.inverse(isCursor)}>
							{isCursor ? '›' : ' '} <Text {...t.dim()}>{formatClock(e.at, withHour)}</Text>{' '}
							<Text {...t.fg(KIND_COLOR[e.kind])}>{timelineSymbol(e.kind)}</Text>{' '}
							{clip(e.text, textWidth).padEnd(textWidth)} <Text {...t.dim()}>{tag}</Text>
						</Text>
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
}
