// The lesson panel as lines: pure, so the layout can be tested without Ink.
// Status lines (prompt, live waits, a named diagnosis with its recovery, the
// question, measurements, keys) always stay visible; when the panel is short
// the prose scrolls instead.

import { formatMs, formatSeconds } from '../../base/format.js';
import type { LessonView, WaitView } from '../../lessons/view.js';

export type LineTone = 'plain' | 'title' | 'prompt' | 'ok' | 'wait' | 'warn' | 'dim' | 'measure' | 'keys';
export interface PanelLine {
	text: string;
	tone: LineTone;
}

export interface PanelLayout {
	lines: PanelLine[];
	/** Prose lines hidden below (for the "] more" hint). */
	moreBelow: number;
	moreAbove: number;
	/** Content rows wanted if there were room for everything. */
	wanted: number;
}

export function waitLine(w: WaitView): PanelLine {
	if (w.met) return { text: `✓ ${w.text}${w.status ? ` – ${w.status}` : ''}`, tone: 'ok' };
	const held =
		w.steadyMs && w.heldMs !== undefined ? ` · steady ${formatMs(w.heldMs)} of ${formatMs(w.steadyMs)}` : '';
	const status = w.status ? ` (${w.status})` : '';
	return {
		text: `⧗ waiting for: ${w.text}${status}${held} … ${formatSeconds(w.elapsedMs)} / ${formatSeconds(w.timeoutMs)}`,
		tone: 'wait',
	};
}

/** Everything but the prose, in display order. */
function statusLines(view: LessonView): PanelLine[] {
	const out: PanelLine[] = [];
	if (view.phase === 'finished') {
		out.push({ text: 'Recap – what your cluster measured:', tone: 'title' });
		if (view.recap.length === 0) out.push({ text: '(nothing was measured)', tone: 'dim' });
		for (const m of view.recap) out.push({ text: `• ${m.label}: ${m.text}`, tone: 'measure' });
	}
	if (view.prompt) out.push({ text: `▶ ${view.prompt}`, tone: 'prompt' });
	if (view.phase !== 'finished') for (const w of view.waits) out.push(waitLine(w));
	if (view.diagnosis && view.phase !== 'finished') {
		out.push({ text: `⚠ ${view.diagnosis.text}`, tone: 'warn' });
		out.push({ text: `→ ${view.diagnosis.hint}`, tone: 'prompt' });
	}
	if (view.check) {
		const c = view.check;
		out.push({ text: `? ${c.question}`, tone: 'prompt' });
		c.choices.forEach((choice, i) => {
			const mark = c.chosen === i ? (c.correct ? ' ✓' : ' ✗') : '';
			out.push({
				text: `  ${'abcd'[i]}) ${choice}${mark}`,
				tone: c.chosen === i && c.correct ? 'ok' : 'plain',
			});
		});
		if (c.feedback && !c.correct) out.push({ text: c.feedback, tone: 'warn' });
		if (c.correct && c.explain) out.push({ text: c.explain, tone: 'dim' });
	}
	for (const m of view.measurements) out.push({ text: `measured · ${m.label}: ${m.text}`, tone: 'measure' });
	if (view.message)
		out.push({
			text: view.message,
			tone: view.phase === 'timedOut' || view.phase === 'failed' ? 'warn' : 'dim',
		});
	if (view.showHint && view.hint) out.push({ text: `hint: ${view.hint}`, tone: 'dim' });
	out.push({ text: view.keys, tone: 'keys' });
	return out;
}

/**
 * `proseLines` is the rendered prose split into lines; `rows` the content rows
 * the panel really has; `scroll` how far the learner scrolled the prose.
 */
export function layoutPanel(
	view: LessonView,
	proseLines: string[],
	rows: number,
	scroll: number,
): PanelLayout {
	const header: PanelLine = {
		text:
			view.phase === 'finished'
				? view.stepTitle
				: `Step ${view.stepIndex + 1}/${view.stepCount} · ${view.stepTitle}${view.target ? `  → ${view.target.node} (${view.target.why})` : ''}`,
		tone: 'title',
	};
	const status = statusLines(view);
	const prose = proseLines.map((text): PanelLine => ({ text, tone: 'plain' }));
	const wanted = 1 + prose.length + status.length;
	const room = Math.max(0, rows - 1 - status.length);
	const maxScroll = Math.max(0, prose.length - room);
	const from = Math.min(Math.max(0, scroll), maxScroll);
	const shown = prose.slice(from, from + room);
	const lines = [header, ...shown, ...status].slice(0, Math.max(1, rows));
	return { lines, moreAbove: from, moreBelow: Math.max(0, prose.length - from - room), wanted };
}
