// --record for the commands that build a Lab (sandbox, learn, rehearse): the
// command's lab factory with the recorder tapped in. The recorder sees every
// event the lab's store folds (createLab's onLabEvent) from the first, and the
// lab itself once it is up (the header needs its nodes).

import type { CreateLabOptions } from '../lab/lab.js';
import type { Lab } from '../lab/types.js';
import type { Recorder } from './recorder.js';

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
		return lab;
	};
}

/** The terminal's size as a recording's header keeps it (null without one). */
export function terminalSize(stdout: { columns?: number; rows?: number; isTTY?: boolean }) {
	return stdout.isTTY && stdout.columns && stdout.rows ? { cols: stdout.columns, rows: stdout.rows } : null;
}

/** Ends a command's recording and says where it is (stderr: stdout may carry a report). */
export async function closeRecorder(
	recorder: Recorder | null,
	io: { stderr: NodeJS.WritableStream },
): Promise<void> {
	if (!recorder) return;
	await recorder.close();
	io.stderr.write(`natslab: recording written to ${recorder.path} (natslab replay ${recorder.path})\n`);
}
