// Plays a recording back: the recorded LabEvents go through the same pure reducer
// the live lab used (observe/reducer.ts), at the recorded pace (or faster), and the
// recorded lesson views, probe start-up and link states are set at their moments.
// The clock the screen reads ("for 12s", "2s ago") is the recording's own: the
// moment the replay has reached. Seeking back folds again from the start (the
// reducer is pure, so the state at any moment is the events before it, folded).
// The keys the learner pressed on the live dashboard are told at their moments too,
// and told again from the start after a seek back (the screen's view follows them).

import type { PairStatus } from '../cluster/links/pairs.js';
import type { ProbeStartup } from '../lab/types.js';
import type { LessonView } from '../lessons/view.js';
import type { LabState } from '../observe/state.js';
import type { RecordEntry, Recording } from './format.js';
import { initialStateOf, reducerFor } from './reducer-for.js';
import {
	KeyFeed,
	Listeners,
	type RecordedKeysChange,
	type ReplayControl,
	type ReplayStatus,
	SPEEDS,
	stepStarts,
	visibleChange,
} from './replay-kit.js';

const TICK_MS = 50;
/** The bar's time moves in tenths: telling it more often than this only costs frames. */
const STATUS_EVERY_MS = 100;

export class Replayer implements ReplayControl {
	readonly start: number;
	readonly end: number;
	state: LabState;
	probes: ProbeStartup = { phase: 'none' };
	links: PairStatus[] | null = null;
	view: LessonView | null = null;
	readonly labListeners = new Listeners<LabState>();
	readonly probeListeners = new Listeners<ProbeStartup>();
	readonly linkListeners = new Listeners<PairStatus[] | null>();
	readonly viewListeners = new Listeners<LessonView>();
	readonly statusListeners = new Listeners<ReplayStatus>();
	/** Keys pressed on the dashboard up to the position (the setup view's, before `start`, are not). */
	private readonly keys = new KeyFeed();
	private readonly entries: RecordEntry[];
	private readonly steps: { entry: number; step: number }[];
	private next = 0;
	private pos: number;
	private speedIndex = SPEEDS.indexOf(1);
	private playing = false;
	private timer: NodeJS.Timeout | null = null;
	private lastTick = 0;
	private statusAt = 0;
	private status: ReplayStatus;

	constructor(private readonly recording: Recording) {
		this.entries = recording.entries;
		// The live dashboard appeared when the lab was up (the recorder then wrote the probes' state):
		// the replay starts there, with the start-up's events already folded.
		const shown = this.entries.find((e) => e.kind === 'probes' || e.kind === 'links' || e.kind === 'view');
		this.start = shown?.t ?? this.entries[0]?.t ?? 0;
		this.end = this.entries.at(-1)?.t ?? this.start;
		this.pos = this.start;
		this.state = this.initialState();
		this.steps = stepStarts(this.entries);
		this.applyUntil(this.start);
		this.status = this.makeStatus();
	}

	/** The moment the replay has reached (ms since the epoch, the recording's clock). */
	readonly clock = (): number => this.pos;

	getStatus(): ReplayStatus {
		return this.status;
	}

	subscribeStatus(listener: (s: ReplayStatus) => void): () => void {
		return this.statusListeners.add(listener);
	}

	keysSoFar(): readonly string[] {
		return this.keys.soFar;
	}

	subscribeKeys(listener: (change: RecordedKeysChange) => void): () => void {
		return this.keys.listeners.add(listener);
	}

	play(): void {
		if (this.playing) return;
		if (this.pos >= this.end) this.seek(this.start);
		this.playing = true;
		this.lastTick = performance.now();
		this.timer = setInterval(() => this.tick(), TICK_MS);
		this.timer.unref();
		this.tellStatus(true);
	}

	pause(): void {
		this.playing = false;
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
		this.tellStatus(true);
	}

	toggle(): void {
		if (this.playing) this.pause();
		else this.play();
	}

	/** One speed step up (+1) or down (-1), within 0.5x–8x. */
	changeSpeed(by: 1 | -1): void {
		this.speedIndex = Math.min(SPEEDS.length - 1, Math.max(0, this.speedIndex + by));
		this.tellStatus(true);
	}

	/** To `at` (ms since the epoch); back means folding again from the start. */
	seek(at: number): void {
		const target = Math.min(this.end, Math.max(this.start, at));
		if (target < this.pos) this.reset();
		this.applyUntil(target);
		this.pos = target;
		this.tellStatus(true);
	}

	/** Seconds back (b: 10 s). */
	back(ms = 10_000): void {
		this.seek(this.pos - ms);
	}

	/** Just after entry `index` (a mark), at its moment; paused. */
	seekEntry(index: number): void {
		this.pause();
		const entry = this.entries[index];
		if (!entry) return;
		if (index < this.next) this.reset();
		this.applyThrough(index);
		this.pos = entry.t;
		this.tellStatus(true);
	}

	/** On to the next event that changed a leader, a node or a client (n); paused there. */
	nextChange(): boolean {
		this.pause();
		for (let i = this.next; i < this.entries.length; i++) {
			const entry = this.entries[i] as RecordEntry;
			if (entry.kind !== 'lab') continue;
			const before = this.state;
			this.applyThrough(i);
			this.pos = Math.max(this.pos, entry.t);
			if (visibleChange(before, this.state)) {
				this.tellStatus(true);
				return true;
			}
		}
		this.seek(this.end);
		return false;
	}

	/** To the start of the next (+1) or previous (-1) lesson step; false when there is none. */
	step(by: 1 | -1): boolean {
		const v = this.view;
		const current =
			!v || v.phase === 'starting' ? -1 : v.phase === 'finished' ? Number.POSITIVE_INFINITY : v.stepIndex;
		const target =
			by > 0 ? this.steps.find((s) => s.step > current) : this.steps.filter((s) => s.step < current).at(-1);
		if (!target) return false;
		const playing = this.playing;
		this.seekEntry(target.entry);
		if (playing) this.play();
		return true;
	}

	/** Every entry (the markdown timeline, tests). */
	get recorded(): readonly RecordEntry[] {
		return this.entries;
	}

	stop(): void {
		this.pause();
	}

	private tick(): void {
		const now = performance.now();
		const target = this.pos + (now - this.lastTick) * (SPEEDS[this.speedIndex] ?? 1);
		this.lastTick = now;
		this.applyUntil(target);
		this.pos = Math.min(target, this.end);
		if (this.pos >= this.end) this.pause();
		else this.tellStatus(false);
	}

	private initialState(): LabState {
		return initialStateOf(this.recording.header);
	}

	private reset(): void {
		this.state = this.initialState();
		this.probes = { phase: 'none' };
		this.links = null;
		this.view = null;
		this.keys.reset();
		this.next = 0;
		this.pos = this.start;
	}

	private applyUntil(at: number): void {
		let last = this.next - 1;
		while (last + 1 < this.entries.length && (this.entries[last + 1] as RecordEntry).t <= at) last++;
		this.applyThrough(last);
	}

	/** Folds entries up to and including `last`, then tells whoever follows what changed. */
	private applyThrough(last: number): void {
		const was = { state: this.state, probes: this.probes, links: this.links, view: this.view };
		const keys: string[] = [];
		for (; this.next <= last && this.next < this.entries.length; this.next++) {
			const e = this.entries[this.next] as RecordEntry;
			if (e.kind === 'lab') this.state = reducerFor(this.recording.header)(this.state, e.event);
			else if (e.kind === 'view') this.view = e.view;
			else if (e.kind === 'probes') this.probes = e.state;
			else if (e.kind === 'links') this.links = e.state;
			else if (e.kind === 'key' && e.t >= this.start) keys.push(e.key);
		}
		if (this.state !== was.state) this.labListeners.tell(this.state);
		if (this.probes !== was.probes) this.probeListeners.tell(this.probes);
		if (this.links !== was.links) this.linkListeners.tell(this.links);
		if (this.view !== was.view && this.view) this.viewListeners.tell(this.view);
		// After the state: a key is read against the state of its moment.
		this.keys.tell(keys);
	}

	private makeStatus(): ReplayStatus {
		const step = this.view ? { index: this.view.stepIndex, count: this.view.stepCount } : null;
		return {
			file: this.recording.file,
			at: this.pos - this.start,
			duration: this.end - this.start,
			speed: SPEEDS[this.speedIndex] ?? 1,
			playing: this.playing,
			ended: this.pos >= this.end,
			step,
			steps: this.steps.length,
		};
	}

	private tellStatus(now: boolean): void {
		const t = performance.now();
		if (!now && t - this.statusAt < STATUS_EVERY_MS) return;
		this.statusAt = t;
		this.status = this.makeStatus();
		this.statusListeners.tell(this.status);
	}
}
