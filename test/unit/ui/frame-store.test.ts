import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LabState } from '../../../src/observe/state.js';
import {
	CLOCK_GRACE_MS,
	createClockStore,
	createFrameStore,
	FRAME_MS,
	isUrgentChange,
	ROUTINE_MS,
} from '../../../src/ui/frame-store.js';
import { mergedRun } from '../../support/fixtures.js';
import { FakeLab } from '../../support/render.js';
import { fold, stateAt } from './replay.js';

const RUN = 'core-2.10.27';

beforeEach(() => {
	vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(() => vi.useRealTimers());

/** A change that is not a transition: new client counters only. */
function routine(s: LabState): LabState {
	return { ...s, clients: { ...s.clients } };
}

describe('createFrameStore', () => {
	it('tells a burst of transitions (real log lines) in one frame', async () => {
		const start = stateAt(RUN, '2026-11-26T00:47:33.000Z');
		const burst = mergedRun(RUN).filter(
			(e) => e.at > start.now && e.at <= Date.parse('2026-11-26T00:47:42.000Z'),
		);
		expect(burst.length).toBeGreaterThan(10);
		const lab = new FakeLab(start);
		const store = createFrameStore(lab);
		const seen: LabState[] = [];
		const off = store.subscribe(() => seen.push(store.getSnapshot()));
		await vi.advanceTimersByTimeAsync(ROUTINE_MS);
		let s = start;
		for (const e of burst) {
			s = fold([e], s);
			lab.setState(s);
		}
		expect(isUrgentChange(start, s)).toBe(true);
		await vi.advanceTimersByTimeAsync(FRAME_MS);
		expect(seen).toHaveLength(1);
		expect(seen[0]).toBe(s);
		off();
	});

	it('shows routine changes at most once per ROUTINE_MS, and lets a transition overtake them', async () => {
		const start = stateAt(RUN, '2026-11-26T00:47:33.000Z');
		const lab = new FakeLab(start);
		const store = createFrameStore(lab);
		let calls = 0;
		const off = store.subscribe(() => calls++);
		// After a quiet spell the first change shows at once.
		lab.setState(routine(start));
		await vi.advanceTimersByTimeAsync(1);
		expect(calls).toBe(1);
		// The next routine change waits for ROUTINE_MS after that frame.
		lab.setState(routine(lab.getState()));
		await vi.advanceTimersByTimeAsync(FRAME_MS * 2);
		expect(calls).toBe(1);
		await vi.advanceTimersByTimeAsync(ROUTINE_MS);
		expect(calls).toBe(2);
		// A routine change is pending when a transition arrives: the transition does not wait.
		lab.setState(routine(lab.getState()));
		const next = mergedRun(RUN).find((e) => e.at > start.now);
		if (!next) throw new Error('fixture run has no later event');
		lab.setState(fold([next], lab.getState()));
		await vi.advanceTimersByTimeAsync(FRAME_MS);
		expect(calls).toBe(3);
		off();
	});

	it('stops its timer when the last listener leaves', async () => {
		const lab = new FakeLab(stateAt(RUN, '2026-11-26T00:47:33.000Z'));
		const store = createFrameStore(lab);
		const off = store.subscribe(() => {});
		lab.setState(routine(lab.getState()));
		off();
		expect(vi.getTimerCount()).toBe(0);
	});
});

/** The screen's two stores as LabProvider wires them; `frames` counts what a render would draw. */
function setupScreenStores(lab: FakeLab) {
	const clock = createClockStore(Date.now);
	const store = createFrameStore(lab, FRAME_MS, ROUTINE_MS, clock.refresh);
	const frames: number[] = [];
	// React draws once per task in which a store it reads told it of a change.
	let pending = false;
	const draw = () => {
		if (pending) return;
		pending = true;
		queueMicrotask(() => {
			pending = false;
			frames.push(Date.now());
		});
	};
	const offs = [store.subscribe(draw), clock.subscribe(draw)];
	const cleanup = () => {
		for (const off of offs) off();
	};
	return { clock, frames, cleanup };
}

describe('createClockStore with the frame store', () => {
	it('rides along with the routine frames: one frame a second while counters change twice a second, at any phase', async () => {
		// The counters' phase against the clock's is whatever the start made it (on the idle sandbox
		// the clock used to tick ~100 ms before each routine frame: two frames a second).
		for (let phase = 0; phase < ROUTINE_MS; phase += 50) {
			const lab = new FakeLab(stateAt(RUN, '2026-11-26T00:47:33.000Z'));
			const { frames, cleanup } = setupScreenStores(lab);
			await vi.advanceTimersByTimeAsync(phase);
			const feed = setInterval(() => lab.setState(routine(lab.getState())), 500);
			await vi.advanceTimersByTimeAsync(3000);
			frames.length = 0;
			await vi.advanceTimersByTimeAsync(10_000);
			clearInterval(feed);
			cleanup();
			expect({ phase, frames: frames.length }).toEqual({ phase, frames: 10 });
			const gaps = frames.slice(1).map((t, i) => t - (frames[i] as number));
			expect(Math.min(...gaps)).toBeGreaterThanOrEqual(ROUTINE_MS);
		}
	});

	it('ticks on its own once a second on a lab with nothing new, and a tick and a grace after the last frame', async () => {
		const lab = new FakeLab(stateAt(RUN, '2026-11-26T00:47:33.000Z'));
		const { clock, frames, cleanup } = setupScreenStores(lab);
		await vi.advanceTimersByTimeAsync(5000);
		expect(frames).toHaveLength(5);
		expect(clock.getSnapshot()).toBe(Date.now());
		lab.setState(routine(lab.getState()));
		await vi.advanceTimersByTimeAsync(FRAME_MS);
		const lastFrame = frames.at(-1) as number;
		frames.length = 0;
		await vi.advanceTimersByTimeAsync(ROUTINE_MS + CLOCK_GRACE_MS);
		expect(frames).toEqual([lastFrame + ROUTINE_MS + CLOCK_GRACE_MS]);
		cleanup();
		expect(vi.getTimerCount()).toBe(0);
	});
});
