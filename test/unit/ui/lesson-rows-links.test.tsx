// The lesson panel gets exactly the rows the dashboard gives it. A lab with proxied
// links has a links line under the header (one row less for the panels): the lesson
// host once computed the layout without it, drew one line more than the panel held,
// and Yoga shrank a line to no height, so the next one was drawn over it – seen live
// in the partition lesson as "Each side, in its own words:ories" (the step title's tail).
import { afterEach, describe, expect, it } from 'vitest';
import { watchLinks } from '../../../src/lab/link-state.js';
import type { LessonKey, LessonResult } from '../../../src/lessons/results.js';
import { blankStep, keysFor, type LessonView } from '../../../src/lessons/view.js';
import { Dashboard, type LessonSlot } from '../../../src/ui/components/Dashboard.js';
import { type HostedLesson, makeLessonHost } from '../../../src/ui/lesson/LessonHost.js';
import { linkPairs } from '../../support/link-pairs.js';
import { cleanup, FakeLab, renderWithProviders, waitForFrame } from '../../support/render.js';
import { stateAt } from './replay.js';

afterEach(() => cleanup());

const TITLE = 'Two sides, two stories';
const PROSE = [
	'Each side, in its own words:',
	'',
	...Array.from({ length: 12 }, (_, i) => `- line ${i + 1} of the prose`),
].join('\n');

/** n3 cut off from the other two. */
const N3_CUT = linkPairs(['n1', 'n2', 'n3'], (from, to) => ({ cut: from === 'n3' || to === 'n3' }));

class StillSession implements HostedLesson {
	busy = true;
	constructor(public view: LessonView) {}
	subscribe(_l: (v: LessonView) => void) {
		return () => {};
	}
	run() {
		return new Promise<LessonResult>(() => {});
	}
	stop() {}
	onKey(_key: LessonKey): boolean {
		return false;
	}
}

function view(): LessonView {
	return {
		lesson: { id: 'partition', title: 'A network partition', order: 10, total: 11 },
		stepIndex: 1,
		stepCount: 5,
		stepTitle: TITLE,
		prose: PROSE,
		phase: 'waiting',
		...blankStep(),
		target: null,
		recap: [],
		message: null,
		keys: keysFor('waiting', false),
	};
}

/** The lesson panel's content rows. */
function panelRows(frame: string): string[] {
	const lines = frame.split('\n');
	const top = lines.findIndex((l) => l.startsWith('╭') && l.includes(' lesson '));
	const out: string[] = [];
	for (const l of lines.slice(top + 1)) {
		if (l.startsWith('╰')) break;
		out.push(l.slice(1, -1).trimEnd());
	}
	return out;
}

describe('the lesson panel under a links line', () => {
	for (const size of [
		{ cols: 80, rows: 24 },
		{ cols: 100, rows: 30 },
	]) {
		it(`draws no line over another at ${size.cols}x${size.rows}`, async () => {
			const lab = new FakeLab(stateAt('core-2.10.27', '2026-11-26T00:47:33.000Z'));
			const links = watchLinks(null);
			links.set(N3_CUT);
			Object.assign(lab, { linkState: links });
			const session = new StillSession(view());
			const Host = makeLessonHost({ getSession: () => session, onFinished: () => {} });
			const draw = (slot: LessonSlot | undefined) => (
				<Dashboard mode="course" lesson={slot} onQuit={() => {}} />
			);
			const r = renderWithProviders(<Host render={draw} />, { lab, size, color: false });
			const f = await waitForFrame(
				r.frame,
				(x) => x.includes('links n1–n2') && x.includes(' lesson '),
				'links + lesson',
			);
			const rows = panelRows(f);
			expect(rows[0], f).toBe(`Step 2/5 · ${TITLE}`);
			expect(rows[1], f).toBe('Each side, in its own words:');
			// The keys line is the panel's last row, below the text (it is never cut).
			expect(rows.at(-1), f).toMatch(/more ↓/);
			expect(f.split('\n').length).toBeLessThan(size.rows);
		});
	}
});
