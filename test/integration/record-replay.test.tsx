// A replay shows what the live run showed: a real 2.10.27 sandbox lab (the sandbox's
// probes) is recorded with --record's recorder while its dashboard is drawn live
// (ink-testing-library, 100x30); at a few instants — settled, just after a SIGKILL of
// the meta leader, once a new one leads, after a lame duck of that one — the live
// screen is held on the state and clock of that instant and the instant is marked
// in the recording. Then the recording is replayed (no server) to each mark and the
// replay's frame must be the live frame, line for line: the same reducer over the
// same events, the recording's clock for every "for 2s". Only the bottom line (the
// replay shows no node keys) and the header's left label ("replay") differ.
// The learner's keys are recorded too (2 selects n2, a shows its logs only, as
// runScreen's onKey records them): the replay follows them, so from the second mark
// on both screens show n2 selected and n2's logs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, waitUntil } from '../../src/base/wait.js';
import { createLab } from '../../src/lab/lab.js';
import type { Lab } from '../../src/lab/types.js';
import { agreedMetaLeader } from '../../src/observe/selectors.js';
import type { LabState } from '../../src/observe/state.js';
import { readRecording } from '../../src/record/read.js';
import { recordedCreateLab } from '../../src/record/recorded-lab.js';
import { Recorder } from '../../src/record/recorder.js';
import type { RecordedKeys } from '../../src/record/replay-kit.js';
import { createReplay } from '../../src/record/replay-lab.js';
import { Dashboard } from '../../src/ui/components/Dashboard.js';
import { LabProvider, TerminalSizeProvider } from '../../src/ui/context.js';
import { ThemeProvider } from '../../src/ui/theme.js';
import { labHome } from '../support/lab-home.js';
import { TEST_BASE_PORTS } from '../support/ports.js';

const VERSION = '2.10.27';
const SIZE = { cols: 100, rows: 30 };

/** The live lab as the screen sees it, which the test can hold still on one instant. */
class HeldLab {
	private held: { state: LabState; at: number } | null = null;
	private readonly listeners = new Set<(s: LabState) => void>();
	readsSinceHold = 0;
	readonly lab: Lab;
	constructor(private readonly live: Lab) {
		this.lab = {
			...live,
			getState: () => {
				this.readsSinceHold++;
				return this.held?.state ?? live.getState();
			},
			subscribe: (l) => {
				this.listeners.add(l);
				const off = live.subscribe((s) => {
					if (!this.held) l(s);
				});
				return () => {
					this.listeners.delete(l);
					off();
				};
			},
		};
	}
	readonly clock = () => this.held?.at ?? Date.now();
	hold(state: LabState, at: number): void {
		// A new object: the screen re-renders with the held clock even when the lab's state did not
		// change since its last frame (else that frame's "up for 1s", drawn just before, met the
		// replay's "2s" at the mark's own instant).
		this.held = { state: { ...state }, at };
		this.readsSinceHold = 0;
		for (const l of [...this.listeners]) l(this.held.state);
	}
	release(): void {
		this.held = null;
		const s = this.live.getState();
		for (const l of [...this.listeners]) l(s);
	}
}

function screen(lab: Lab, clock: () => number, followKeys?: RecordedKeys): ReactElement {
	return (
		<ThemeProvider color={false}>
			<TerminalSizeProvider size={SIZE}>
				<LabProvider lab={lab} clock={clock} source="sandbox" frameMs={0} routineMs={0}>
					<Dashboard mode="sandbox" onQuit={() => {}} followKeys={followKeys} />
				</LabProvider>
			</TerminalSizeProvider>
		</ThemeProvider>
	);
}

/** The frame once it has stopped changing (the screen drew the state it was given). */
async function settledFrame(frame: () => string | undefined, ready: () => boolean): Promise<string> {
	let last = '';
	let same = 0;
	const began = Date.now();
	while (Date.now() - began < 15_000) {
		const f = frame() ?? '';
		if (ready() && f === last && f !== '') same++;
		else same = 0;
		if (same >= 4) return f;
		last = f;
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error(`the frame did not settle:\n${last}`);
}

/** What both screens must agree on: all but the key bar, the header from its meta part on. */
function comparable(frame: string): string[] {
	const lines = frame.split('\n').slice(0, -1);
	const header = lines[0] ?? '';
	const meta = header.indexOf('meta ');
	lines[0] = meta >= 0 ? header.slice(meta) : header;
	return lines;
}

describe('a replay draws what the live screen drew (real 2.10.27 sandbox: a kill, a lame duck)', () => {
	const home = labHome('natslab-record-replay-', [VERSION]);
	const dir = mkdtempSync(join(tmpdir(), 'natslab-recording-'));
	const file = join(dir, 'sandbox.jsonl.gz');
	const live: { mark: string; frame: string }[] = [];
	let recorder: Recorder;
	let lab: Lab;
	let held: HeldLab;
	let view: ReturnType<typeof render>;

	async function capture(mark: string): Promise<void> {
		// The state and the mark in the same tick: nothing can be folded between the two.
		const state = lab.getState();
		const at = recorder.mark(mark);
		held.hold(state, at);
		const frame = await settledFrame(view.lastFrame, () => held.readsSinceHold > 0);
		live.push({ mark, frame });
		held.release();
	}

	beforeAll(async () => {
		recorder = await Recorder.open(file, { command: 'sandbox', mode: 'sandbox', terminal: SIZE });
		lab = await recordedCreateLab(
			createLab,
			recorder,
		)({
			version: VERSION,
			basePort: TEST_BASE_PORTS.recordReplay,
			env: home.env,
			workspace: 'sandbox',
			probes: [{ kind: 'core' }, { kind: 'jetstream' }],
		});
		held = new HeldLab(lab);
		view = render(screen(held.lab, held.clock));
	}, 120_000);

	afterAll(async () => {
		view?.unmount();
		await lab?.shutdown();
		home.remove();
		rmSync(dir, { recursive: true, force: true });
	});

	it('records a kill and a lame duck, and the replay at each mark is the live frame', async () => {
		await lab.probesReady?.();
		const settled = await waitFor(
			lab,
			(s) =>
				s.clients.order.length === 4 &&
				s.clients.order.every((p) => s.clients.probes[p]?.state === 'connected') &&
				agreedMetaLeader(s),
			{ timeoutMs: 60_000, describe: () => 'four connected probes and an agreed meta leader' },
		);
		await capture('settled');
		// Keys on the live screen, recorded as runScreen records them (the recorder first, as KeyRouter's onKey).
		for (const key of ['2', 'a']) {
			recorder.key(key);
			view.stdin.write(key);
		}
		await waitUntil(
			() => {
				const f = view.lastFrame() ?? '';
				return /^│› 2 n2/m.test(f) && /logs · n2/.test(f) ? true : undefined;
			},
			{
				timeoutMs: 15_000,
				everyMs: 50,
				describe: () => `the live screen took 2 and a:\n${view.lastFrame()}`,
			},
		);
		await capture('n2 selected, its logs');
		const first = settled as string;
		await lab.act({ op: 'kill', node: first }, 'sandbox');
		await capture('just after the kill');
		const second = await waitFor(
			lab,
			(s) => {
				const l = agreedMetaLeader(s);
				return l && l !== first ? l : undefined;
			},
			{ timeoutMs: 30_000, describe: () => `a meta leader other than ${first}` },
		);
		await capture(`${second} leads`);
		await lab.act({ op: 'ldm', node: second }, 'sandbox');
		await waitFor(
			lab,
			(s) => {
				const l = s.cluster.meta.leader;
				return l && l !== second ? true : undefined;
			},
			{ timeoutMs: 30_000, describe: () => `the meta leader off ${second}` },
		);
		await capture('after the lame duck');
		await lab.shutdown();

		const recording = await readRecording(file);
		expect(recording.header).toMatchObject({ command: 'sandbox', terminal: SIZE, nodes: ['n1', 'n2', 'n3'] });
		const replay = createReplay(recording);
		expect(live).toHaveLength(5);
		for (const { mark, frame } of live) {
			const index = recording.entries.findIndex((e) => e.kind === 'mark' && e.text === mark);
			expect(index, mark).toBeGreaterThan(0);
			replay.replayer.seekEntry(index);
			const shown = render(screen(replay.lab, replay.replayer.clock, replay.replayer));
			try {
				const again = await settledFrame(shown.lastFrame, () => true);
				expect(comparable(again), `at "${mark}"`).toEqual(comparable(frame));
				// The bottom line: the live key bar offers node keys, the replay's none.
				expect(frame.split('\n').at(-1)).toMatch(/k kill/);
				expect(again.split('\n').at(-1)).not.toMatch(/k kill/);
			} finally {
				shown.unmount();
			}
		}
		// The frames are not trivially equal: the keys, the kill and the new leader show.
		expect(live[0]?.frame).toMatch(/^│› 1 n1/m);
		for (const later of live.slice(1)) expect(later.frame).toMatch(/^│› 2 n2[\s\S]*logs · n2/m);
		expect(live[2]?.frame).toMatch(new RegExp(`${first}.*(exited|stopping)`));
		expect(live[3]?.frame).toContain(`meta leader ${second}`);
		expect(live[4]?.frame).toMatch(/lame duck|◐/);
	}, 180_000);
});
