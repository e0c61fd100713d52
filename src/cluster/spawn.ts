// Spawning one nats-server. Its stdout and stderr both go to the node's log
// file, opened O_APPEND, as a plain file descriptor: no pipe through natslab,
// so the lines survive natslab's death and nothing can die of EPIPE.
// A managed server carries a parent-death signal (setpriv --pdeathsig SIGTERM):
// the kernel stops it even when natslab is SIGKILLed. A detached server has
// none and runs in its own session, owned by the workspace's run file.

import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync, statSync } from 'node:fs';

export const SETPRIV = '/usr/bin/setpriv';
const HAS_SETPRIV = process.platform === 'linux' && existsSync(SETPRIV);

export interface SpawnRequest {
	binary: string;
	configFile: string;
	logFile: string;
	detached: boolean;
	/** false: never use setpriv (tests, and what platforms without it get). */
	pdeathsig?: boolean;
}

export interface ExitInfo {
	code: number | null;
	signal: string | null;
}

export interface SpawnedServer {
	pid: number;
	child: ChildProcess;
	/** Resolves once the process has exited (and been reaped by Node). */
	exited: Promise<ExitInfo>;
}

/** Throws a short reason when `binary` cannot be executed. */
export function checkExecutable(binary: string): string | null {
	try {
		accessSync(binary, constants.X_OK);
		return null;
	} catch (err) {
		const code = (err as NodeJS.ErrnoException).code;
		return code === 'ENOENT'
			? `nats-server binary not found at ${binary}`
			: `cannot execute ${binary} (${code})`;
	}
}

/** Spawns the server; rejects with the reason when no process could be created. */
export async function spawnServer(req: SpawnRequest): Promise<SpawnedServer> {
	const usePdeathsig = !req.detached && req.pdeathsig !== false && HAS_SETPRIV;
	const [file, args]: [string, string[]] = usePdeathsig
		? [SETPRIV, ['--pdeathsig', 'SIGTERM', '--', req.binary, '-c', req.configFile]]
		: [req.binary, ['-c', req.configFile]];
	// node:child_process, not execa: nothing here needs execa, and loading it was a third of
	// `natslab cluster up` on a loaded machine (issue #12).
	const fd = openSync(req.logFile, 'a');
	let child: ChildProcess;
	try {
		child = spawn(file, args, { stdio: ['ignore', fd, fd], detached: req.detached });
	} finally {
		// The child holds its own copy of the descriptor.
		closeSync(fd);
	}
	const pid = child.pid;
	if (pid === undefined) {
		const err = await new Promise<Error>((resolve) => child.once('error', resolve));
		throw new Error(`could not spawn ${file}: ${err.message}`, { cause: err });
	}
	// Later errors (a failed kill) surface through the exit and the run file, not as a throw.
	child.on('error', () => {});
	if (req.detached) child.unref();
	// A managed server without a parent-death signal (no setpriv) is stopped when natslab exits.
	const stopOnExit = () => child.kill('SIGTERM');
	if (!req.detached && !usePdeathsig) process.once('exit', stopOnExit);
	const exited = new Promise<ExitInfo>((resolve) => {
		child.once('exit', (code, signal) => {
			process.removeListener('exit', stopOnExit);
			resolve({ code, signal });
		});
	});
	return { pid, child, exited };
}

/** Current size of a log file (0 when missing): where this run's lines start. */
export function logOffset(logFile: string): number {
	try {
		return statSync(logFile).size;
	} catch {
		return 0;
	}
}

/** `[1234] 2026/11/26 00:41:33.920631 [ERR] text` → `[ERR] text` (keeps a one-line error short). */
export function stripLogPrefix(line: string): string {
	return line.replace(/^\[\d+\] \d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d(\.\d+)? /, '');
}

/** The last `count` non-empty lines the server wrote since `offset`. */
export function lastLogLines(logFile: string, offset: number, count = 2): string[] {
	let text = '';
	try {
		text = readFileSync(logFile).subarray(offset).toString('utf8');
	} catch {
		return [];
	}
	const lines = text
		.split('\n')
		.map((l) => l.trim())
		.filter((l) => l !== '');
	// Errors are the interesting lines: prefer the last ERR/FTL and what follows it.
	const lastError = lines.findLastIndex((l) => /\[(ERR|FTL)\]|^nats-server:|^setpriv:/.test(l));
	const picked = lastError >= 0 ? lines.slice(lastError, lastError + count) : lines.slice(-count);
	return picked.map(stripLogPrefix);
}
