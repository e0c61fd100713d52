// Writes a recording (./format.ts) while a lab runs: the command creates the
// Recorder before the lab (the lab's first events arrive before it resolves and
// wait in memory for the header, which needs the lab's nodes), hands `labEvent`
// to createLab's onLabEvent tap, then attaches the lab, the lesson session and
// the screen's keys. Writing never throws into the lab: a failed or full disk, or
// the size limit, stops the recording and says so once (onStopped).

import { closeSync, createWriteStream, openSync, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { withFsErrors } from '../base/errors.js';
import type { Watchable } from '../base/wait.js';
import { registerCleanup } from '../lab/cleanup.js';
import type { Lab } from '../lab/types.js';
import type { LessonEvent, LessonResult } from '../lessons/results.js';
import type { LessonView } from '../lessons/view.js';
import type { LabEvent } from '../observe/events.js';
import { RECORDING_FORMAT, RECORDING_LIMIT_BYTES, type RecordingHeader, type RecordLine } from './format.js';
import { natslabVersion, redactSecrets } from './meta.js';
import { ViewDiff } from './view-diff.js';

export interface RecorderInfo {
	command: string;
	mode: string;
	lesson?: RecordingHeader['lesson'];
	terminal?: RecordingHeader['terminal'];
}

export interface RecorderOptions {
	limitBytes?: number;
	/** Told once when the recording stops before close(): the size limit, a write error. */
	onStopped?: (why: string) => void;
	/** natslab's clock (tests). */
	now?: () => number;
}

/** What a lesson session offers to watch (lessons/engine.ts's LessonSession). */
export interface WatchedLesson {
	readonly view: LessonView;
	subscribe(listener: (v: LessonView) => void): () => void;
}

export class Recorder {
	private readonly out: Writable;
	private readonly done: Promise<void>;
	private readonly now: () => number;
	private readonly limit: number;
	private pending: string[] | null = [];
	private bytes = 0;
	private stopped: string | null = null;
	private readonly lastPoll = new Map<string, string>();
	private readonly views = new ViewDiff();
	private readonly unsubscribe: (() => void)[] = [];
	private lab: Lab | null = null;
	private unregister: () => void = () => {};

	/** Opens (creates or truncates) `path` now, so a bad path fails before any server starts. */
	static async open(path: string, info: RecorderInfo, opts: RecorderOptions = {}): Promise<Recorder> {
		await withFsErrors('--record', path, () => closeSync(openSync(path, 'w')));
		const recorder = new Recorder(path, info, opts);
		// A signal or a closed terminal ends natslab through the one cleanup path: the
		// file gets its end line and (gzipped) its last blocks and trailer there too.
		recorder.unregister = registerCleanup(() => recorder.close('natslab was stopped'));
		return recorder;
	}

	private constructor(
		readonly path: string,
		private readonly info: RecorderInfo,
		private readonly opts: RecorderOptions,
	) {
		this.now = opts.now ?? Date.now;
		this.limit = opts.limitBytes ?? RECORDING_LIMIT_BYTES;
		const file: WriteStream = createWriteStream(path);
		const gzip = path.endsWith('.gz') ? createGzip() : null;
		if (gzip) gzip.pipe(file);
		this.out = gzip ?? file;
		this.done = new Promise<void>((resolve) => {
			file.on('close', resolve);
			const failed = (err: Error) => {
				this.stop(`recording to ${path} stopped: ${err.message}`);
				resolve();
			};
			file.on('error', failed);
			gzip?.on('error', failed);
		});
	}

	/** True once the header is written (the lab came up): the file is a recording a reader takes. */
	get started(): boolean {
		return this.lab !== null;
	}

	/** createLab's onLabEvent: every event as the lab's store is about to fold it. */
	readonly labEvent = (event: LabEvent): void => {
		if (event.kind === 'poll' && event.ok) {
			const key = `${event.node} ${event.endpoint}`;
			const data = JSON.stringify(event.data);
			if (this.lastPoll.get(key) === data) {
				this.line({ t: this.now(), same: [event.node, event.endpoint, event.at] });
				return;
			}
			this.lastPoll.set(key, data);
		}
		this.line({ t: this.now(), lab: event });
	};

	/** Writes the header (from the lab's initial picture) and what waited for it; follows probes and links. */
	attachLab(lab: Lab): void {
		this.lab = lab;
		const s = lab.getState();
		const header: RecordingHeader = {
			natslabRecording: RECORDING_FORMAT,
			natslab: natslabVersion(),
			command: this.info.command,
			mode: this.info.mode,
			recordedAt: new Date(this.now()).toISOString(),
			nodes: [...s.cluster.order],
			addressBook: { ...s.addressBook },
			clusterName: s.cluster.name,
			versions: { ...lab.versions },
			terminal: this.info.terminal ?? null,
			lesson: this.info.lesson ?? null,
			...(lab.readOnly ? { readOnly: lab.readOnly } : {}),
		};
		const waiting = this.pending ?? [];
		this.pending = null;
		this.write(redactSecrets(JSON.stringify(header)));
		for (const text of waiting) this.write(text);
		this.follow(lab.probeStartup, (state) => ({ t: this.now(), probes: state }));
		this.follow(lab.linkState, (state) => ({ t: this.now(), links: state }));
	}

	/** The lesson panel's views (only what changed) from now on. */
	attachLesson(session: WatchedLesson): void {
		const record = (v: LessonView) => {
			const changed = this.views.next(v);
			if (changed) this.line({ t: this.now(), view: changed });
		};
		record(session.view);
		this.unsubscribe.push(session.subscribe(record));
	}

	readonly lessonEvent = (event: LessonEvent): void => {
		this.line({ t: this.now(), lesson: event });
	};

	/** The lesson's outcome, when it ended. */
	readonly lessonResult = (result: LessonResult): void => {
		this.line({ t: this.now(), result });
	};

	readonly key = (input: string): void => {
		this.line({ t: this.now(), key: input });
	};

	/** A named instant (tests compare the screen at marks; a bug report can point at one); its time. */
	mark(text: string): number {
		const t = this.now();
		this.line({ t, mark: text });
		return t;
	}

	/** Ends the recording (an end line, the file closed); safe to call twice. */
	async close(reason = 'closed'): Promise<void> {
		this.unregister();
		if (this.stopped === null) {
			// A lab that never came up: its events still make a (header-less) file no reader takes.
			this.pending = null;
			this.line({ t: this.now(), end: reason });
			this.stopped = reason;
		}
		for (const u of this.unsubscribe.splice(0)) u();
		if (!this.out.writableEnded) this.out.end();
		await this.done;
	}

	private follow<S>(source: Watchable<S> | undefined, line: (s: S) => RecordLine): void {
		if (!source) return;
		this.line(line(source.getState()));
		this.unsubscribe.push(source.subscribe((s) => this.line(line(s))));
	}

	private line(line: RecordLine): void {
		if (this.stopped !== null) return;
		const text = redactSecrets(JSON.stringify(line));
		if (this.pending) this.pending.push(text);
		else this.write(text);
	}

	private write(text: string): void {
		if (this.stopped !== null) return;
		this.bytes += Buffer.byteLength(text) + 1;
		if (this.bytes > this.limit) {
			const mb = Math.round(this.limit / 1024 / 1024);
			const why = `recording stopped at ${mb} MB (the size limit): ${this.path} holds everything until now`;
			this.out.write(`${JSON.stringify({ t: this.now(), end: why })}\n`);
			this.stop(why);
			return;
		}
		this.out.write(`${text}\n`);
	}

	private stop(why: string): void {
		if (this.stopped !== null) return;
		this.stopped = why;
		for (const u of this.unsubscribe.splice(0)) u();
		this.opts.onStopped?.(why);
		// On the live screen's timeline too (the recording no longer takes it).
		this.lab?.emit({ kind: 'note', at: this.now(), text: why });
	}
}
