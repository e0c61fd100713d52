// The one way natslab ends when it does not simply return: a signal (Ctrl-C as
// SIGINT when not in raw mode, SIGTERM, SIGHUP when the terminal closes), a
// closed output (the reader of a pipe left: EPIPE; the terminal vanished: EIO)
// or a crash (uncaughtException / unhandledRejection). Each runs the registered
// cleanups once (restore the screen first, then stop every server and release
// the workspace), then exits with the documented code (src/base/errors.ts).
// A SIGKILL runs nothing: for that, servers carry a parent-death signal and the
// next start reaps what a crashed run left (src/cluster).
//
// Why so careful: writing the crash line to a dead terminal or pipe throws
// again, and a handler that runs again on its own failure spins a core and fills
// the disk with crash.log while the servers keep running (issue #11). So: one
// ending per process, writes that never throw, a crash log written once.

import { EXIT, errnoCode } from '../base/errors.js';
import { natslabPaths } from '../base/paths.js';
import { appendCrashLog, describeCrash } from './crash-log.js';

type Cleanup = () => Promise<void> | void;

const screenCleanups = new Set<Cleanup>();
const cleanups = new Set<Cleanup>();
let running: Promise<void> | null = null;
let installed = false;
let endingWith: number | null = null;
/** Standard streams found closed (EPIPE/EIO): nothing is written to them any more. */
const closed = new WeakSet<NodeJS.WritableStream>();

/** How long the cleanups may take before the process exits anyway (servers then die of their parent-death signal). */
export const CLEANUP_DEADLINE_MS = 20_000;

/**
 * Registers something to undo however natslab ends. `screen: true` marks giving the
 * terminal back (unmounting Ink): those run first, before any last line is printed.
 */
export function registerCleanup(fn: Cleanup, opts: { screen?: boolean } = {}): () => void {
	const set = opts.screen ? screenCleanups : cleanups;
	set.add(fn);
	return () => set.delete(fn);
}

async function runAll(set: Set<Cleanup>, inOrder: boolean): Promise<void> {
	const all = [...set].reverse();
	set.clear();
	if (!inOrder) {
		await Promise.allSettled(all.map(async (fn) => fn()));
		return;
	}
	for (const fn of all)
		await Promise.resolve()
			.then(fn)
			.catch(() => {});
}

/** Runs every cleanup once (later calls share the first run); `between` runs after the screen is restored. */
export function runCleanups(between?: () => void): Promise<void> {
	running ??= (async () => {
		await runAll(screenCleanups, true);
		between?.();
		await runAll(cleanups, false);
	})();
	return running;
}

/** True once natslab has begun to end (a signal, a closed output or a crash). */
export function isEnding(): boolean {
	return endingWith !== null;
}

/**
 * Ends the process: cleanups, then `line` (if any, on stderr), then exit(code).
 * Only the first call counts; whatever happens later (another signal, more closed
 * writes, a crash inside a cleanup) joins it instead of starting over.
 */
export function endProcess(code: number, line?: string): void {
	if (endingWith !== null) return;
	endingWith = code;
	setTimeout(() => process.exit(code), CLEANUP_DEADLINE_MS).unref();
	void runCleanups(() => {
		if (line) writeSafely(process.stderr, `${line}\n`);
	}).finally(() => process.exit(code));
}

/** Writes unless the stream is known closed; never throws (a dead terminal or pipe is not a crash). */
export function writeSafely(stream: NodeJS.WritableStream, text: string): boolean {
	const s = stream as NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean };
	if (closed.has(stream) || s.destroyed || s.writableEnded || s.writable === false) return false;
	try {
		return stream.write(text);
	} catch {
		return false;
	}
}

/** EPIPE (the reader left), EIO (the terminal is gone), or a write after either. */
export function isClosedOutputError(err: unknown): boolean {
	const code = errnoCode(err);
	return code === 'EPIPE' || code === 'EIO' || code === 'ERR_STREAM_DESTROYED' || code === 'ECONNRESET';
}

function onStreamError(stream: NodeJS.WritableStream | NodeJS.ReadableStream, err: unknown): void {
	if (!isClosedOutputError(err)) {
		crash(err);
		return;
	}
	closed.add(stream as NodeJS.WritableStream);
	// A closed pipe is an ordinary way to end (`natslab … | head`): quietly. A terminal
	// that vanished (EIO) ends like the SIGHUP that usually comes with it.
	endProcess(errnoCode(err) === 'EIO' ? EXIT.hangup : EXIT.closedPipe);
}

function crash(reason: unknown): void {
	if (isClosedOutputError(reason)) {
		// A write to a closed stream that surfaced as an exception rather than an 'error' event.
		endProcess(errnoCode(reason) === 'EIO' ? EXIT.hangup : EXIT.closedPipe);
		return;
	}
	if (endingWith !== null) return; // already ending: never re-enter, never log in a loop
	endProcess(EXIT.internal, crashLine(reason));
}

/** One line for the terminal (a stack would tear the screen); the stack and causes go to the crash log, once. */
export function crashLine(reason: unknown, env: NodeJS.ProcessEnv = process.env): string {
	const message = (reason instanceof Error ? reason.message : String(reason)).split('\n')[0];
	const file = appendCrashLog(natslabPaths(env).state, describeCrash(reason));
	return file
		? `natslab: internal error: ${message} (details in ${file})`
		: `natslab: internal error: ${message}`;
}

const SIGNAL_EXIT = { SIGINT: EXIT.interrupted, SIGTERM: EXIT.terminated, SIGHUP: EXIT.hangup } as const;

/**
 * Calls `hook` with process.stdin when something first reads it. Node makes stdin on first
 * access, 5-20 ms on a loaded machine, which commands without a screen (`cluster status`)
 * need not pay before their answer (issue #12).
 */
function whenStdinMade(hook: (stdin: NodeJS.ReadStream) => void): void {
	const made = Object.getOwnPropertyDescriptor(process, 'stdin');
	const make = made?.get;
	if (!made?.configurable || !make) {
		hook(process.stdin);
		return;
	}
	Object.defineProperty(process, 'stdin', {
		configurable: true,
		enumerable: made.enumerable,
		get() {
			const stdin = make.call(process) as NodeJS.ReadStream;
			Object.defineProperty(process, 'stdin', { configurable: true, enumerable: made.enumerable, get: make });
			hook(stdin);
			return stdin;
		},
	});
}

/** Installs the one crash path. The CLI calls it first thing; it is idempotent. */
export function installCrashHandlers(): void {
	if (installed) return;
	installed = true;
	for (const [signal, code] of Object.entries(SIGNAL_EXIT)) {
		// `on`, not `once`: execa's signal-exit re-raises a signal that it believes nobody
		// else handles, which killed natslab mid-cleanup while a child (nats-server --signal) ran.
		process.on(signal, () => endProcess(code));
	}
	for (const stream of [process.stdout, process.stderr] as const) {
		stream.on('error', (err) => onStreamError(stream, err));
	}
	whenStdinMade((stdin) => stdin.on('error', (err) => onStreamError(stdin, err)));
	process.on('uncaughtException', crash);
	process.on('unhandledRejection', crash);
}
