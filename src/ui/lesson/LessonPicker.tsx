// The course menu: lessons in order with the learner's progress. ↑/↓ choose,
// enter opens (resuming where the learner left off), r resets the selected
// lesson's progress, q quits. Draws only; the caller starts the lesson. Keys go
// through one reducer whose state decides what a key means, so keys typed
// back to back ("ry") are each handled by the prompt they answer. Back from a
// finished lesson, the cursor is on the next one to do; with every lesson done
// the header says the course is complete.

import { Box, Text } from 'ink';
import type { Lesson } from '../../lessons/load.js';
import { type LessonProgress, progressLabel } from '../../lessons/progress.js';
import { useKeyState, useKeys } from '../key-router.js';
import { type KeyPress, splitKeys } from '../keys.js';
import { useTheme } from '../theme.js';

export type PickerChoice =
	| { kind: 'open'; id: string }
	| { kind: 'reset'; id: string }
	/** w: watch natslab's shipped recording of the lesson (natslab replay --lesson). */
	| { kind: 'replay'; id: string }
	| { kind: 'quit' };

export interface LessonPickerProps {
	lessons: Lesson[];
	progress: Record<string, LessonProgress>;
	/** Lesson to select first (the one just left). */
	initialId?: string;
	width: number;
	onChoice: (choice: PickerChoice) => void;
	/** Lessons natslab ships a recording of (w plays it). */
	replayable?: ReadonlySet<string>;
	/** A line above the keys (why the last lesson could not start, and that w can show it instead). */
	notice?: string | null;
}

export interface PickerState {
	selected: number;
	confirmReset: boolean;
	/** Choices made and not yet handed to onChoice, oldest first. */
	chosen: PickerChoice[];
}

interface PickerContext {
	lessons: Lesson[];
	progress: Record<string, LessonProgress>;
	replayable?: ReadonlySet<string>;
}

export type PickerAction = { type: 'key'; key: KeyPress; ctx: PickerContext } | { type: 'taken' };

/** What one key does to the picker: the state alone decides (a "y" right after "r" answers the question). */
export function pickerReducer(s: PickerState, a: PickerAction): PickerState {
	if (a.type === 'taken') return s.chosen.length === 0 ? s : { ...s, chosen: [] };
	const { key, ctx } = a;
	const selected = ctx.lessons[s.selected];
	const choose = (c: PickerChoice): PickerState => ({ ...s, confirmReset: false, chosen: [...s.chosen, c] });
	const moveTo = (i: number): PickerState => ({
		...s,
		selected: Math.max(0, Math.min(ctx.lessons.length - 1, i)),
		confirmReset: false,
	});
	if (s.confirmReset) {
		if (key.ch === 'y' && selected) return choose({ kind: 'reset', id: selected.id });
		return { ...s, confirmReset: false };
	}
	if (key.name === 'up' || key.ch === 'k') return moveTo(s.selected - 1);
	if (key.name === 'down' || key.ch === 'j') return moveTo(s.selected + 1);
	if (key.name === 'return') return selected ? choose({ kind: 'open', id: selected.id }) : s;
	if (/^[1-9]$/.test(key.ch)) {
		const i = ctx.lessons.findIndex((l) => String(l.order) === key.ch);
		return i >= 0 ? moveTo(i) : s;
	}
	if (key.ch === 'r' && selected && ctx.progress[selected.id]) return { ...s, confirmReset: true };
	if (key.ch === 'w' && selected && ctx.replayable?.has(selected.id))
		return choose({ kind: 'replay', id: selected.id });
	if (key.ch === 'q' || key.name === 'escape' || key.name === 'ctrlC') return choose({ kind: 'quit' });
	return s;
}

/** The first lesson at or after `from` not done yet (wrapping around); `from` when all are done. */
export function nextOpenIndex(
	lessons: Lesson[],
	progress: Record<string, LessonProgress>,
	from: number,
): number {
	for (let k = 0; k < lessons.length; k++) {
		const i = (from + k) % lessons.length;
		const p = progress[lessons[i]?.id ?? ''];
		if (!p?.done || p.step > 0) return i;
	}
	return from;
}

/** Where the cursor starts: the lesson just left if unfinished, else the next one to do. */
export function startIndex(
	lessons: Lesson[],
	progress: Record<string, LessonProgress>,
	initialId?: string,
): number {
	const left = initialId ? lessons.findIndex((l) => l.id === initialId) : -1;
	if (left < 0) return firstOpenIndex(lessons, progress);
	return nextOpenIndex(lessons, progress, left);
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

export function LessonPicker({
	lessons,
	progress,
	initialId,
	width,
	onChoice,
	replayable,
	notice,
}: LessonPickerProps) {
	const t = useTheme();
	const [s, dispatch, read] = useKeyState(pickerReducer, () => ({
		selected: startIndex(lessons, progress, initialId),
		confirmReset: false,
		chosen: [],
	}));
	const selected = lessons[s.selected];

	useKeys((input, key) => {
		for (const press of splitKeys(input, key)) {
			dispatch({ type: 'key', key: press, ctx: { lessons, progress, replayable } });
			const { chosen } = read();
			if (chosen.length === 0) continue;
			dispatch({ type: 'taken' });
			for (const c of chosen) onChoice(c);
		}
	});

	const done = lessons.filter((l) => progress[l.id]?.done).length;
	return (
		<Box flexDirection="column" width={width}>
			<Text {...t.strong()} {...t.fg('magenta')}>
				natslab · a course on a real three-node NATS cluster · {done}/{lessons.length} done
			</Text>
			{done === lessons.length && lessons.length > 0 ? (
				<Text {...t.fg('green')} {...t.strong()}>
					★ course complete: all {lessons.length} lessons done on your own cluster. r resets one to do it
					again.
				</Text>
			) : (
				<Text> </Text>
			)}
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
			{notice ? (
				<Text wrap="wrap" {...t.fg('yellow')}>
					{notice}
				</Text>
			) : null}
			<Text {...t.fg(s.confirmReset ? 'yellow' : 'gray')}>
				{s.confirmReset
					? `forget your progress in “${selected?.title ?? ''}”? y yes · any other key no`
					: '↑/↓ choose · enter start (or resume) · r reset progress · q quit'}
			</Text>
		</Box>
	);
}
