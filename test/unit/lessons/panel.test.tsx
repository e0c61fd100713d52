// The lesson panel and the lesson picker: layout rules (status lines always
// visible, prose scrolls), and the picker's keys.

import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseLesson } from '../../../src/lessons/load.js';
import type { LessonView } from '../../../src/lessons/view.js';
import { LessonPanel } from '../../../src/ui/lesson/LessonPanel.js';
import { LessonPicker, type PickerChoice } from '../../../src/ui/lesson/LessonPicker.js';
import { layoutPanel, waitLine } from '../../../src/ui/lesson/panel-lines.js';
import { ThemeProvider } from '../../../src/ui/theme.js';

afterEach(() => cleanup());

const view = (patch: Partial<LessonView> = {}): LessonView => ({
	lesson: { id: 'lame-duck', title: 'Lame duck mode', order: 6, total: 9 },
	stepIndex: 0,
	stepCount: 4,
	stepTitle: 'Drain the meta leader',
	prose: 'Put **n3** into lame duck mode.',
	phase: 'waiting',
	target: { node: 'n3', why: 'the meta leader' },
	prompt: null,
	waits: [
		{
			text: 'the clients of n3 receive the lame duck notice (ldm)',
			status: 'waiting on core-pub',
			met: false,
			elapsedMs: 4200,
			timeoutMs: 20_000,
		},
	],
	check: null,
	hint: 'Press l.',
	showHint: false,
	measurements: [],
	recap: [],
	message: null,
	keys: 'h hint',
	...patch,
});

describe('panel lines', () => {
	it('a live wait shows what, the state now, and the time', () => {
		expect(waitLine(view().waits[0] as LessonView['waits'][number]).text).toBe(
			'⧗ waiting for: the clients of n3 receive the lame duck notice (ldm) (waiting on core-pub) … 4s / 20s',
		);
		expect(
			waitLine({
				text: 'n3 /healthz ok',
				status: 'n3 200 ok',
				met: false,
				elapsedMs: 2000,
				timeoutMs: 60_000,
				steadyMs: 3000,
				heldMs: 1200,
			}).text,
		).toBe('⧗ waiting for: n3 /healthz ok (n3 200 ok) · steady 1.2 s of 3.0 s … 2s / 60s');
	});

	it('keeps the status lines and scrolls the prose when the panel is short', () => {
		const prose = Array.from({ length: 10 }, (_, i) => `prose line ${i + 1}`);
		const full = layoutPanel(view(), prose, 50, 0);
		expect(full.wanted).toBe(1 + 10 + 2);
		expect(full.moreBelow).toBe(0);
		const short = layoutPanel(view(), prose, 6, 0);
		expect(short.lines.map((l) => l.text)).toEqual([
			'Step 1/4 · Drain the meta leader  → n3 (the meta leader)',
			'prose line 1',
			'prose line 2',
			'prose line 3',
			expect.stringMatching(/^⧗ waiting for: /),
			'] more ↓ · h hint',
		]);
		expect(short.moreBelow).toBe(7);
		const scrolled = layoutPanel(view(), prose, 6, 5);
		expect(scrolled.lines[1]?.text).toBe('prose line 6');
		expect(scrolled.moreAbove).toBe(5);
		// Scrolling past the end stops at the last screenful.
		expect(layoutPanel(view(), prose, 6, 99).lines[1]?.text).toBe('prose line 8');
	});

	it('the recap lists every measurement', () => {
		const recap = layoutPanel(
			view({
				phase: 'finished',
				stepTitle: 'Recap: Lame duck mode',
				waits: [],
				recap: [{ name: 'ldmHandover', label: 'lame duck → new meta leader', text: '32 ms', value: 32 }],
				keys: 'enter back to the lessons',
			}),
			[],
			10,
			0,
		);
		expect(recap.lines.map((l) => l.text)).toEqual([
			'Recap: Lame duck mode',
			'Recap – what your cluster measured:',
			'• lame duck → new meta leader: 32 ms',
			'enter back to the lessons',
		]);
	});
});

describe('LessonPanel', () => {
	it('renders the prose as terminal text, the live wait and the keys', () => {
		const { lastFrame } = render(
			<ThemeProvider color={false}>
				<LessonPanel view={view({ showHint: true })} width={90} rows={8} scroll={0} />
			</ThemeProvider>,
		);
		const frame = lastFrame() ?? '';
		expect(frame).toContain('Step 1/4 · Drain the meta leader  → n3 (the meta leader)');
		expect(frame).toContain('Put n3 into lame duck mode.');
		expect(frame).not.toContain('**');
		expect(frame).toContain('⧗ waiting for: the clients of n3 receive the lame duck notice (ldm)');
		expect(frame).toContain('hint: Press l.');
	});

	it('shows a check with its choices, and marks the answer', () => {
		const { lastFrame } = render(
			<ThemeProvider color={false}>
				<LessonPanel
					view={view({
						phase: 'asking',
						waits: [],
						check: {
							question: 'In lame duck mode, what happens first?',
							choices: ['clients are disconnected', 'Raft leaderships move'],
							chosen: 0,
							correct: false,
							feedback: 'not quite – try again',
						},
					})}
					width={90}
					rows={10}
					scroll={0}
				/>
			</ThemeProvider>,
		);
		const frame = lastFrame() ?? '';
		expect(frame).toContain('? In lame duck mode, what happens first?');
		expect(frame).toContain('a) clients are disconnected ✗');
		expect(frame).toContain('b) Raft leaderships move');
		expect(frame).toContain('not quite – try again');
	});
});

describe('a named diagnosis in the lesson panel', () => {
	it('stays visible under the waits with its recovery, however short the panel', () => {
		const v = view({
			phase: 'timedOut',
			keys: 'w wait again · x skip this step · h hint',
			diagnosis: {
				text: 'one-way-route: n1 lists a route to n2 but n2 does not list n1',
				hint: 'restart n2: kill + start fixed it at once (keys 2 r: the node keys work while the lesson waits)',
			},
		});
		const { lines } = layoutPanel(v, ['one', 'two', 'three', 'four'], 6, 0);
		expect(lines.map((l) => [l.tone, l.text])).toEqual([
			['title', 'Step 1/4 · Drain the meta leader  → n3 (the meta leader)'],
			['plain', 'one'],
			['wait', expect.stringContaining('⧗ waiting for: the clients of n3')],
			['warn', '⚠ one-way-route: n1 lists a route to n2 but n2 does not list n1'],
			[
				'prompt',
				'→ restart n2: kill + start fixed it at once (keys 2 r: the node keys work while the lesson waits)',
			],
			['keys', '] more ↓ · w wait again · x skip this step · h hint'],
		]);
	});
});

const lesson = (order: number, id: string) => {
	const r = parseLesson(
		`---\nid: ${id}\ntitle: Lesson ${id}\norder: ${order}\nsummary: About ${id}.\n---\n\n## One\n\nprose\n\n## Two\n\nprose\n`,
		`${id}.md`,
	);
	if (!r.lesson) throw new Error('bad fixture');
	return r.lesson;
};
const LESSONS = [lesson(1, 'one'), lesson(2, 'two'), lesson(3, 'three')];
const tick = () => new Promise((r) => setTimeout(r, 10));

describe('LessonPicker', () => {
	it('lists the lessons with progress and starts at the first unfinished one', () => {
		const { lastFrame } = render(
			<ThemeProvider color={false}>
				<LessonPicker
					lessons={LESSONS}
					progress={{
						one: { step: 0, done: true, updatedAt: '', measurements: [] },
						two: { step: 1, done: false, updatedAt: '', measurements: [] },
					}}
					width={90}
					onChoice={() => {}}
				/>
			</ThemeProvider>,
		);
		const frame = lastFrame() ?? '';
		expect(frame).toContain('1/3 done');
		expect(frame).toContain('  ✓  1. Lesson one · done');
		expect(frame).toContain('› ◐  2. Lesson two · step 2/2');
		expect(frame).toContain('  ·  3. Lesson three · new');
		expect(frame).toContain('About two.');
	});

	it('↓ and enter open a lesson; r asks before resetting; q quits', async () => {
		const choices: PickerChoice[] = [];
		const { stdin, lastFrame } = render(
			<ThemeProvider color={false}>
				<LessonPicker
					lessons={LESSONS}
					progress={{ one: { step: 0, done: true, updatedAt: '', measurements: [] } }}
					initialId="one"
					width={90}
					onChoice={(c) => choices.push(c)}
				/>
			</ThemeProvider>,
		);
		const frame = () => lastFrame() ?? '';
		await tick();
		// Back from lesson one (done), the cursor is on lesson two: ↑ to lesson one.
		await vi.waitFor(() => expect(frame()).toContain('› ·  2. Lesson two'));
		stdin.write('\u001B[A');
		await vi.waitFor(() => expect(frame()).toContain('› ✓  1. Lesson one'));
		stdin.write('r');
		await vi.waitFor(() => expect(frame()).toContain('forget your progress in “Lesson one”? y yes'));
		stdin.write('y');
		await vi.waitFor(() => expect(choices).toEqual([{ kind: 'reset', id: 'one' }]));
		await vi.waitFor(() => expect(frame()).toContain('↑/↓ choose'));
		stdin.write('\u001B[B');
		await vi.waitFor(() => expect(frame()).toContain('› ·  2. Lesson two'));
		stdin.write('\r');
		await vi.waitFor(() => expect(choices).toHaveLength(2));
		stdin.write('q');
		await vi.waitFor(() => expect(choices).toHaveLength(3));
		expect(choices).toEqual([{ kind: 'reset', id: 'one' }, { kind: 'open', id: 'two' }, { kind: 'quit' }]);
	});
});
