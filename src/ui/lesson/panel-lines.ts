// The lesson panel as lines: pure, so the layout can be tested without Ink.
// Nothing is cut: every line wraps to the panel width. Live status (prompt,
// waits, a named diagnosis with its recovery, a notice, the hint, the keys)
// stays pinned at the bottom; the step's text (prose, then the question, then
// what was measured) scrolls page by page with [ and ], marked "↑ more" /
// "more ↓". The text starts at the top, so a question comes after the prose
// that leads to it, and what was measured stays hidden until the question is
// answered (it would give the answer away).

import { formatMs, formatSeconds } from '../../base/format.js';
import { COURSE_COMPLETE, isLastLesson, type LessonView, type WaitView } from '../../lessons/view.js';
import { wrapLine } from '../wrap.js';

export type LineTone = 'plain' | 'title' | 'prompt' | 'ok' | 'wait' | 'warn' | 'dim' | 'measure' | 'keys';
export interface PanelLine {
	text: string;
	tone: LineTone;
}

export interface PanelLayout {
	lines: PanelLine[];
	/** Text lines hidden below and above. */
	moreBelow: number;
	moreAbove: number;
	/** Content rows wanted if there were room for everything. */
	wanted: number;
	/** Lines one [ or ] moves (a page less one line, so each page overlaps the last). */
	page: number;
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

/** The check is on screen and not yet answered right. */
function checkOpen(view: LessonView): boolean {
	return view.check !== null && view.check.correct !== true;
}

/** The scrolling text after the prose: the question, what was measured, the recap. */
function textLines(view: LessonView): PanelLine[] {
	const out: PanelLine[] = [];
	if (view.check) {
		const c = view.check;
		out.push({ text: '', tone: 'plain' });
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
	if (checkOpen(view)) return out;
	if (view.measurements.length > 0) out.push({ text: '', tone: 'plain' });
	for (const m of view.measurements) out.push({ text: `measured · ${m.label}: ${m.text}`, tone: 'measure' });
	if (view.phase === 'finished') {
		// First, so that it is on screen without paging however long the recap is.
		if (isLastLesson(view.lesson)) {
			out.push({ text: COURSE_COMPLETE.title, tone: 'ok' });
			out.push({ text: COURSE_COMPLETE.next, tone: 'plain' });
			out.push({ text: '', tone: 'plain' });
		}
		out.push({ text: 'Recap – what your cluster measured:', tone: 'title' });
		if (view.recap.length === 0) out.push({ text: '(nothing was measured)', tone: 'dim' });
		for (const m of view.recap) out.push({ text: `• ${m.label}: ${m.text}`, tone: 'measure' });
	}
	return out;
}

/** Live status, pinned under the text. */
function statusLines(view: LessonView): PanelLine[] {
	const out: PanelLine[] = [];
	if (view.prompt) out.push({ text: `▶ ${view.prompt}`, tone: 'prompt' });
	if (view.phase !== 'finished') for (const w of view.waits) out.push(waitLine(w));
	if (view.diagnosis && view.phase !== 'finished') {
		out.push({ text: `⚠ ${view.diagnosis.text}`, tone: 'warn' });
		out.push({ text: `→ ${view.diagnosis.hint}`, tone: 'prompt' });
	}
	if (view.message)
		out.push({
			text: view.message,
			tone: view.phase === 'timedOut' || view.phase === 'failed' ? 'warn' : 'dim',
		});
	if (view.showHint && view.hint) out.push({ text: `hint: ${view.hint}`, tone: 'dim' });
	return out;
}

function headerLine(view: LessonView): PanelLine {
	return {
		text:
			view.phase === 'finished'
				? view.stepTitle
				: `Step ${view.stepIndex + 1}/${view.stepCount} · ${view.stepTitle}${view.target ? `  → ${view.target.node} (${view.target.why})` : ''}`,
		tone: 'title',
	};
}

/** The keys line: the scroll marker first (it must never be cut), then the step's keys. */
function keysLine(view: LessonView, above: number, below: number): PanelLine {
	const marker = [above > 0 ? '[ ↑ more' : '', below > 0 ? '] more ↓' : ''].filter(Boolean).join(' · ');
	return { text: [marker, view.keys].filter(Boolean).join(' · '), tone: 'keys' };
}

function wrapAll(lines: PanelLine[], width: number): PanelLine[] {
	return lines.flatMap((l) => wrapLine(l.text, width).map((text) => ({ text, tone: l.tone })));
}

/**
 * `proseLines` is the rendered prose split into lines; `rows` the content rows
 * the panel really has; `scroll` how many text lines the learner paged past;
 * `width` the content width every line is wrapped to.
 */
export function layoutPanel(
	view: LessonView,
	proseLines: string[],
	rows: number,
	scroll: number,
	width = Number.POSITIVE_INFINITY,
): PanelLayout {
	const header = wrapAll([headerLine(view)], width);
	const prose = proseLines.map((text): PanelLine => ({ text, tone: 'plain' }));
	const extra = textLines(view);
	const body = wrapAll(
		prose.length > 0 ? [...prose, ...extra] : extra.slice(extra[0]?.text === '' ? 1 : 0),
		width,
	);
	const status = wrapAll(statusLines(view), width);
	const keysRows = wrapAll([keysLine(view, 1, 1)], width).length;
	const wanted = header.length + body.length + status.length + keysRows;
	// Header and keys always; the status keeps one row for the text when it can.
	const fixed = Math.min(header.length, 1) + keysRows;
	const statusRoom = Math.max(0, Math.min(status.length, rows - fixed - 1));
	const headerRoom = Math.max(1, Math.min(header.length, rows - keysRows - statusRoom - 1));
	const room = Math.max(0, rows - headerRoom - statusRoom - keysRows);
	const page = Math.max(1, room - 1);
	const maxScroll = Math.max(0, body.length - room);
	const from = Math.min(Math.max(0, scroll), maxScroll);
	const moreAbove = from;
	const moreBelow = Math.max(0, body.length - from - room);
	const keys = wrapAll([keysLine(view, moreAbove, moreBelow)], width);
	const lines = [
		...header.slice(0, headerRoom),
		...body.slice(from, from + room),
		...status.slice(0, statusRoom),
		...keys,
	].slice(0, Math.max(1, rows));
	return { lines, moreAbove, moreBelow, wanted, page };
}
