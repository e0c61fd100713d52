// --record for the commands that build a Lab (sandbox, learn, rehearse): the
// command's lab factory with the recorder tapped in. The recorder sees every
// event the lab's store folds (createLab's onLabEvent) from the first, and the
// lab itself once it is up (the header needs its nodes). The recording ends
// when the lab starts shutting down: the screen is gone by then, and a replay
// ends on what it last showed, not on every server stopping.

import { rm } from 'node:fs/promises';
import type { CreateLabOptions } from '../lab/lab.js';
import type { Lab } from '../lab/types.js';
import { Recorder, type RecorderInfo } from './recorder.js';

export function recordedCreateLab<O extends Pick<CreateLabOptions, 'onLabEvent'>>(
	create: (opts: O) => Promise<Lab>,
	recorder: Recorder,
): (opts: O) => Promise<Lab> {
	return async (opts) => {
		const lab = await create({
			...opts,
			onLabEvent: (e) => {
				opts.onLabEvent?.(e);
				recorder.labEvent(e);
			},
		});
		recorder.attachLab(lab);
		return { ...lab, shutdown: () => recorder.close('the lab shut down').finally(() => lab.shutdown()) };
	};
}

/** The terminal's size as a recording's header keeps it (null without one). */
export function terminalSize(stdout: { columns?: number; rows?: number; isTTY?: boolean }) {
	return stdout.isTTY && stdout.columns && stdout.rows ? { cols: stdout.columns, rows: stdout.rows } : null;
}

/** Ends a command's recording and says where it is (stderr: stdout may carry a report), if it holds one. */
export async function closeRecorder(
	recorder: Recorder | null,
	io: { stderr: NodeJS.WritableStream },
): Promise<void> {
	if (!recorder) return;
	await recorder.close();
	// A lab that never came up left a file without a header, which no reader takes:
	// gone, and nothing says a recording was written (the command's error says why).
	if (!recorder.started) {
		await rm(recorder.path, { force: true });
		return;
	}
	io.stderr.write(`natslab: recording written to ${recorder.path} (natslab replay ${recorder.path})\n`);
}

/**
 * --record for a command that may build several labs in a row (rehearse --compare,
 * --repeat): the first lab goes to `path`, the next ones to path.2, path.3 … (before
 * the extension: run.jsonl.gz → run.2.jsonl.gz).
 */
export function recordEachLab<O extends Pick<CreateLabOptions, 'onLabEvent'>>(
	create: (opts: O) => Promise<Lab>,
	path: string,
	info: RecorderInfo,
	io: { stderr: NodeJS.WritableStream },
): { create: (opts: O) => Promise<Lab>; close: () => Promise<void> } {
	const recorders: Recorder[] = [];
	return {
		create: async (opts) => {
			const n = recorders.length + 1;
			const file = n === 1 ? path : path.replace(/(\.jsonl(\.gz)?|\.[^./]*)?$/, (ext) => `.${n}${ext}`);
			const recorder = await Recorder.open(file, info);
			recorders.push(recorder);
			return recordedCreateLab(create, recorder)(opts);
		},
		close: async () => {
			for (const r of recorders) await closeRecorder(r, io);
		},
	};
}
