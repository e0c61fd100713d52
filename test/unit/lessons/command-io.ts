// A command's terminal for unit tests: stdout and stderr kept as strings, a fresh
// NATSLAB_HOME of its own, and a TTY or not.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScreenIo } from '../../../src/ui/run.js';

export function io(tty = false) {
	const out = { stdout: '', stderr: '' };
	const env = { ...process.env, NATSLAB_HOME: mkdtempSync(join(tmpdir(), 'natslab-learn-')) };
	const stream = (key: 'stdout' | 'stderr') => ({
		write: (s: string) => {
			out[key] += s;
			return true;
		},
		isTTY: tty,
		columns: 100,
	});
	return {
		out,
		env,
		io: {
			stdout: stream('stdout'),
			stderr: stream('stderr'),
			stdin: { isTTY: tty },
			env,
		} as unknown as ScreenIo,
	};
}
