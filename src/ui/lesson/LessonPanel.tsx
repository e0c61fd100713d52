// The lesson panel: the step's prose, what natslab waits for (live), the
// question, what was measured, every line wrapped (panel-lines.ts). Renders a
// LessonView; never changes anything.

import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { LessonView } from '../../lessons/view.js';
import type { ColorName } from '../format.js';
import { useTheme } from '../theme.js';
import { type LineTone, layoutPanel } from './panel-lines.js';
import { renderMarkdown } from './render.js';

const TONE_COLOR: Record<LineTone, ColorName | undefined> = {
	plain: undefined,
	title: 'magenta',
	prompt: 'cyan',
	ok: 'green',
	wait: 'yellow',
	warn: 'red',
	dim: 'gray',
	measure: 'blue',
	keys: 'gray',
};

export interface LessonPanelProps {
	view: LessonView;
	/** Content width inside the panel border. */
	width: number;
	/** Content rows the panel really has. */
	rows: number;
	scroll: number;
}

export function proseLinesFor(view: LessonView, width: number, color: boolean): string[] {
	const text = renderMarkdown(view.prose, width, color);
	return text ? text.split('\n') : [];
}

export function LessonPanel({ view, width, rows, scroll }: LessonPanelProps) {
	const t = useTheme();
	const prose = useMemo(() => proseLinesFor(view, width, t.color), [view, width, t.color]);
	const { lines } = layoutPanel(view, prose, rows, scroll, width);
	return (
		<Box flexDirection="column" width={width}>
			{lines.map((line, i) => (
				// Lines are already wrapped to the width (panel-lines.ts): truncate never cuts a word.
				// Lines are positional and re-rendered as a whole; the index is the identity.
				// biome-ignore lint/suspicious/noArrayIndexKey: see above
				<Text key={i} wrap="truncate" {...t.fg(TONE_COLOR[line.tone])} {...t.strong(line.tone === 'title')}>
					{line.text || ' '}
				</Text>
			))}
		</Box>
	);
}
