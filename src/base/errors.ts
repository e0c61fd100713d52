// natslab's one fatal-error type and its exit codes. A UserError is something the
// user can fix (bad input, a broken environment, a request that cannot be met):
// the CLI's one top-level handler prints its message as one line (no stack) and
// exits with its code. Anything else that reaches the handler is natslab's own
// bug: exit 70 and the stack (with its `cause` chain) in the crash log.

import { statSync } from 'node:fs';
import { dirname } from 'node:path';

/** The exit codes natslab documents (README, "Exit codes"). */
export const EXIT = {
	ok: 0,
	/** What was asked ran and did not succeed, or cannot be done as things stand. */
	failed: 1,
	/** Bad command line or input: unknown command or option, a malformed value, no terminal. */
	usage: 2,
	/** The machine: a path natslab cannot use (not a folder, no permission, disk full, read-only), a busy port. */
	environment: 3,
	/** natslab's own bug (EX_SOFTWARE). */
	internal: 70,
	/** The terminal closed (SIGHUP), or it vanished under a write (EIO). */
	hangup: 129,
	/** Ctrl-C (SIGINT), or an interrupted download. */
	interrupted: 130,
	/** The reader of stdout or stderr went away (EPIPE): as a program killed by SIGPIPE would. */
	closedPipe: 141,
	/** SIGTERM. */
	terminated: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface UserErrorOptions extends ErrorOptions {
	exitCode?: number;
}

export class UserError extends Error {
	override name = 'UserError';
	readonly exitCode: number;
	/** `new UserError(msg)`, `new UserError(msg, 2)`, or `new UserError(msg, { exitCode, cause })`. */
	constructor(message: string, codeOrOptions: number | UserErrorOptions = {}) {
		const opts = typeof codeOrOptions === 'number' ? { exitCode: codeOrOptions } : codeOrOptions;
		super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
		this.exitCode = opts.exitCode ?? EXIT.failed;
	}
}

/** The one test for a UserError (works across module copies, unlike `instanceof`). */
export function isUserError(err: unknown): err is UserError {
	return err instanceof Error && err.name === 'UserError';
}

/** A Node system error (fs, net, child_process) with its `code`. */
export function errnoCode(err: unknown): string | undefined {
	const code = (err as { code?: unknown } | null)?.code;
	return typeof code === 'string' ? code : undefined;
}

/** The nearest ancestor of `path` that exists as something other than a folder (ENOTDIR's culprit). */
function fileInTheWay(path: string): string | null {
	for (let p = path; p !== dirname(p); p = dirname(p)) {
		try {
			if (!statSync(p).isDirectory()) return p;
		} catch {
			// Not there (or not reachable through a file): look further up.
		}
	}
	return null;
}

/** What to do about a filesystem error code, or undefined when it is not the user's to fix. */
const FS_FIXES: Record<string, (path: string) => string> = {
	ENOTDIR: (p) =>
		`${fileInTheWay(p) ?? `a part of ${p}`} is a file where natslab needs a folder (for ${p}): move it away or choose another path`,
	EISDIR: (p) => `${p} is a folder where natslab needs a file: remove it or choose another path`,
	ENOENT: (p) => `${p} does not exist: create it or choose another path`,
	EACCES: (p) => `no permission to use ${p}: fix its permissions or choose another path`,
	EPERM: (p) => `not permitted to change ${p}: fix its permissions or choose another path`,
	EROFS: (p) => `${p} is on a read-only filesystem: choose a writable path (e.g. NATSLAB_HOME)`,
	ENOSPC: (p) => `no space left on the device holding ${p}: free some space`,
	EDQUOT: (p) => `disk quota exceeded for ${p}: free some space`,
	EEXIST: (p) => `${p} already exists: remove it or choose another path`,
	ENAMETOOLONG: (p) => `the path ${p} is too long: choose a shorter one`,
	ELOOP: (p) => `${p} has a symbolic link loop: fix the link`,
};

/**
 * A filesystem error on a path the user chose (or natslab's state/cache folder, which
 * NATSLAB_HOME and XDG variables choose) as a UserError naming the path and the fix,
 * exit code 3, the original error kept as `cause`. Other errors are returned as they are.
 * `what` says what the path is for, e.g. "natslab's state folder".
 */
export function fsUserError(err: unknown, what?: string, knownPath?: string): unknown {
	const code = errnoCode(err);
	const fix = code ? FS_FIXES[code] : undefined;
	if (!fix) return err;
	// Some calls (a read on an open descriptor) report no path: the caller may know it.
	const path = (err as { path?: unknown }).path;
	const where = typeof path === 'string' ? path : (knownPath ?? 'the path');
	const text = fix(where);
	return new UserError(what ? `${what}: ${text}` : text, { exitCode: EXIT.environment, cause: err });
}

/** Runs `fn` on `path`; a filesystem problem it hits comes out as a UserError (see fsUserError). */
export async function withFsErrors<T>(what: string, path: string, fn: () => Promise<T> | T): Promise<T> {
	try {
		return await fn();
	} catch (err) {
		throw fsUserError(err, what, path);
	}
}
