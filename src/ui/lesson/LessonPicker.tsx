// The course menu: lessons in order with the learner's progress. ↑/↓ choose,
// enter opens (resuming where the learner left off), r resets the selected
// lesson's progress, q quits. Draws only; the caller starts the lesson.

import { Box, Text, useInput, useStdin } from 'ink';
import { useReducer } from 'react';
import type { Lesson } from '../../lessons/load.js';
import { type LessonProgress, progressLabel } from '../../lessons/progress.js';
import { useTheme } from '../theme.js';

export type PickerChoice = { kind: 'open'; id: string } | { kind: 'reset'; id: string } | { kind: 'quit' };

export interface LessonPickerProps {
	lessons: Lesson[];
	progress: Record<string, LessonProgress>;
	/** Lesson to select first (the one just left). */
	initialId?: string;
	width: number;
	onChoice: (choice: PickerChoice) => void;
}

interface PickerState {
	selected: number;
	confirmReset: boolean;
}

type PickerAction = { type: 'move'; by: number; count: number } | { type: 'confirmReset'; on: boolean };

function reducer(s: PickerState, a: PickerAction): PickerState {
	if (a.type === 'move') {
		const selected = Math.max(0, Math.min(a.count - 1, s.selected + a.by));
		return { selected, confirmReset: false };
	}
	return { ...s, confirmReset: a.on };
}

/** The first lesson not done yet: where a returning learner most likely wants to go. */
export function firstOpenIndex(lessons: Lesson[], progress: Record<string, LessonProgress>): number {
	const i = lessons.findIndex((l) => !progress[l.id]?.done || (progress[l.id]?.step ?? 0) > 0);
	return Math.max(i, 0);
}

function mark(p: LessonProgress | undefined): string {
	if (!p) return '·';
	if (p.step > 0) return '◐';
	return p.done ? '✓' : '·';
}

export function LessonPicker({ lessons, progress, initialId, width, onChoice }: LessonPickerProps) {
	const t = useTheme();
	const { isRawModeSupported } = useStdin();
	const start = initialId ? lessons.findIndex((l) => l.id === initialId) : -1;
	const [s, dispatch] = useReducer(reducer, {
		selected: start >= 0 ? start : firstOpenIndex(lessons, progress),
		confirmReset: false,
	});
	const selected = lessons[s.selected];

	useInput(
		(input, key) => {
			if (s.confirmReset) {
				if (input === 'y' && selected) onChoice({ kind: 'reset', id: selected.id });
				dispatch({ type: 'confirmReset', on: false });
				return;
			}
			if (key.upArrow || input === 'k') dispatch({ type: 'move', by: -1, count: lessons.length });
			else if (key.downArrow || input === 'j') dispatch({ type: 'move', by: 1, count: lessons.length });
			else if (key.return && selected) onChoice({ kind: 'open', id: selected.id });
			else if (/^[1-9]$/.test(input)) {
				const i = lessons.findIndex((l) => String(l.order) === input);
				if (i >= 0) dispatch({ type: 'move', by: i - s.selected, count: lessons.length });
			} else if (input === 'r' && selected && progress[selected.id])
				dispatch({ type: 'confirmReset', on: true });
			else if (input === 'q' || key.escape || (key.ctrl && input === 'c')) onChoice({ kind: 'quit' });
		},
		{ isActive: isRawModeSupported === true },
	);

	const done = lessons.filter((l) => progress[l.id]?.done).length;
	return (
		<Box flexDirection="column" width={width}>
			<Text {...t.strong()} {...t.fg('magenta')}>
				natslab · a course on a real three-node NATS cluster · {done}/{lessons.length} done
			</Text>
			<Text> </Text>
			{lessons.map((l, i) => {
				const here = i === s.selected;
				const p = progress[l.id];
				return (
					<Text key={l.id} wrap="truncate" {...t.inverse(here)}>
						{here ? '›' : ' '} {mark(p)} {String(l.order).padStart(2)}. {l.title}
						<Text {...t.dim()}> · {progressLabel(p, l.steps.length)}</Text>
					</Text>
				);
			})}
			<Text> </Text>
			{selected ? (
				<Text wrap="wrap" {...t.dim()}>
					{selected.summary}
				</Text>
			) : null}
			<Text> </Text>
			<Text {...t.fg(s.confirmReset ? 'yellow' : 'gray')}>
				{s.confirmReset
					? `forget your progress in “${selected?.title ?? ''}”? y yes · any other key no`
					: '↑/↓ choose · enter start (or resume) · r reset progress · q quit'}
			</Text>
		</Box>
	);
}
