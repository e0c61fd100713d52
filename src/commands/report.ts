// The ONE place a failed command is reported: a UserError is one line and its
// exit code; a filesystem problem on the user's paths becomes one (naming the
// path and the fix, exit 3); any other error is natslab's bug: one line, the
// stack and its causes in crash.log, exit 70.

import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, fsUserError, isUserError } from '../base/errors.js';
import { crashLine, writeSafely } from '../lab/cleanup.js';

/**
 * natslab's own files (its code, the shipped lessons, the config template): a problem
 * there is natslab's bug, not the user's. (Not the whole package folder: a NATSLAB_HOME
 * may well live inside a checkout, as the tests' does.)
 */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OWN_FOLDERS = ['assets', 'dist', 'lessons', 'node_modules', 'src'].map(
	(d) => join(PACKAGE_ROOT, d) + sep,
);

function isOwnFile(path: unknown): boolean {
	return typeof path === 'string' && OWN_FOLDERS.some((dir) => path.startsWith(dir));
}

/** Prints a failure as one line and returns the exit code it stands for. */
export function reportFailure(
	err: unknown,
	io: { stderr: NodeJS.WritableStream; env: NodeJS.ProcessEnv },
): number {
	const mine = isOwnFile((err as { path?: unknown } | null)?.path);
	const user = isUserError(err) || mine ? err : fsUserError(err);
	if (isUserError(user)) {
		writeSafely(io.stderr, `natslab: ${user.message.split('\n')[0]}\n`);
		return user.exitCode;
	}
	writeSafely(io.stderr, `${crashLine(err, io.env)}\n`);
	return EXIT.internal;
}
