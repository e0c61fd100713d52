// At 80x24 the timeline's text column is 22–26 columns: an entry's text wraps
// onto more rows instead of being cut, so "n3 stopped (SIGTERM, exit 1 — …" never
// reads as a failure and "(18 ms without a leader)" keeps its point. Real run:
// core-2.10.27 just after the meta leader n3 was stopped.

import { afterEach, describe, expect, it } from 'vitest';
import { TimelinePanel, timelineNewestFirst, windowStart } from '../../../src/ui/components/TimelinePanel.js';
import { computeLayout } from '../../../src/ui/layout.js';
import { cleanup, FakeLab, renderWithProviders } from '../../support/render.js';
import { stateAt } from './replay.js';

afterEach(cleanup);

const N3_STOPPED = '2026-11-26T00:47:42.500Z';
/** The timeline's width in the dashboard of an 80-column terminal. */
const WIDTH = computeLayout({ cols: 80, rows: 24, nodes: 3, probes: 2, lessonRows: null }).rightWidth;
const TEXTS = [
	'n3 stopped (SIGTERM, exit 1 — 2.10.27 exits 1 on SIGTERM)',
	'meta leader n3 → n1 (18 ms without a leader)',
	'servers noticed: n1,n2 no longer follow n3 after 20 ms',
];

/** The text column of the panel's rows, joined: what a reader reads, row after row. */
function readText(frame: string): string {
	return frame
		.split('\n')
		.map((l) => l.replace(/^│/, '').replace(/│$/, ''))
		.map((l) => l.replace(/^[› ] (\d{2}:\d{2}\.\d{3}|\s{9}) [^\s]? /, ''))
		.map((l) => l.replace(/\s+(log|process|client|action|note|\/\w+)\s*$/, '').trim())
		.join(' ')
		.replace(/\s+/g, ' ');
}

function renderTimeline(height: number, focused = false, cursor = 0) {
	const state = stateAt('core-2.10.27', N3_STOPPED);
	const lab = new FakeLab(state);
	return {
		state,
		...renderWithProviders(
			<TimelinePanel width={WIDTH} height={height} focused={focused} cursor={cursor} />,
			{
				lab,
				size: { cols: 80, rows: 24 },
			},
		),
	};
}

describe('the timeline at 80 columns', () => {
	it('is the 46-column panel of an 80x24 dashboard', () => {
		expect(WIDTH).toBe(46);
	});

	it('wraps the new long texts whole, nothing cut, every row inside the panel', () => {
		const { frame } = renderTimeline(14);
		const f = frame();
		for (const row of f.split('\n')) expect([...row].length).toBeLessThanOrEqual(WIDTH);
		expect(f).not.toContain('…');
		const read = readText(f);
		for (const text of TEXTS) expect(read).toContain(text);
		// Newest first: the diagnosis line, then the new leader, then the stop.
		expect(read.indexOf(TEXTS[2] as string)).toBeLessThan(read.indexOf(TEXTS[1] as string));
		expect(read.indexOf(TEXTS[1] as string)).toBeLessThan(read.indexOf(TEXTS[0] as string));
	});

	it('shows whole entries only: an entry that does not fit below is left out, not begun', () => {
		const { frame, state } = renderTimeline(5);
		const read = readText(frame());
		const newest = timelineNewestFirst(state.timeline).map((e) => e.text);
		expect(read).toContain(newest[0]);
		for (const text of newest)
			if (read.includes(text.split(' ').slice(0, 3).join(' '))) expect(read).toContain(text);
	});

	it('with focus, the chosen entry is whole on screen, its every row marked', () => {
		const { state } = renderTimeline(8);
		const entries = timelineNewestFirst(state.timeline);
		const at = entries.findIndex((e) => e.text === TEXTS[0]);
		cleanup();
		const { frame } = renderTimeline(8, true, at);
		const f = frame();
		expect(readText(f)).toContain(TEXTS[0]);
		expect(f).toMatch(/│› \d{2}:\d{2}\.\d{3} /);
		expect(f).toContain(`${at + 1}/${entries.length}`);
	});
});

describe('windowStart over entries of several rows', () => {
	it('starts at the top while the cursor fits, else puts the cursor entry at the bottom, whole', () => {
		const heights = [1, 3, 2, 1, 3];
		expect(windowStart(1, 5, heights)).toBe(0);
		expect(windowStart(2, 5, heights)).toBe(1);
		expect(windowStart(4, 5, heights)).toBe(3);
		// Taller than the panel: it starts there all the same.
		expect(windowStart(4, 2, heights)).toBe(4);
	});
});
