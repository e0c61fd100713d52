// The ? help lists every key and symbol, whole, at 80x24; the key bar keeps
// "q quit" at 70 columns; v opens the newest log line shown in full.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { Dashboard } from '../../../src/ui/components/Dashboard.js';
import { helpEntries, helpPages } from '../../../src/ui/components/HelpPanel.js';
import { keyBarItems } from '../../../src/ui/components/KeyBar.js';
import { visibleLogs } from '../../../src/ui/components/LogsPanel.js';
import { cleanup, FakeLab, renderWithProviders, waitForFrame } from '../../support/render.js';
import { stateAt } from './replay.js';

afterEach(() => cleanup());

const state = () => stateAt('core-2.10.27', '2026-11-26T00:47:33.000Z');
const words = (s: string) => s.split(/\s+/).filter(Boolean);
/** The frame's text inside the panel borders, as one word stream. */
const inside = (frame: string) =>
	` ${words(
		frame
			.split('\n')
			.map((l) => (l.startsWith('│') ? l.slice(1, -1) : l))
			.join(' '),
	).join(' ')} `;

function render(size: { cols: number; rows: number }) {
	const lab = new FakeLab(state());
	return renderWithProviders(<Dashboard mode="sandbox" onQuit={vi.fn()} />, { lab, size, color: false });
}

describe('help', () => {
	it('names every key, the lesson keys too, and every symbol', () => {
		const text = helpEntries('2.10.27', 3)
			.map((e) => e.text)
			.join('\n');
		for (const key of ['enter', 'h ', '[ ]', 'a–d', 'u u', 'v ', 'w x', 'tab', 'PgUp', '?', 'q Ctrl-C'])
			expect(text).toContain(key);
		for (const sym of ['◆', '★', '☆', '⇄', '◐', '‖', '●', '○', '✗', '▶', '⚠']) expect(text).toContain(sym);
	});

	for (const size of [
		{ cols: 80, rows: 24 },
		{ cols: 100, rows: 30 },
	]) {
		it(`shows every entry whole at ${size.cols}x${size.rows}, paging with ]`, async () => {
			const r = render(size);
			await waitForFrame(r.frame, (f) => f.includes('nodes'), 'the dashboard');
			r.stdin.write('?');
			let f = await waitForFrame(r.frame, (x) => /help( \d+\/\d+)? · /.test(x), 'the help');
			const rows = f.split('\n');
			const top = rows.findIndex((l) => l.includes(' help'));
			const bottom = rows.findIndex((l, i) => i > top && l.startsWith('╰'));
			const { colWidth, pages } = helpPages(helpEntries('2.10.27', 3), size.cols - 2, bottom - top - 1);
			// The columns' text, down each column, page after page.
			const columns: string[] = [];
			for (let p = 0; p < pages.length; p++) {
				if (p > 0) {
					const before = f;
					r.stdin.write(']');
					f = await waitForFrame(
						r.frame,
						(x) => x !== before && x.includes(`help ${p + 1}/`),
						`page ${p + 1}`,
					);
				}
				expect(f.split('\n').length).toBeLessThan(size.rows);
				const lines = f.split('\n').slice(top + 1, bottom);
				for (let c = 0; c * (colWidth + 2) < size.cols - 2; c++)
					columns.push(
						lines.map((l) => l.slice(1 + c * (colWidth + 2), 1 + c * (colWidth + 2) + colWidth)).join(' '),
					);
			}
			const seen = ` ${words(columns.join(' ')).join(' ')} `;
			for (const e of helpEntries('2.10.27', 3)) {
				const w = words(e.text);
				for (let i = 1; i < w.length; i++)
					expect(seen, `“${w[i - 1]} ${w[i]}” of “${e.text}”`).toContain(` ${w[i - 1]} ${w[i]} `);
			}
		});
	}
});

describe('key bar', () => {
	it('keeps ? help and q quit at 70 and 60 columns, dropping others first', () => {
		for (const width of [70, 60]) {
			const items = keyBarItems(width, 3);
			const keys = items.map(([k]) => k);
			expect(keys).toContain('q');
			expect(keys).toContain('?');
			const len = items.reduce((n, [k, w]) => n + k.length + 1 + w.length, 0) + items.length - 1;
			expect(len).toBeLessThanOrEqual(width);
		}
		expect(keyBarItems(140, 3).map(([k]) => k)).toContain('v');
	});

	it('draws q quit at 70 columns', async () => {
		const r = render({ cols: 70, rows: 24 });
		const f = await waitForFrame(r.frame, (x) => x.includes('nodes'), 'the dashboard');
		expect(f.split('\n').at(-1)).toContain('q quit');
	});
});

describe('v: a log line in full', () => {
	it('opens the newest line shown, wrapped, and Esc closes it', async () => {
		const r = render({ cols: 80, rows: 30 });
		await waitForFrame(r.frame, (f) => f.includes('logs · all nodes'), 'the logs');
		const newest = visibleLogs(state().logs, null).at(-1);
		if (!newest) throw new Error('the fixture has no log lines');
		expect(newest.raw.length).toBeGreaterThan(60);
		r.stdin.write('v');
		const f = await waitForFrame(r.frame, (x) => x.includes('log line in full'), 'the full line');
		expect(inside(f)).toContain(` ${words(newest.raw).join(' ')} `);
		r.stdin.write('\u001b');
		await waitForFrame(
			r.frame,
			(x) => !x.includes('log line in full') && x.includes('logs ·'),
			'closed again',
		);
	});
});
