// Every word a lesson file says reaches the screen: each real lesson (real loader),
// each step, drawn by the real dashboard with the real lesson host and panel at
// 80x24 and 100x30, paged through with the real keys (`]`, then `[` back to the
// top, a–d to answer). Step 1 keeps the intro above its text. Word pairs are compared, so a dropped "not" fails.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Lesson, loadLessonFile } from '../../../src/lessons/load.js';
import type { LessonKey, LessonResult } from '../../../src/lessons/results.js';
import { fillTemplate } from '../../../src/lessons/template.js';
import { blankStep, keysFor, type LessonView } from '../../../src/lessons/view.js';
import { Dashboard, type LessonSlot } from '../../../src/ui/components/Dashboard.js';
import { type HostedLesson, makeLessonHost } from '../../../src/ui/lesson/LessonHost.js';
import { renderMarkdown } from '../../../src/ui/lesson/render.js';
import { cleanup, FakeLab, renderWithProviders, waitForFrame } from '../../support/render.js';
import { stateAt } from './replay.js';

afterEach(() => cleanup());

const LESSONS = join(import.meta.dirname, '..', '..', '..', 'lessons');
const FILES = readdirSync(LESSONS).filter((f) => /^\d\d-.*\.md$/.test(f));
const SIZES = [
	{ cols: 80, rows: 24 },
	{ cols: 100, rows: 30 },
];
const VALUES = {
	target: 'n3',
	targetWhy: 'the meta leader',
	previous: 'n2',
	metaLeader: 'n3',
	streamLeader: 'n2',
	consumerLeader: 'n1',
	stream: 'ORDERS',
	consumer: 'C1',
	version: '2.10.27',
	fromVersion: '2.9.10',
	toVersion: '2.10.27',
};

/** A lesson session whose view the test sets; a–d answer its check as the engine does. */
class WalkSession implements HostedLesson {
	busy = true;
	answer = -1;
	explain: string | undefined;
	private listeners = new Set<(v: LessonView) => void>();
	constructor(public view: LessonView) {}
	subscribe(l: (v: LessonView) => void) {
		this.listeners.add(l);
		return () => this.listeners.delete(l);
	}
	run() {
		return new Promise<LessonResult>(() => {});
	}
	stop() {}
	set(view: LessonView) {
		this.view = view;
		for (const l of [...this.listeners]) l(view);
	}
	onKey(key: LessonKey): boolean {
		const c = this.view.check;
		if (!c || c.correct) return false;
		const i = 'abcd'.indexOf(key.ch);
		if (i < 0 || i >= c.choices.length) return false;
		const right = i === this.answer;
		this.set({
			...this.view,
			phase: right ? 'stepDone' : 'asking',
			keys: keysFor(right ? 'stepDone' : 'asking', false),
			check: right
				? { ...c, chosen: i, correct: true, explain: this.explain }
				: { ...c, chosen: i, correct: false, feedback: 'not quite – try again' },
		});
		return true;
	}
}

/** The lesson panel's content rows in a dashboard frame. */
function panelText(frame: string): string {
	const lines = frame.split('\n');
	const top = lines.findIndex((l) => l.startsWith('╭') && l.includes(' lesson '));
	if (top < 0) return '';
	const out: string[] = [];
	for (const l of lines.slice(top + 1)) {
		if (l.startsWith('╰')) break;
		out.push(l.slice(1, -1));
	}
	return out.join(' ');
}

const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);

/** Word pairs (and single words) of `expected` missing from every page. */
function missing(expected: string, pages: string[]): string[] {
	const w = words(expected);
	const seen = pages.map((p) => ` ${words(panelText(p)).join(' ')} `);
	const grams = w.length < 2 ? w : w.slice(1).map((x, i) => `${w[i]} ${x}`);
	return grams.filter((g) => !seen.some((p) => p.includes(` ${g} `)));
}

/** Placeholders as the engine fills them (measurement names read "(name: not measured)"). */
const fill = (text: string): string => fillTemplate(text, VALUES);

function plain(markdown: string): string {
	return renderMarkdown(markdown, 10_000, false);
}

interface Walker {
	session: WalkSession;
	frame: () => string;
	press: (k: string) => void;
	/** The view the host last drew. */
	drawn: () => LessonView | null;
}

/** Shows `view`, then pages to the end and back to the top; every frame seen. */
async function walk(w: Walker, view: LessonView, rows: number): Promise<string[]> {
	w.session.set(view);
	await waitForFrame(w.frame, () => w.drawn() === view, `${view.stepTitle} drawn`);
	const first = await waitForFrame(
		w.frame,
		(f) => panelText(f).includes(view.stepTitle.split(' ')[0] ?? ''),
		view.stepTitle,
	);
	const frames = [first];
	for (let i = 0; i < 60 && /more ↓/.test(panelText(frames.at(-1) ?? '')); i++) {
		const before = frames.at(-1) ?? '';
		w.press(']');
		frames.push(await waitForFrame(w.frame, (f) => f !== before, `] after\n${before}`));
	}
	// Back with [ to the top (step 1 keeps the intro above its text).
	for (let i = 0; i < 60 && /↑ more/.test(panelText(frames.at(-1) ?? '')); i++) {
		const before = frames.at(-1) ?? '';
		w.press('[');
		frames.push(await waitForFrame(w.frame, (f) => f !== before, `[ after\n${before}`));
	}
	for (const f of frames)
		expect(f.split('\n').length, `frame taller than ${rows} rows:\n${f}`).toBeLessThan(rows);
	return frames;
}

function stepView(lesson: Lesson, index: number, patch: Partial<LessonView>): LessonView {
	const step = lesson.steps[index];
	if (!step) throw new Error(`no step ${index}`);
	return {
		lesson: { id: lesson.id, title: lesson.title, order: lesson.order, total: 9 },
		stepIndex: index,
		stepCount: lesson.steps.length,
		stepTitle: step.title,
		prose: fillTemplate(step.prose, VALUES),
		phase: 'waiting',
		...blankStep(),
		target: step.target ? { node: 'n3', why: 'the meta leader' } : null,
		recap: [],
		message: null,
		keys: keysFor('waiting', false),
		...patch,
	};
}

describe('every word of every lesson reaches the screen', () => {
	for (const file of FILES) {
		for (const size of SIZES) {
			it(`${file} at ${size.cols}x${size.rows}`, async () => {
				const loaded = await loadLessonFile(join(LESSONS, file));
				if (!loaded.lesson) throw new Error(JSON.stringify(loaded.problems));
				const lesson = loaded.lesson;
				const intro: LessonView = {
					...stepView(lesson, 0, {}),
					stepTitle: lesson.title,
					prose: lesson.intro,
					phase: 'starting',
					keys: '',
					target: null,
				};
				const session = new WalkSession(intro);
				const Host = makeLessonHost({ getSession: () => session, onFinished: () => {} });
				let drawn: LessonView | null = null;
				const draw = (slot: LessonSlot | undefined) => {
					drawn = session.view;
					return <Dashboard mode="course" lesson={slot} onQuit={() => {}} />;
				};
				const r = renderWithProviders(<Host render={draw} />, {
					lab: new FakeLab(stateAt('core-2.10.27', '2026-11-26T00:47:33.000Z')),
					size,
					color: false,
				});
				const w: Walker = { session, frame: r.frame, press: (k) => r.stdin.write(k), drawn: () => drawn };
				const problems: string[] = [];
				const expectAll = (what: string, text: string, pages: string[]) => {
					const gone = missing(text, pages);
					if (gone.length && process.env.WALK_DEBUG) console.log(what, pages.map(panelText).join('\n====\n'));
					if (gone.length) problems.push(`${what}: missing ${gone.map((g) => `“${g}”`).join(', ')}`);
				};

				expectAll('intro', plain(lesson.intro), await walk(w, intro, size.rows));
				for (const step of lesson.steps) {
					const measurements = step.records.map((rec) => ({
						name: rec.name,
						label: rec.label ?? rec.name,
						text: 'a measured figure that is long enough to need a second line on a narrow terminal',
						value: 1,
					}));
					const base = stepView(lesson, step.index, {
						measurements: measurements as LessonView['measurements'],
					});
					const prose = plain(fillTemplate(step.prose, VALUES));
					const pages = await walk(w, base, size.rows);
					expectAll(`step ${step.index + 1} prose`, prose, pages);
					// The intro is not lost when step 1 begins: [ pages back to it.
					if (step.index === 0) expectAll('intro from step 1', plain(lesson.intro), pages);
					for (const m of measurements)
						expectAll(`step ${step.index + 1} measured`, m.text, await walk(w, base, size.rows));
					if (!step.check) continue;
					const c = step.check;
					session.answer = c.answer - 1;
					session.explain = c.explain && fill(c.explain);
					const asking = stepView(lesson, step.index, {
						phase: 'asking',
						keys: keysFor('asking', false),
						measurements: measurements as LessonView['measurements'],
						check: { question: fill(c.question), choices: c.choices.map(fill), chosen: null, correct: null },
					});
					const asked = await walk(w, asking, size.rows);
					// The header's "(needs 2)" answers lesson 2's question: hidden until answered.
					for (const f of asked) expect(f.split('\n')[0]).not.toContain('needs');
					expectAll(`step ${step.index + 1} question`, fill(c.question), asked);
					for (const choice of c.choices) expectAll(`step ${step.index + 1} choice`, fill(choice), asked);
					w.press('abcd'[c.answer - 1] ?? 'a');
					await waitForFrame(r.frame, () => session.view.check?.correct === true, 'the answer');
					const answered = await walk(w, session.view, size.rows);
					expect(answered[0]?.split('\n')[0]).toContain('(needs 2)');
					if (c.explain) expectAll(`step ${step.index + 1} explanation`, fill(c.explain), answered);
				}
				expect(problems).toEqual([]);
			}, 60_000);
		}
	}
});
