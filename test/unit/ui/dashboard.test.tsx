// The dashboard drawn from real runs: states come from the real logs and harness
// events of test/fixtures/logs folded by the real reducer, plus measured nats.js
// status sequences. The assertions read the frame as a learner would.

import { Text } from 'ink';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sandboxPairWarning, sandboxPairWarningShort } from '../../../src/rehearse/version-pair.js';
import { Dashboard, type LessonSlot } from '../../../src/ui/components/Dashboard.js';
import { cleanup, FakeLab, renderWithProviders, tick, waitForFrame } from '../../support/render.js';
import { clientSequence, connected, fold, stateAt } from './replay.js';

afterEach(() => cleanup());

const RUN = 'core-2.10.27';
// n3 leads the meta group, n2 the stream, n3 the consumer; all three up.
const ALL_UP = '2026-11-26T00:47:33.000Z';
// n3 was SIGTERMed at 00:47:41.888 and exited (code 1); n1 took over the meta group at 41.906.
const N3_STOPPED = '2026-11-26T00:47:42.500Z';
// n1 was SIGKILLed at 00:47:48.869; n2 elected itself at 00:47:53.556.
const N1_KILLED = '2026-11-26T00:47:50.000Z';
// n2 and n3 SIGTERMed at 00:48:00.3: n1 alone, no meta leader (logged 00:48:19.886).
const QUORUM_LOST = '2026-11-26T00:48:20.000Z';

function rowOf(frame: string, node: string): string {
	const row = frame.split('\n').find((l) => new RegExp(`^│[› ] \\d ${node} `).test(l));
	if (!row) throw new Error(`no row for ${node} in\n${frame}`);
	return row;
}

function renderDashboard(
	state = stateAt(RUN, ALL_UP),
	opts: { lesson?: LessonSlot; cols?: number; rows?: number } = {},
) {
	const lab = new FakeLab(state);
	const onQuit = vi.fn();
	const r = renderWithProviders(<Dashboard mode="sandbox" lesson={opts.lesson} onQuit={onQuit} />, {
		lab,
		size: { cols: opts.cols ?? 100, rows: opts.rows ?? 30 },
	});
	return { ...r, lab, onQuit };
}

describe('dashboard on real runs', () => {
	it('shows three up nodes, the meta quorum and the meta leader with its badge', () => {
		const { frame } = renderDashboard();
		const f = frame();
		expect(f).toContain('meta quorum 3/3 (needs 2)');
		expect(f).toContain('meta leader n3 for');
		for (const n of ['n1', 'n2', 'n3']) expect(rowOf(f, n)).toContain('● up');
		expect(rowOf(f, 'n3')).toContain('◆META');
		expect(rowOf(f, 'n1')).not.toContain('◆META');
		expect(rowOf(f, 'n2')).toContain('★ORDERS');
		expect(rowOf(f, 'n3')).toContain('☆C1');
		expect(f).toContain('natslab sandbox · lab · 2.10.27 ×3 → 2.10.27');
	});

	it('moves the meta badge and shows the exit when the leader is stopped', async () => {
		const { frame, lab } = renderDashboard();
		expect(rowOf(frame(), 'n3')).toContain('◆META');
		lab.setState(stateAt(RUN, N3_STOPPED));
		const f = await waitForFrame(frame, (x) => rowOf(x, 'n1').includes('◆META'), 'the badge on n1');
		expect(rowOf(f, 'n3')).not.toContain('◆META');
		// A stop natslab asked for, ended as 2.10.27 ends a SIGTERM (code 1): neutral, not a failure.
		expect(rowOf(f, 'n3')).toContain('■ stopped');
		expect(rowOf(f, 'n3')).toContain('SIGTERM, exit 1');
		expect(f).toContain('meta quorum 2/3 (needs 2)');
		expect(f).toContain('meta leader n1 for');
		// The timeline says how it was known: newest first, with the source.
		expect(f).toMatch(/meta leader n3 → n1.*log/);
	});

	it('shows a SIGKILL as such, and a lost quorum with no meta leader', async () => {
		const { frame, lab } = renderDashboard(stateAt(RUN, N1_KILLED));
		expect(rowOf(frame(), 'n1')).toContain('✗ exited SIGKILL');
		lab.setState(stateAt(RUN, QUORUM_LOST));
		const f = await waitForFrame(frame, (x) => x.includes('– lost'), 'the lost quorum');
		expect(f).toContain('no meta leader for');
		expect(f).toContain('meta quorum 1/3 (needs 2) – lost');
		expect(rowOf(f, 'n2')).toContain('■ stopped');
		expect(rowOf(f, 'n1')).toContain('● up');
	});

	it('shows a client moving to another node after its server is killed, with the measured gap', () => {
		const base = stateAt(RUN, ALL_UP);
		const state = fold(
			[
				connected('core-pub', '127.0.0.1:4222', base.now),
				...clientSequence('sigkill', 'core-pub', base.now + 500),
			],
			base,
		);
		const f = renderDashboard(state).frame();
		const line = f.split('\n').find((l) => l.includes('core-pub')) ?? '';
		expect(line).toContain('@n2');
		expect(line).toContain('gap 6ms');
	});

	it('shows the lame duck signal reaching a client before it is disconnected', () => {
		const base = stateAt(RUN, ALL_UP);
		const state = fold(
			[
				connected('js-pub', '127.0.0.1:4222', base.now),
				...clientSequence('ldmMetaLeader', 'js-pub', base.now + 100).filter(
					(e) => e.at <= base.now + 100 + 1015,
				),
			],
			base,
		);
		const { frame } = renderDashboard(state);
		expect(frame()).toMatch(/js-pub .*@n1/);
		expect(frame()).toMatch(/ldm/);
	});
});

describe('dashboard size', () => {
	const lesson: LessonSlot = {
		panel: <Text>Step 2: press l to put n3 in lame duck.</Text>,
		title: 'lesson 6/9',
	};
	for (const [cols, rows] of [
		[80, 24],
		[100, 30],
	] as const) {
		for (const withLesson of [false, true]) {
			it(`stays shorter than a ${cols}x${rows} terminal${withLesson ? ' with a lesson' : ''}`, () => {
				const base = stateAt(RUN, QUORUM_LOST);
				const state = fold(
					['core-pub', 'core-sub', 'js-pub', 'js-consumer'].map((p) =>
						connected(p as 'core-pub', '127.0.0.1:4222', base.now),
					),
					base,
				);
				const f = renderDashboard(state, { cols, rows, lesson: withLesson ? lesson : undefined }).frame();
				const lines = f.split('\n');
				expect(lines.length).toBeLessThan(rows);
				for (const l of lines) expect(l.length).toBeLessThanOrEqual(cols);
				expect(f).toContain('meta quorum');
				expect(f).toContain('q quit');
				if (withLesson) expect(f).toContain('Step 2: press l');
			});
		}
	}

	it('lays out again when the terminal shrinks', () => {
		const lab = new FakeLab(stateAt(RUN, ALL_UP));
		const r = renderWithProviders(<Dashboard mode="sandbox" onQuit={() => {}} />, {
			lab,
			size: { cols: 100, rows: 30 },
		});
		expect(r.frame().split('\n').length).toBe(29);
		cleanup();
		const small = renderWithProviders(<Dashboard mode="sandbox" onQuit={() => {}} />, {
			lab,
			size: { cols: 80, rows: 24 },
		});
		expect(small.frame().split('\n').length).toBe(23);
	});
});

describe('dashboard keys', () => {
	it('sends the action for the node selected in the same chunk ("2r")', async () => {
		const { stdin, lab, frame } = renderDashboard();
		stdin.write('2r');
		await waitForFrame(frame, () => lab.acts.length === 1, 'one act');
		expect(lab.acts[0]).toEqual({ action: { op: 'restart', node: 'n2' }, by: 'learner' });
		expect(rowOf(frame(), 'n2')).toMatch(/^│›/);
		await waitForFrame(frame, (f) => f.includes('restarting n2'), 'feedback');
	});

	it('maps every node key to its operation on the selected node', async () => {
		const { stdin, lab, frame } = renderDashboard();
		stdin.write('1s2k3l');
		await waitForFrame(frame, () => lab.acts.length === 3, 'three acts');
		// n1's stop has settled by now (a node with an action in flight refuses the next one).
		stdin.write('1p');
		await waitForFrame(frame, () => lab.acts.length === 4, 'four acts');
		expect(lab.acts.map((a) => `${a.action.op} ${a.action.node}`)).toEqual([
			'stop n1',
			'kill n2',
			'ldm n3',
			'pause n1',
		]);
	});

	it('refuses what cannot apply and says why, without calling the Lab', async () => {
		const { stdin, lab, frame } = renderDashboard(stateAt(RUN, N3_STOPPED));
		stdin.write('3r');
		await waitForFrame(frame, (f) => f.includes('n3 is not running'), 'refusal');
		stdin.write('u');
		await waitForFrame(frame, (f) => f.includes('n3 already runs 2.10.27'), 'already runs');
		expect(lab.acts).toHaveLength(0);
		stdin.write('s');
		await waitForFrame(frame, () => lab.acts.length === 1, 'start');
		expect(lab.acts[0]?.action).toEqual({ op: 'start', node: 'n3' });
	});

	it('shows the Lab refusing an action', async () => {
		const { stdin, lab, frame } = renderDashboard();
		lab.actError = new Error('n1 is already stopping');
		stdin.write('r');
		await waitForFrame(frame, (f) => f.includes('restarting n1 failed: n1 is already stopping'), 'act error');
	});

	it('moves focus with tab, scrolls, toggles logs, opens help', async () => {
		const { stdin, frame } = renderDashboard();
		expect(frame()).toContain('▸ nodes');
		stdin.write('\t');
		await waitForFrame(frame, (f) => f.includes('▸ timeline'), 'timeline focus');
		await waitForFrame(frame, (f) => f.includes('why: '), 'evidence of the chosen entry');
		stdin.write('\t');
		await waitForFrame(frame, (f) => f.includes('▸ logs · all nodes'), 'logs focus');
		stdin.write('\u001B[A\u001B[A');
		await waitForFrame(frame, (f) => f.includes('↑ 2'), 'scrolled back 2');
		stdin.write('2a');
		await waitForFrame(frame, (f) => f.includes('logs · n2'), 'n2 only');
		const logLines = frame()
			.split('\n')
			.filter((l) => /^│n\d [│▶]/.test(l));
		expect(logLines.length).toBeGreaterThan(0);
		for (const l of logLines) expect(l.startsWith('│n2')).toBe(true);
		stdin.write('?');
		await waitForFrame(frame, (f) => f.includes('help · ? or Esc closes'), 'help');
		stdin.write('?');
		await waitForFrame(frame, (f) => !f.includes('help · ?'), 'help closed');
	});

	it('marks the log lines that caused a transition', () => {
		const f = renderDashboard(stateAt(RUN, N3_STOPPED)).frame();
		expect(f).toMatch(/▶ \d{2}:\d{2}:\d{2}\.\d{3} \[INF\] /);
	});

	it('quits on q and on Ctrl-C', async () => {
		const a = renderDashboard();
		a.stdin.write('q');
		await waitForFrame(a.frame, () => a.onQuit.mock.calls.length === 1, 'quit');
		cleanup();
		const b = renderDashboard();
		b.stdin.write('\u0003');
		await waitForFrame(b.frame, () => b.onQuit.mock.calls.length === 1, 'quit on Ctrl-C');
	});

	it('asks before quitting while a lesson step runs, and lets the lesson take keys first', async () => {
		const seen: string[] = [];
		const lesson: LessonSlot = {
			panel: <Text>waiting for: n3 closes its clients</Text>,
			busy: true,
			onKey: (input) => {
				seen.push(input);
				return input === 'n';
			},
		};
		const { stdin, frame, onQuit, lab } = renderDashboard(stateAt(RUN, ALL_UP), { lesson });
		stdin.write('n');
		await tick(20);
		expect(seen).toEqual(['n']);
		stdin.write('q');
		await waitForFrame(frame, (f) => f.includes('quit anyway?'), 'the question');
		stdin.write('x');
		await waitForFrame(frame, (f) => f.includes('quit cancelled'), 'cancelled');
		expect(onQuit).not.toHaveBeenCalled();
		stdin.write('qy');
		await waitForFrame(frame, () => onQuit.mock.calls.length === 1, 'quit after yes');
		expect(lab.acts).toHaveLength(0);
	});
});

describe('a start warning (sandbox --upgrade-to an older version)', () => {
	const warning = {
		text: sandboxPairWarning('2.10.27', '2.9.10') as string,
		short: sandboxPairWarningShort('2.10.27', '2.9.10') as string,
	};
	const statusRow = (f: string) => f.split('\n').find((l) => l.startsWith('! ')) ?? '';

	it('stays on the status line: whole where it fits, in fewer words where it does not, never cut mid-word', () => {
		for (const [cols, said] of [
			[160, warning.text],
			[80, warning.short],
		] as const) {
			const lab = new FakeLab(stateAt(RUN, ALL_UP));
			const { frame } = renderWithProviders(<Dashboard mode="sandbox" onQuit={vi.fn()} warning={warning} />, {
				lab,
				size: { cols, rows: 24 },
			});
			expect(statusRow(frame()).trimEnd()).toBe(`! ${said}`);
			cleanup();
		}
	});
});
