// Panel lines wrap, never cut: word wrap at the width, hard breaks only for a
// word longer than the row; what was measured stays hidden while a question is open.

import { describe, expect, it } from 'vitest';
import { blankStep, type LessonView } from '../../../src/lessons/view.js';
import { layoutPanel } from '../../../src/ui/lesson/panel-lines.js';
import { wrapLine } from '../../../src/ui/wrap.js';

const view = (patch: Partial<LessonView> = {}): LessonView => ({
	lesson: { id: 'lose-quorum', title: 'Lose quorum', order: 5, total: 9 },
	stepIndex: 1,
	stepCount: 3,
	stepTitle: 'Lost, or stored anyway?',
	prose: '',
	phase: 'asking',
	...blankStep(),
	recap: [],
	message: null,
	keys: 'a–d answer',
	...patch,
});

describe('wrapLine', () => {
	it('wraps at spaces and keeps every word, the "not" included', () => {
		const text = 'A timeout is a missing answer, not as an error: retry with the same msgID.';
		const rows = wrapLine(text, 20);
		for (const r of rows) expect(r.length).toBeLessThanOrEqual(20);
		expect(rows.join(' ')).toBe(text);
	});
	it('keeps the indentation on every row and breaks a word longer than the row', () => {
		expect(wrapLine('  abcdefghijklmnopqrstuvwxyz end', 10)).toEqual([
			'  abcdefgh',
			'  ijklmnop',
			'  qrstuvwx',
			'  yz end',
		]);
	});
	it('keeps a line that fits as it is, colours included', () => {
		expect(wrapLine('\u001b[1mbold\u001b[22m fits', 10)).toEqual(['\u001b[1mbold\u001b[22m fits']);
	});
});

describe('layoutPanel', () => {
	const measured = [
		{ name: 'verdict', label: 'verifier', text: '3 msgIDs stored although the publish timed out' },
	];
	const check = {
		question: 'What should the application do?',
		choices: ['give up', 'retry, same msgID'],
		chosen: null,
		correct: null,
	};

	it('wraps measured lines and the question instead of cutting them', () => {
		const { lines } = layoutPanel(view({ phase: 'stepDone', measurements: measured }), [], 20, 0, 24);
		const text = lines.map((l) => l.text);
		for (const l of text) expect(l.length).toBeLessThanOrEqual(24);
		expect(text.join(' ').replace(/\s+/g, ' ')).toContain(
			'measured · verifier: 3 msgIDs stored although the publish timed out',
		);
	});

	it('hides what was measured until the question is answered', () => {
		const open = layoutPanel(view({ measurements: measured, check }), ['prose'], 20, 0, 60);
		expect(open.lines.map((l) => l.text).join('\n')).not.toContain('msgIDs stored');
		const answered = layoutPanel(
			view({
				measurements: measured,
				check: { ...check, chosen: 1, correct: true, explain: 'the msgID makes it safe' },
			}),
			['prose'],
			20,
			0,
			60,
		);
		const text = answered.lines.map((l) => l.text).join('\n');
		expect(text).toContain('msgIDs stored');
		expect(text).toContain('the msgID makes it safe');
	});

	it('puts the question after the prose, and marks the text below', () => {
		const prose = Array.from({ length: 12 }, (_, i) => `prose ${i + 1}`);
		const top = layoutPanel(view({ check }), prose, 8, 0, 60);
		const text = top.lines.map((l) => l.text);
		expect(text).not.toContain('? What should the application do?');
		expect(text.at(-1)).toMatch(/^\] more ↓/);
		const end = layoutPanel(view({ check }), prose, 8, 99, 60);
		const endText = end.lines.map((l) => l.text);
		expect(endText).toContain('? What should the application do?');
		expect(endText.at(-1)).toMatch(/^\[ ↑ more/);
		expect(end.lines.length).toBeLessThanOrEqual(8);
	});
});
