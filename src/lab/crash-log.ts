// crash.log in natslab's state folder: the stack and `cause` chain of natslab's
// own bugs, which the terminal only gets one line of. Bounded on purpose: one
// entry per process, each entry cut to MAX_ENTRY_BYTES, and the file rotated to
// crash.log.1 before it would grow past MAX_FILE_BYTES, so no failure loop can
// ever fill a disk with it again.

import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';

export const MAX_FILE_BYTES = 1024 * 1024;
export const MAX_ENTRY_BYTES = 64 * 1024;

let written = false;

/** The stack, own properties and the whole `cause` chain (util.inspect prints `[cause]`). */
export function describeCrash(reason: unknown): string {
	const text = inspect(reason, { depth: 6, breakLength: 120 });
	return Buffer.byteLength(text) > MAX_ENTRY_BYTES
		? `${Buffer.from(text).subarray(0, MAX_ENTRY_BYTES).toString()}\n… (cut at ${MAX_ENTRY_BYTES} bytes)`
		: text;
}

/**
 * Appends one entry to <stateDir>/crash.log and returns the file, or null when this
 * process already wrote one (or the folder cannot be written: the crash line still
 * reaches the terminal). `once: false` is for tests of the cap.
 */
export function appendCrashLog(
	stateDir: string,
	detail: string,
	opts: { once?: boolean } = {},
): string | null {
	const once = opts.once ?? true;
	if (once && written) return null;
	written = true;
	const file = join(stateDir, 'crash.log');
	try {
		mkdirSync(stateDir, { recursive: true });
		const entry = `${new Date().toISOString()} pid ${process.pid} ${detail}\n\n`;
		const size = fileSize(file);
		if (size > 0 && size + Buffer.byteLength(entry) > MAX_FILE_BYTES) renameSync(file, `${file}.1`);
		appendFileSync(file, entry);
		return file;
	} catch {
		return null;
	}
}

function fileSize(file: string): number {
	try {
		return statSync(file).size;
	} catch {
		return 0;
	}
}
