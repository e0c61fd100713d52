// Keys typed back to back must each be handled by what the previous key left:
// one write holding several keys ("ry": Ink hands them over as one input), and
// several writes with no await between them (handled before React renders
// again). The picker's reset question, and the dashboard's node keys: a node
// with an action in flight takes no second one, `u` says what it will do first.

import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LessonScreen } from '../../../src/lessons/interaction.js';
import { parseLesson } from '../../../src/lessons/load.js';
import type { LessonView } from '../../../src/lessons/view.js';
import { Dashboard, type LessonSlot } from '../../../src/ui/components/Dashboard.js';
import { LessonPicker, type PickerChoice } from '../../../src/ui/lesson/LessonPicker.js';
import { ThemeProvider } from '../../../src/ui/theme.js';
import { cleanup, FakeLab, renderWithProviders, tick, waitForFrame } from '../../support/render.js';
import { stateAt } from './replay.js';

afterEach(() => cleanup());

const lesson = (order: number, id: string) => {
	const r = parseLesson(
		`---\nid: ${id}\ntitle: Lesson ${id}\norder: ${order}\nsummary: About ${id}.\n---\n\n## One\n\nprose\n`,
		`${id}.md`,
	);
	if (!r.lesson) throw new Error('bad fixture');
	return r.lesson;
};
const LESSONS = [lesson(1, 'one'), lesson(2, 'two')];
// Left half way: back in the picker, the cursor stays on it (a finished one moves on).
const HALF_WAY = { one: { step: 1, done: false, updatedAt: '', measurements: [] } };

function picker() {
	const choices: PickerChoice[] = [];
	const r = render(
		<ThemeProvider color={false}>
			<LessonPicker
				lessons={LESSONS}
				progress={HALF_WAY}
				initialId="one"
				width={90}
				onChoice={(c) => choices.push(c)}
			/>
		</ThemeProvider>,
	);
	return { ...r, choices, frame: () => r.lastFrame() ?? '' };
}

describe('the lesson picker with keys typed back to back', () => {
	it('"ry" in one write: y answers the question r asked', async () => {
		const p = picker();
		await tick(10);
		p.stdin.write('ry');
		await vi.waitFor(() => expect(p.choices).toEqual([{ kind: 'reset', id: 'one' }]));
		await vi.waitFor(() => expect(p.frame()).toContain('↑/↓ choose'));
	});

	it('r and y as two writes with no await between them', async () => {
		const p = picker();
		await tick(10);
		p.stdin.write('r');
		p.stdin.write('y');
		await vi.waitFor(() => expect(p.choices).toEqual([{ kind: 'reset', id: 'one' }]));
	});

	it('"rn" resets nothing; "j" then enter opens the next lesson', async () => {
		const p = picker();
		await tick(10);
		p.stdin.write('rn');
		p.stdin.write('j');
		p.stdin.write('\r');
		await vi.waitFor(() => expect(p.choices).toEqual([{ kind: 'open', id: 'two' }]));
	});
});

const RUN = 'core-2.10.27';
const ALL_UP = '2026-11-26T00:47:33.000Z';

/** A Lab whose actions stay in flight until `settle()` (a restart waits for the exit and the spawn). */
class SlowLab extends FakeLab {
	private pending: (() => void)[] = [];
	override async act(...args: Parameters<FakeLab['act']>): Promise<void> {
		await super.act(...args);
		await new Promise<void>((resolve) => this.pending.push(resolve));
	}
	settle(): void {
		for (const r of this.pending.splice(0)) r();
	}
}

function dashboard(lab: FakeLab, lesson?: LessonSlot) {
	return renderWithProviders(<Dashboard mode="sandbox" lesson={lesson} onQuit={() => {}} />, {
		lab,
		size: { cols: 100, rows: 30 },
	});
}

describe('node keys typed back to back', () => {
	it('"rrr" in one write is one restart; the other two say the node is already restarting', async () => {
		const lab = new SlowLab(stateAt(RUN, ALL_UP));
		const { stdin, frame } = dashboard(lab);
		stdin.write('2rrr');
		await waitForFrame(frame, (f) => f.includes('n2 is already restarting'), 'the refusal');
		await waitForFrame(frame, () => lab.acts.length > 0, 'the restart');
		expect(lab.acts.map((a) => `${a.action.op} ${a.action.node}`)).toEqual(['restart n2']);
		// Sending the restart does not paint over the refusal.
		await tick(10);
		expect(frame()).toContain('n2 is already restarting');
	});

	it('r, r, r as writes with no await between them: one restart until it has finished', async () => {
		const lab = new SlowLab(stateAt(RUN, ALL_UP));
		const { stdin, frame } = dashboard(lab);
		stdin.write('r');
		stdin.write('r');
		stdin.write('r');
		await waitForFrame(frame, () => lab.acts.length === 1, 'one act');
		stdin.write('r');
		await waitForFrame(frame, (f) => f.includes('n1 is already restarting'), 'still in flight');
		expect(lab.acts).toHaveLength(1);
		// Once the restart has finished, r restarts again; kill -9 was possible all along.
		lab.settle();
		await tick(10);
		stdin.write('r');
		await waitForFrame(frame, () => lab.acts.length === 2, 'second restart');
		stdin.write('k');
		await waitForFrame(frame, () => lab.acts.length === 3, 'kill while restarting');
		expect(lab.acts.map((a) => a.action.op)).toEqual(['restart', 'restart', 'kill']);
	});

	it('u on a running node says what it will do and waits for a second u', async () => {
		const lab = new FakeLab(stateAt(RUN, ALL_UP), { initial: '2.10.27', upgradeTo: '2.15.1' });
		const { stdin, frame } = dashboard(lab);
		stdin.write('3u');
		await waitForFrame(
			frame,
			(f) => f.includes('u again: upgrade n3 2.10.27 → 2.15.1 (any other key: no)'),
			'the question',
		);
		expect(lab.acts).toHaveLength(0);
		stdin.write('x');
		await waitForFrame(frame, (f) => !f.includes('upgrade n3'), 'cancelled');
		stdin.write('uu');
		await waitForFrame(frame, () => lab.acts.length === 1, 'upgrade');
		expect(lab.acts[0]?.action).toEqual({ op: 'upgrade', node: 'n3', toVersion: '2.15.1' });
	});

	it('u towards an older version warns that it is a downgrade', async () => {
		const lab = new FakeLab(stateAt(RUN, ALL_UP), { initial: '2.10.27', upgradeTo: '2.9.10' });
		const { stdin, frame } = dashboard(lab);
		stdin.write('u');
		await waitForFrame(frame, (f) => f.includes('u again: DOWNGRADE n1 2.10.27 → 2.9.10'), 'the warning');
		expect(lab.acts).toHaveLength(0);
	});

	it('a key typed right after the lesson shows its prompt is handled by that prompt, not as a node key', async () => {
		const lab = new FakeLab(stateAt(RUN, ALL_UP));
		const signal = new AbortController().signal;
		const screen = new LessonScreen({ phase: 'acting', hint: null, keys: '' } as LessonView, signal);
		const pressed: string[] = [];
		const slot: LessonSlot = {
			panel: <Text>lesson</Text>,
			busy: true,
			onKey: (input, key) => {
				// n: the lesson shows its action prompt at once; l is its action key.
				if (input === 'n' && screen.view.phase === 'acting') {
					screen.update({ phase: 'action', prompt: 'press l' });
					void screen.key((k) => (k.ch === 'l' ? true : null)).then((v) => v && pressed.push('l'));
					return true;
				}
				return screen.onKey({ ch: input, enter: key.return });
			},
		};
		const { stdin, frame } = dashboard(lab, slot);
		stdin.write('nl');
		await vi.waitFor(() => expect(pressed).toEqual(['l']));
		await tick(10);
		expect(frame()).not.toContain('enters lame duck mode');
		expect(lab.acts).toHaveLength(0);
	});
});
