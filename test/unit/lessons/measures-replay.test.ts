// Each lesson figure held against the events it is defined by (docs/measurements.md), on real
// recorded runs (test/fixtures/lesson-runs, recorded with test/support/record-lesson.ts on
// nats-server 2.10.27, 2.9.10 → 2.10.27 for the upgrade) replayed through the real reducer.
// The expected values are computed here from the raw events, not from the measures' code.
import { describe, expect, it } from 'vitest';
import { takeMeasurement } from '../../../src/lessons/measures.js';
import type { MeasureContext } from '../../../src/lessons/measures-kit.js';
import type { RecordSpec } from '../../../src/lessons/schema.js';
import type { ClientEvent, LabEvent, LogLineEvent } from '../../../src/observe/events.js';
import { reduce } from '../../../src/observe/reducer.js';
import { healthProblems } from '../../../src/observe/selectors.js';
import type { LabState } from '../../../src/observe/state.js';
import {
	coreCounts,
	measurement,
	type ReplayedRun,
	type ReplayedStep,
	replayLessonRun,
	stepRecording,
} from '../../support/lesson-run.js';

const PORT = 23200;
const NEW_LEADER = 'Self is new JetStream cluster metadata leader';

const isLog = (e: LabEvent): e is LogLineEvent => e.kind === 'log';
type Counters = Extract<ClientEvent, { type: 'counters' }>;
const countersOf =
	(probe: string) =>
	(e: LabEvent): e is Counters =>
		e.kind === 'client' && e.type === 'counters' && e.probe === probe;

/** The lab's own action event of a step (natslab's clock, just after the lesson's). */
function labAction(step: ReplayedStep) {
	const a = step.events.find((e) => e.kind === 'action');
	if (a?.kind !== 'action') throw new Error(`step ${step.index + 1} has no action`);
	return a;
}

/** The measures' context as the engine built it, rebuilt from the replayed states. */
function contextOf(run: ReplayedRun, step: ReplayedStep): MeasureContext {
	return {
		now: step.endedAt,
		startedAt: step.startedAt,
		actionAt: step.actionAt,
		atStart: step.atStart,
		atAction: step.beforeAction ?? step.atStart,
		beforeAction: step.beforeAction ?? step.atStart,
		atLesson: run.atLesson,
		metAt: step.endedAt,
		waitAt: [],
	};
}

/** js-pub's or core-pub's counter from the last counters report folded into a state. */
const counter = (s: LabState, probe: string, key: 'acked' | 'sent') => s.clients.probes[probe]?.[key] ?? 0;

function checkCoreMessages(run: ReplayedRun, step: ReplayedStep, name: string) {
	const m = measurement(step, name);
	const sent =
		counter(step.atEnd, 'core-pub', 'sent') - counter(step.beforeAction ?? step.atStart, 'core-pub', 'sent');
	expect(m.text.startsWith(`${sent} sent`)).toBe(true);
	const counts = coreCounts(m.text);
	if (counts) {
		// Comparable: every number published in the window is received, lost, missed while away or in flight.
		expect(counts.received + counts.lost + counts.away + counts.inFlight).toBe(sent);
		// Missed while away only when core-sub really disconnected after the action.
		const disconnected = step.events
			.slice(step.eventsBeforeAction)
			.some(
				(e) =>
					e.kind === 'client' && e.probe === 'core-sub' && e.type === 'status' && e.status === 'disconnect',
			);
		if (counts.away > 0) expect(disconnected).toBe(true);
	} else {
		expect(m.text).toMatch(/core-sub was .*not comparable/);
	}
	// The replay through the real reducer gives the same figure.
	const again = takeMeasurement(
		step.atEnd,
		{ measure: 'core-messages', name, since: 'step' },
		contextOf(run, step),
	);
	expect(coreCounts(again.text) ?? again.text).toEqual(coreCounts(m.text) ?? m.text);
}

describe('lesson 5 (lose quorum), recorded on 2.10.27', () => {
	const run = replayLessonRun('lose-quorum.jsonl.gz', PORT);

	it('start → first JetStream ack: the start action → the first counters report with a new ack', () => {
		const step = stepRecording(run, 'back');
		const action = labAction(step);
		const ackedBefore = counter(step.beforeAction as LabState, 'js-pub', 'acked');
		const firstAck = step.events
			.filter(countersOf('js-pub'))
			.find((e) => e.at >= action.at && e.counters.acked > ackedBefore);
		expect(firstAck).toBeDefined();
		const back = measurement(step, 'back');
		// The lesson's action event and the lab's are the same moment within a millisecond or two.
		expect(Math.abs((back.value ?? -1) - ((firstAck?.at ?? 0) - (step.actionAt ?? 0)))).toBeLessThanOrEqual(
			2,
		);
		// It is its own figure, not the meta election, which the step also records under its own label:
		// the start → the new meta leader's own line.
		const reelected = measurement(step, 'reelected');
		const line = step.events
			.filter(isLog)
			.find((l) => l.at >= (step.actionAt ?? 0) && l.raw.includes(NEW_LEADER));
		expect(reelected.value).toBe((line?.at ?? 0) - (step.actionAt ?? 0));
		expect(reelected.label).toMatch(/meta leader/);
		expect(back.label).toMatch(/first JetStream ack/);
	});

	it('publishes since the second stop count only acks after that stop', () => {
		const step = stepRecording(run, 'failing');
		const before = step.beforeAction as LabState;
		const acked = counter(step.atEnd, 'js-pub', 'acked') - counter(before, 'js-pub', 'acked');
		expect(measurement(step, 'failing').text.startsWith(`${acked} acked,`)).toBe(true);
		// The window starts at the stop, not at the step's start.
		expect(step.beforeAction?.now).toBeGreaterThanOrEqual(step.atStart.now);
	});

	it('core messages since the second stop add up, or say why they cannot', () => {
		checkCoreMessages(run, stepRecording(run, 'core'), 'core');
	});

	it('core messages when core-sub moved servers: what it missed then is counted apart from lost', () => {
		// Another run, in which core-sub was on the second stopped server (918 sent, 906 received, 7 missed).
		const moved = replayLessonRun('lose-quorum-core-sub-moved.jsonl.gz', PORT);
		const step = stepRecording(moved, 'core');
		checkCoreMessages(moved, step, 'core');
		expect(coreCounts(measurement(step, 'core').text)?.away).toBeGreaterThan(0);
	});
});

describe('lesson 6 (lame duck), recorded on 2.10.27', () => {
	const run = replayLessonRun('lame-duck.jsonl.gz', PORT);

	it('one handover number: “Entering lame duck mode” → the new leader’s line, by the servers’ clocks', () => {
		const step = stepRecording(run, 'ldmHandover');
		const target = step.result.target;
		const logs = step.events.filter(isLog);
		const ldm = logs.find((l) => l.node === target && l.raw.includes('Entering lame duck mode'));
		const elected = logs.find((l) => ldm && l.at >= ldm.at && l.raw.includes(NEW_LEADER));
		expect(ldm && elected).toBeTruthy();
		const m = measurement(step, 'ldmHandover');
		expect(m.value).toBe((elected?.at ?? 0) - (ldm?.at ?? 0));
		expect(m.node).toBe(elected?.node);
		// The recap is the step's list: the same object, the same number.
		expect(run.result.measurements.find((x) => x.name === 'ldmHandover')?.value).toBe(m.value);
	});

	it('lame duck → process exit is the lame duck action → the exit event', () => {
		const step = stepRecording(run, 'ldmExit');
		const exit = step.events.find((e) => e.kind === 'process' && e.type === 'exited');
		expect(exit).toBeDefined();
		expect(
			Math.abs((measurement(step, 'ldmExit').value ?? -1) - ((exit?.at ?? 0) - (step.actionAt ?? 0))),
		).toBeLessThanOrEqual(2);
	});

	it('core messages of the drain and of the restart count by message number', () => {
		checkCoreMessages(run, stepRecording(run, 'ldmCore'), 'ldmCore');
		checkCoreMessages(run, stepRecording(run, 'rsCore'), 'rsCore');
	});
});

describe('lesson 4 (stop the meta leader), recorded on 2.10.27', () => {
	const run = replayLessonRun('stop-the-meta-leader.jsonl.gz', PORT);

	it.each(['handover', 'election'])('%s: the signal → the new meta leader’s own log line', (name) => {
		const step = stepRecording(run, name);
		const action = step.actionAt ?? 0;
		const line = step.events.filter(isLog).find((l) => l.at >= action && l.raw.includes(NEW_LEADER));
		expect(line).toBeDefined();
		expect(measurement(step, name).value).toBe((line?.at ?? 0) - action);
		const spec = { measure: 'log-interval', name, to: NEW_LEADER } as RecordSpec;
		expect(takeMeasurement(step.atEnd, spec, contextOf(run, step)).value).toBe(measurement(step, name).value);
	});
});

describe('lesson 7 (rolling upgrade), recorded 2.9.10 → 2.10.27', () => {
	const run = replayLessonRun('rolling-upgrade.jsonl.gz', PORT);

	it.each(['gate1', 'gate2', 'gate3'])(
		'%s: start → 3 s after /healthz turned ok on every node for good',
		(name) => {
			const step = stepRecording(run, name);
			const action = step.actionAt ?? 0;
			// Replay the step: the last moment every node became healthy and stayed so until the step's end.
			let state = step.beforeAction as LabState;
			let healthySince: number | null = null;
			for (const e of step.events.slice(step.eventsBeforeAction)) {
				state = reduce(state, e);
				const ok = healthProblems(state).length === 0;
				if (!ok) healthySince = null;
				else healthySince ??= e.at;
			}
			expect(healthySince).not.toBeNull();
			const gate = measurement(step, name).value ?? -1;
			const held = (healthySince ?? 0) + 3000 - action;
			// The engine checks at every state change and every 0.25 s: the gate passes at most a tick or two late.
			expect(gate).toBeGreaterThanOrEqual(held - 5);
			expect(gate).toBeLessThanOrEqual(held + 1000);
		},
	);

	it('the last handover is the same definition as lesson 6', () => {
		const step = stepRecording(run, 'lastHandover');
		const logs = step.events.filter(isLog);
		const ldm = logs.find((l) => l.node === step.result.target && l.raw.includes('Entering lame duck mode'));
		const elected = logs.find((l) => ldm && l.at >= ldm.at && l.raw.includes(NEW_LEADER));
		expect(measurement(step, 'lastHandover').value).toBe((elected?.at ?? 0) - (ldm?.at ?? 0));
	});

	it('core messages over the whole upgrade count from the lesson’s start', () => {
		const step = stepRecording(run, 'upgradeCore');
		const m = measurement(step, 'upgradeCore');
		const sent = counter(step.atEnd, 'core-pub', 'sent') - counter(run.atLesson, 'core-pub', 'sent');
		expect(m.text.startsWith(`${sent} sent`)).toBe(true);
		const counts = coreCounts(m.text);
		if (counts) expect(counts.received + counts.lost + counts.away + counts.inFlight).toBe(sent);
	});
});
