// The step engine on a Lab whose state comes from a REAL recorded run: each
// act() replays what the real servers logged after that very signal, through
// the real reducer. What is tested here is the engine (keys, waits, timeouts,
// checks, measurements, resume), not cluster behaviour.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { NodeAction } from '../../../src/base/names.js';
import { createLabStore } from '../../../src/lab/store.js';
import type { Lab } from '../../../src/lab/types.js';
import { LessonSession, type LessonSessionOptions, type RunMode } from '../../../src/lessons/engine.js';
import { type Lesson, parseLesson } from '../../../src/lessons/load.js';
import { progressLabel, readProgress, saveStep } from '../../../src/lessons/progress.js';
import { reduce } from '../../../src/observe/reducer.js';
import { at, routez, runEvents, stateAt } from './support.js';

const RUN = 'core-2.10.27';

/** act({op, node}) → replay the run from the signal to `until` (the real aftermath of that signal). */
const SCRIPT: Record<string, { signal: string; until: string }> = {
	'stop n3': { signal: '00:47:41.888', until: '00:47:41.950' },
	// Not recorded: nothing happens afterwards (used to make a wait time out).
	'pause n3': { signal: '00:47:41.887', until: '00:47:41.887' },
};

interface FixtureLab extends Lab {
	acts: { action: NodeAction; by: string }[];
	clock: { now: number };
}

function fixtureLab(opts: { verifyMissing?: number } = {}): FixtureLab {
	// The engine reads its clock just before it acts: start 1 ms before the recorded signal.
	const startAt = '00:47:41.887';
	const t = at(startAt);
	const initial = stateAt(RUN, startAt, [
		routez('n1', t, ['n2', 'n3']),
		routez('n2', t, ['n1', 'n3']),
		routez('n3', t, ['n1', 'n2']),
	]);
	const store = createLabStore(initial, reduce);
	let cursor = startAt;
	const clock = { now: t };
	const acts: FixtureLab['acts'] = [];
	return {
		acts,
		clock,
		getState: store.getState,
		subscribe: store.subscribe,
		emit: store.emit,
		async act(action, by) {
			acts.push({ action, by });
			// As the real lab does (lab/lab.ts): every action is an event first.
			store.emit({ kind: 'action', at: clock.now, by, action });
			const step = SCRIPT[`${action.op} ${action.node}`];
			if (!step) throw new Error(`no recorded aftermath for ${action.op} ${action.node}`);
			clock.now = at(step.signal);
			for (const e of runEvents(RUN, cursor, step.until)) store.emit(e);
			cursor = step.until;
			clock.now = at(step.until);
		},
		async startProbes() {},
		async stopProbes() {},
		async verify() {
			const result = {
				acked: 10,
				stored: 10 - (opts.verifyMissing ?? 0),
				ackedMissing: opts.verifyMissing ?? 0,
				timedOutButStored: 0,
			};
			store.emit({
				kind: 'client',
				probe: 'js-pub',
				probeKind: 'js-pub',
				at: clock.now,
				type: 'verified',
				result,
			});
			return result;
		},
		ports: () => ({ client: 4222, cluster: 6222, http: 8222 }),
		clientUrls: () => [],
		versions: { initial: '2.10.27', upgradeTo: null },
		async shutdown() {},
		async release() {},
	};
}

const LESSON = `---
id: handover
title: Hand over
order: 4
summary: SIGTERM the meta leader.
---

## Stop the meta leader

Stop {{target}} ({{targetWhy}}).

target: meta-leader
action: { do: stop, by: learner, key: s }
wait: { for: meta-leader-moved, from: $target, timeout: 5s }
record: { name: handover, measure: duration, label: SIGTERM → new meta leader }
check:
  question: Did {{target}} keep its leadership?
  choices: [yes, "no – it handed over in {{handover}}"]
  answer: 2
hint: Press s.

## What happened

It took {{handover}}; the meta leader is now {{metaLeader}}.
`;

function lesson(text = LESSON): Lesson {
	const r = parseLesson(text, 'handover.md');
	if (!r.lesson) throw new Error(r.problems.map((p) => `${p.line}: ${p.message}`).join('\n'));
	return r.lesson;
}

function session(
	lab: FixtureLab,
	mode: RunMode,
	extra: Partial<ConstructorParameters<typeof LessonSession>[0]> = {},
) {
	return new LessonSession({
		lab,
		lesson: lesson(extra.lesson ? undefined : undefined),
		mode,
		tickMs: 5,
		clock: () => lab.clock.now,
		...extra,
	});
}

async function phase(s: LessonSession, wanted: string, stepIndex?: number): Promise<void> {
	await vi.waitFor(
		() => {
			expect(s.view.phase).toBe(wanted);
			if (stepIndex !== undefined) expect(s.view.stepIndex).toBe(stepIndex);
		},
		{ timeout: 3000, interval: 5 },
	);
}

/**
 * An interactive run of a lesson whose first wait (n1 has exited, 1 s) never comes true, taken up
 * to the moment it offers wait again or skip.
 */
async function untilWaitTimedOut(onProgress?: LessonSessionOptions['onProgress']) {
	const lab = fixtureLab();
	const text = LESSON.replace(
		'wait: { for: meta-leader-moved, from: $target, timeout: 5s }',
		'wait: { for: node-down, node: n1, timeout: 1s, otherwise: "n1 was never stopped." }',
	).replace('{{handover}}; the', 'long; the');
	const s = session(lab, 'interactive', { lesson: lesson(text), ...(onProgress ? { onProgress } : {}) });
	const done = s.run();
	await phase(s, 'action');
	s.onKey({ ch: 's' });
	await vi.waitFor(() => expect(s.view.waits[0]?.met).toBe(false));
	lab.clock.now += 1500;
	await phase(s, 'timedOut');
	return { s, done };
}

describe('interactive', () => {
	it('waits for the learner’s key, then the condition; measures from the real log time; checks; continues on enter', async () => {
		const lab = fixtureLab();
		const progress: number[] = [];
		const s = session(lab, 'interactive', { onProgress: (next) => progress.push(next) });
		const done = s.run();
		await phase(s, 'action');
		expect(s.view.target).toEqual({ node: 'n3', why: 'the meta leader' });
		expect(s.view.prose).toBe('Stop n3 (the meta leader).');
		expect(s.view.prompt).toBe('press s to stop n3 (SIGTERM)');
		expect(s.onKey({ ch: 'x' })).toBe(false);
		expect(lab.acts).toEqual([]);
		expect(s.onKey({ ch: 'h' })).toBe(true);
		expect(s.view.showHint).toBe(true);
		expect(s.onKey({ ch: 's' })).toBe(true);

		await phase(s, 'asking');
		expect(lab.acts).toEqual([{ action: { op: 'stop', node: 'n3' }, by: 'learner' }]);
		expect(s.view.measurements).toEqual([
			{ name: 'handover', label: 'SIGTERM → new meta leader', text: '19 ms', value: 19 },
		]);
		expect(s.view.check?.question).toBe('Did n3 keep its leadership?');
		expect(s.view.check?.choices[1]).toBe('no – it handed over in 19 ms');
		// Both keys in one go, as when they arrive in one chunk: neither may be lost.
		expect(s.onKey({ ch: 'a' })).toBe(true);
		expect(s.view.check).toMatchObject({ chosen: 0, correct: false, feedback: 'not quite – try again' });
		expect(s.onKey({ ch: 'b' })).toBe(true);
		expect(s.view.check).toMatchObject({ chosen: 1, correct: true });

		await phase(s, 'stepDone');
		expect(s.view.waits[0]).toMatchObject({
			met: true,
			text: 'the meta leader moves off n3',
			status: 'meta leader n3 → n1',
		});
		expect(s.onKey({ ch: '', enter: true })).toBe(true);
		await phase(s, 'stepDone', 1);
		expect(s.view.stepTitle).toBe('What happened');
		expect(s.view.prose).toBe('It took 19 ms; the meta leader is now n1.');
		s.onKey({ ch: '', enter: true });
		await phase(s, 'finished');
		expect(s.view.recap.map((m) => `${m.label}: ${m.text}`)).toEqual(['SIGTERM → new meta leader: 19 ms']);
		expect(s.busy).toBe(false);
		s.onKey({ ch: '', enter: true });
		const result = await done;
		expect(result.status).toBe('done');
		expect(result.steps[0]?.check).toEqual({
			question: 'Did n3 keep its leadership?',
			answer: 'no – it handed over in 19 ms',
			firstTry: false,
		});
		expect(progress).toEqual([1, 2]);
	});

	it('says so when a node key changes the cluster outside the plan, and not for the learner’s own step key', async () => {
		const lab = fixtureLab();
		const s = session(lab, 'interactive');
		const done = s.run();
		await phase(s, 'action');
		// A node key pressed while the lesson waits for its own key: the learn screen sends it to the lab.
		lab.emit({ kind: 'action', at: lab.clock.now, by: 'learner', action: { op: 'restart', node: 'n2' } });
		await vi.waitFor(() =>
			expect(s.view.message).toBe(
				"you: restart n2 — outside this lesson's plan; the lesson goes on, and what it waits for and measures now includes your change",
			),
		);
		expect(
			lab.getState().timeline.some((e) => e.text === "outside the lesson's plan: learner restart n2"),
		).toBe(true);
		// The step's own key (s at the prompt) is the plan: no such line for it.
		s.onKey({ ch: 's' });
		await phase(s, 'asking');
		expect(s.view.message ?? '').not.toMatch(/outside this lesson's plan/);
		// The store tells its listeners on setImmediate: let that (and the note it may cause) happen first.
		await new Promise((r) => setTimeout(r, 20));
		expect(lab.getState().timeline.filter((e) => /outside the lesson's plan/.test(e.text))).toHaveLength(1);
		s.stop();
		await done;
	});

	it('a wait that does not come true offers wait again (w) or skip (x), with the reason and the hint', async () => {
		const { s, done } = await untilWaitTimedOut();
		expect(s.view.message).toBe(
			'handover step 1 “Stop the meta leader”: timed out after 1.0 s waiting for n1 has exited (now: n1 up) – n1 was never stopped.',
		);
		expect(s.view.showHint).toBe(true);
		expect(s.view.keys).toBe('w wait again · x skip this step · h hint');
		// r and s stay the node keys while the step is stuck (a restart is often the fix).
		expect(s.onKey({ ch: 'r' })).toBe(false);
		expect(s.onKey({ ch: 's' })).toBe(false);
		expect(s.onKey({ ch: 'x' })).toBe(true);
		await phase(s, 'asking');
		s.stop();
		const result = await done;
		expect(result.status).toBe('aborted');
		expect(result.steps[0]?.status).toBe('skipped');
	});

	it('a lesson with a step skipped past after its wait failed finishes, but is not saved as done', async () => {
		const saved: Parameters<NonNullable<LessonSessionOptions['onProgress']>>[] = [];
		const { s, done } = await untilWaitTimedOut((...args) => saved.push(args));
		s.onKey({ ch: 'x' });
		await phase(s, 'asking');
		s.onKey({ ch: 'b' });
		await phase(s, 'stepDone', 0);
		s.onKey({ ch: '', enter: true });
		await phase(s, 'stepDone', 1);
		s.onKey({ ch: '', enter: true });
		await phase(s, 'finished');
		expect(s.view.message).toBe('skipped step 1: not marked done; it resumes at step 1');
		s.onKey({ ch: '', enter: true });
		expect((await done).steps.map((x) => x.status)).toEqual(['skipped', 'done']);
		expect(saved.map(([next, , skipped]) => [next, skipped])).toEqual([
			[1, [0]],
			[2, [0]],
		]);
		// What learn saves from these calls: the lesson reached its end, yet it is not done.
		const env = { NATSLAB_HOME: mkdtempSync(join(tmpdir(), 'natslab-skip-')) };
		for (const [next, measurements, skipped] of saved)
			await saveStep(env, 'handover', next, 2, measurements, new Date(), skipped);
		const p = (await readProgress(env)).lessons.handover;
		expect(p).toMatchObject({ step: 0, done: false, skipped: [0] });
		expect(p?.completedAt).toBeUndefined();
		expect(progressLabel(p, 2)).toBe('step 1/2 (skipped step 1)');
	});

	it('a lesson whose verified wait failed (acked messages lost) and was skipped past is not saved as done', async () => {
		const lab = fixtureLab({ verifyMissing: 2 });
		const saved: Parameters<NonNullable<LessonSessionOptions['onProgress']>>[] = [];
		const s = session(lab, 'interactive', {
			lesson: lesson(VERIFY_LESSON),
			onProgress: (...args) => saved.push(args),
		});
		const done = s.run();
		await phase(s, 'timedOut');
		expect(s.view.message).toContain('2 acked messages lost');
		s.onKey({ ch: 'x' });
		await phase(s, 'stepDone');
		s.onKey({ ch: '', enter: true });
		await phase(s, 'finished');
		s.onKey({ ch: '', enter: true });
		expect((await done).steps.map((x) => x.status)).toEqual(['skipped']);
		expect(saved.map(([next, , skipped]) => [next, skipped])).toEqual([[1, [0]]]);
		const env = { NATSLAB_HOME: mkdtempSync(join(tmpdir(), 'natslab-skip-')) };
		const [next, measurements, skipped] = saved[0] ?? [1, [], []];
		await saveStep(env, 'verify', next, 1, measurements, new Date(), skipped);
		expect((await readProgress(env)).lessons.verify).toMatchObject({ done: false, skipped: [0] });
	});

	it('resuming redoes the earlier steps on the fresh cluster by itself, then hands over', async () => {
		const lab = fixtureLab();
		const s = session(lab, 'interactive', { startAt: 1 });
		const done = s.run();
		await phase(s, 'stepDone');
		expect(s.view.stepIndex).toBe(1);
		expect(lab.acts).toEqual([{ action: { op: 'stop', node: 'n3' }, by: 'lesson' }]);
		expect(s.view.prose).toBe('It took 19 ms; the meta leader is now n1.');
		s.stop();
		expect((await done).status).toBe('aborted');
	});
});

/** One step: natslab runs the verifier and waits for its verdict. */
const VERIFY_LESSON = `---
id: verify
title: Verify
order: 1
summary: s
---

## Check

action: { do: verify }
wait: { for: verified, timeout: 60s }
`;

/** An auto run whose wait never comes true: n3 is paused, nothing happens (no recorded aftermath). */
function neverMet() {
	const lab = fixtureLab();
	const text = LESSON.replace(
		'wait: { for: meta-leader-moved, from: $target, timeout: 5s }',
		'wait: { for: meta-leader-moved, from: $target, timeout: 5s, otherwise: "never" }',
	).replace('action: { do: stop, by: learner, key: s }', 'action: { do: pause, by: learner, key: p }');
	const s = new LessonSession({
		lab,
		lesson: lesson(text),
		mode: 'auto',
		tickMs: 5,
		clock: () => lab.clock.now,
	});
	return { lab, s, running: s.run() };
}

describe('auto', () => {
	it('performs the learner’s actions itself and reports every step', async () => {
		const lab = fixtureLab();
		const events: string[] = [];
		const s = session(lab, 'auto', {
			onEvent: (e) => events.push(e.type === 'step-end' ? `end ${e.result.title}` : e.type),
		});
		const result = await s.run();
		expect(result.status).toBe('done');
		expect(lab.acts).toEqual([{ action: { op: 'stop', node: 'n3' }, by: 'lesson' }]);
		expect(result.measurements.map((m) => m.text)).toEqual(['19 ms']);
		expect(result.steps.map((st) => st.status)).toEqual(['done', 'done']);
		expect(events).toEqual([
			'step-start',
			'action',
			'waiting',
			'end Stop the meta leader',
			'step-start',
			'end What happened',
		]);
	});

	it('fails with one line when a wait times out', async () => {
		const { lab, running } = neverMet();
		await vi.waitFor(() => expect(lab.acts).toHaveLength(1));
		lab.clock.now += 6000;
		const result = await running;
		expect(result.status).toBe('failed');
		expect(result.failure).toMatch(
			/^handover step 1 “Stop the meta leader”: timed out after 5\.0 s waiting for the meta leader moves off n3 \(now: n3 still leads\) – never$/,
		);
	});

	it('names a one-way route beside a wait that times out, in the failure line and the result', async () => {
		const { lab, s, running } = neverMet();
		await vi.waitFor(() => expect(lab.acts).toHaveLength(1));
		// n2's /routez stops listing n1 while n1 still lists n2 (the measured 2.9 ↔ 2.10 ending).
		lab.emit(routez('n2', lab.clock.now, ['n3']));
		lab.clock.now += 4000;
		// Not held long enough yet: a reconnect in flight is not named.
		await vi.waitFor(() => expect(s.view.waits[0]?.elapsedMs).toBeGreaterThanOrEqual(4000));
		expect(s.view.diagnosis ?? null).toBeNull();
		// The lab's state notices are batched: the watch may have seen the route only now.
		lab.clock.now += 11_000;
		const result = await running;
		expect(result.status).toBe('failed');
		expect(result.failure).toMatch(
			/– never; diagnosis one-way-route: n1 lists a route to n2 but n2 does not list n1 \(1\d s\) → restart n\d: kill \+ start fixed it at once$/,
		);
		expect(result.diagnoses?.map((d) => [d.kind, d.summary])).toEqual([
			['one-way-route', 'n1 lists a route to n2 but n2 does not list n1'],
		]);
		expect(result.diagnoses?.[0]?.evidence).toContain('n2 /routez: n3');
	});

	it('names a one-way route when the lab never gets ready (no full mesh)', async () => {
		const lab = fixtureLab();
		lab.emit(routez('n2', lab.clock.now, ['n3']));
		const s = session(lab, 'auto', { readyTimeoutMs: 5000 });
		const running = s.run();
		await vi.waitFor(() => expect(s.view.waits.length).toBeGreaterThan(0));
		lab.clock.now += 12_000;
		const result = await running;
		expect(result.status).toBe('failed');
		expect(result.failure).toMatch(
			/^handover: the lab was not ready: .*; diagnosis one-way-route: n1 lists a route to n2 but n2 does not list n1 \(12 s\)/,
		);
		expect(result.diagnoses?.map((d) => d.kind)).toEqual(['one-way-route']);
		expect(lab.acts).toEqual([]);
	});

	it('stops at once when the verifier finds acked messages missing', async () => {
		const lab = fixtureLab({ verifyMissing: 2 });
		const s = session(lab, 'auto', { lesson: lesson(VERIFY_LESSON) });
		const result = await s.run();
		expect(result.status).toBe('failed');
		expect(result.failure).toBe(
			'verify step 1 “Check”: the verifier compares acked messages with the stream: 2 acked messages lost',
		);
	});
});
