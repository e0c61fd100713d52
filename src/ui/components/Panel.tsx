// A bordered panel of a fixed height with its title in the top border:
// "╭─ ▸ nodes ──────── right ─╮". Fixed heights keep the frame inside the
// terminal whatever the content; the content box clips what does not fit.

import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { ColorName } from '../format.js';
import { useTheme } from '../theme.js';

export interface PanelProps {
	title: string;
	width: number;
	height: number;
	focused?: boolean;
	/** Short text at the right end of the top border ("↑ 12", "all nodes"). */
	right?: string;
	accent?: ColorName;
	children?: ReactNode;
}

export function Panel({ title, width, height, focused = false, right, accent, children }: PanelProps) {
	const t = useTheme();
	const borderColor: ColorName = accent ?? (focused ? 'cyan' : 'gray');
	const label = ` ${focused ? '▸ ' : ''}${title} `;
	const rightLabel = right ? ` ${right} ` : '';
	// 2 corners and one dash before the title.
	const room = Math.max(0, width - 3);
	const shownLabel = label.length > room ? `${label.slice(0, Math.max(0, room - 1))}…` : label;
	const shownRight = shownLabel.length + rightLabel.length + 1 <= room ? rightLabel : '';
	const dashes = Math.max(0, room - shownLabel.length - shownRight.length);
	return (
		<Box flexDirection="column" width={width} height={height} flexShrink={0}>
			<Text wrap="truncate">
				<Text {...t.fg(borderColor)}>╭─</Text>
				<Text {...t.fg(focused ? 'cyan' : undefined)} {...t.strong(focused)}>
					{shownLabel}
				</Text>
				<Text {...t.fg(borderColor)}>{'─'.repeat(dashes)}</Text>
				<Text {...t.dim()}>{shownRight}</Text>
				<Text {...t.fg(borderColor)}>╮</Text>
			</Text>
			<Box
				borderStyle="round"
				borderTop={false}
				{...t.border(borderColor)}
				width={width}
				height={Math.max(1, height - 1)}
				flexDirection="column"
				overflow="hidden"
			>
				{children}
			</Box>
		</Box>
	);
}

/** One line of panel content that never wraps. */
export function Line({ children }: { children?: ReactNode }) {
	return <Text wrap="truncate">{children}</Text>;
}
