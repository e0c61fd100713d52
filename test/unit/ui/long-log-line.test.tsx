// A log line far wider than the screen (600 characters: a route error quoting a
// long address list) must never make a frame taller than the terminal: a frame
// taller than the terminal scrolls it and wipes the scrollback. The logs panel
// cuts it at the width; `v` shows it wrapped, cut to the panel with a marker
// when even that does not fit; the lesson panel pages a long measured line.

import { afterEach, describe, expect, it } from 'vitest';
import type { LessonResult } from '../../../src/lessons/results.js';
import { blankStep, keysFor, type LessonView } from '../../../src/lessons/view.js';
import type { LabState, LogEntry } from '../../../src/observe/state.js';
import { Dashboard } from '../../../src/ui/components/Dashboard.js';
import { type HostedLesson, makeLessonHost } from '../../../src/ui/lesson/LessonHost.js';
import { cleanup, FakeLab, renderWithProviders, waitForFrame } from '../../support/render.js';
import { stateAt } from './replay.js';

afterEach(() => cleanup());

const SIZE = { cols: 80, rows: 24 };
const rowsOf = (frame: string) => frame.split('\n').length;

function withLongLine(state: LabState): { state: LabState; line: LogEntry } {
	const last = state.logs.at(-1);
	const tried = Array.from({ length: 40 }, (_, i) => `127.0.0.1:${6200 + i}`).join(',');
	const raw = `[4242] 2026/11/26 00:47:33.000001 [ERR] 127.0.0.1:6222 - rid:9 - Route Error 'route to n9 failed after trying ${tried}'`;
	const line: LogEntry = {
		id: (last?.id ?? 0) + 1,
		node: 'n2',
		at: (last?.at ?? state.now) + 1,
		level: 'ERR',
		raw: raw.slice(0, 600),
		transition: false,
	};
	return { state: { ...state, logs: [...state.logs, line] }, line };
}

/** A session that only shows one view (the lesson panel's input). */
function still(view: LessonView): HostedLesson {
	return {
		view,
		busy: false,
		subscribe: () => () => {},
		run: () => new Promise<LessonResult>(() => {}),
		stop: () => {},
		onKey: () => false,
	};
}

function recapView(order: number, longText: string): LessonView {
	return {
		lesson: { id: order === 9 ? 'client-settings' : 'hung-node', title: 'A lesson', order, total: 9 },
		stepIndex: 4,
		stepCount: 5,
		stepTitle: 'Recap: A lesson',
		prose: '',
		phase: 'finished',
		...blankStep(),
		recap: [{ name: 'thawLine', label: 'its log line on waking up', text: longText }],
		message: null,
		keys: keysFor('finished', false),
	};
}

describe('a 600-character log line at 80x24', () => {
	const { state, line } = withLongLine(stateAt('core-2.10.27', '2026-11-26T00:47:33.000Z'));

	it('never makes the frame taller than the terminal, in the logs panel or opened with v', async () => {
		expect(line.raw).toHaveLength(600);
		const r = renderWithProviders(<Dashboard mode="sandbox" onQuit={() => {}} />, {
			lab: new FakeLab(state),
			size: SIZE,
			color: false,
		});
		const closed = await waitForFrame(r.frame, (f) => f.includes('Route Error'), 'the line, cut');
		expect(rowsOf(closed), closed).toBeLessThanOrEqual(SIZE.rows);

		r.stdin.write('v');
		const open = await waitForFrame(r.frame, (f) => f.includes('log line in full'), 'the line in full');
		expect(rowsOf(open), open).toBeLessThanOrEqual(SIZE.rows);
		// Wrapped over the whole panel, and the rows that do not fit are said to be cut.
		expect(open).toContain('127.0.0.1:6201');
		expect(open).toMatch(/… \d+ more rows cut to fit/);
	});

	it('in the lesson panel: a recap quoting it pages instead of growing the frame', async () => {
		const Host = makeLessonHost({ getSession: () => still(recapView(8, line.raw)), onFinished: () => {} });
		const r = renderWithProviders(
			<Host render={(slot) => <Dashboard mode="course" lesson={slot} onQuit={() => {}} />} />,
			{ lab: new FakeLab(state), size: SIZE, color: false },
		);
		const recap = await waitForFrame(r.frame, (f) => f.includes('Recap'), 'the recap');
		expect(rowsOf(recap), recap).toBeLessThanOrEqual(SIZE.rows);
		expect(recap).toContain('more ↓');
		r.stdin.write('v');
		const open = await waitForFrame(r.frame, (f) => f.includes('log line in full'), 'the line in full');
		expect(rowsOf(open), open).toBeLessThanOrEqual(SIZE.rows);
	});
});

describe('the last lesson’s recap', () => {
	const state = stateAt('core-2.10.27', '2026-11-26T00:47:33.000Z');
	const draw = (view: LessonView) => {
		const Host = makeLessonHost({ getSession: () => still(view), onFinished: () => {} });
		return renderWithProviders(
			<Host render={(slot) => <Dashboard mode="course" lesson={slot} onQuit={() => {}} />} />,
			{ lab: new FakeLab(state), size: SIZE, color: false },
		);
	};

	it('says the course is complete and what comes next, on the first page', async () => {
		const r = draw(recapView(9, 'core-pub closed'));
		const f = await waitForFrame(r.frame, (x) => x.includes('Recap'), 'the recap');
		expect(f).toContain('★ Course complete');
		expect(f).toMatch(/What next: `natslab\s*│?\s*rehearse/);
		expect(rowsOf(f), f).toBeLessThanOrEqual(SIZE.rows);
	});

	it('is not said after any other lesson', async () => {
		const r = draw(recapView(8, 'n2 → n1'));
		const f = await waitForFrame(r.frame, (x) => x.includes('Recap'), 'the recap');
		expect(f).not.toContain('Course complete');
	});
});
