// The ONE place a failed command is reported: a UserError is one line and its
// exit code; a filesystem problem on the user's paths becomes one (naming the
// path and the fix, exit 3); any other error is natslab's bug: one line, the
// stack and its causes in crash.log, exit 70.

import { fileURLToPath } from 'node:url';
import { EXIT, fsUserError, isUserError } from '../base/errors.js';
import { crashLine, writeSafely } from '../lab/cleanup.js';

/** natslab's own files (lesson folder, config template): a problem there is natslab's bug, not the user's. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Prints a failure as one line and returns the exit code it stands for. */
export function reportFailure(
	err: unknown,
	io: { stderr: NodeJS.WritableStream; env: NodeJS.ProcessEnv },
): number {
	const path = (err as { path?: unknown } | null)?.path;
	const mine = typeof path === 'string' && path.startsWith(PACKAGE_ROOT);
	const user = isUserError(err) ? err : mine ? err : fsUserError(err);
	if (isUserError(user)) {
		writeSafely(io.stderr, `natslab: ${user.message.split('\n')[0]}\n`);
		return user.exitCode;
	}
	writeSafely(io.stderr, `${crashLine(err, io.env)}\n`);
	return EXIT.internal;
}
