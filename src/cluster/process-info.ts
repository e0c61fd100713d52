// What the kernel says about a PID: its start time (to tell a process from a
// later one that reused its PID) and whether it is alive. A zombie is dead:
// `kill -0` succeeds on zombies, so it cannot be trusted for this.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const HAS_PROCFS = existsSync('/proc/self/stat');

export type ProcState = 'running' | 'paused' | 'zombie' | 'gone';

interface StatFields {
	/** Field 3: R, S, D, T (stopped), t (traced), Z (zombie), X (dead)... */
	state: string;
	/** Field 22: start time in clock ticks since boot, kept as a string (no precision loss). */
	startTime: string;
}

/** Parse /proc/<pid>/stat. The command name (field 2) may hold spaces and parentheses. */
export function parseProcStat(text: string): StatFields | null {
	const close = text.lastIndexOf(')');
	if (close < 0) return null;
	// Fields after the command name start at field 3.
	const rest = text
		.slice(close + 2)
		.trim()
		.split(/\s+/);
	const state = rest[0];
	const startTime = rest[22 - 3];
	if (!state || !startTime) return null;
	return { state, startTime };
}

function readStat(pid: number): StatFields | null {
	try {
		const stat = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
		// A multi-threaded process (nats-server is Go) whose main thread has exited shows 'Z'
		// while its other threads are still tearing down and still hold its sockets. It is
		// dead only once the leader is the last task left.
		if (stat?.state === 'Z' && otherThreadsAlive(pid)) return { ...stat, state: 'R' };
		return stat;
	} catch {
		return null;
	}
}

function otherThreadsAlive(pid: number): boolean {
	try {
		return readdirSync(`/proc/${pid}/task`).length > 1;
	} catch {
		return false;
	}
}

/** Without /proc (macOS): ask ps. Empty output means no such process. */
function psField(pid: number, field: 'stat' | 'lstart'): string | null {
	try {
		const out = execFileSync('ps', ['-o', `${field}=`, '-p', String(pid)], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		}).trim();
		return out || null;
	} catch {
		return null;
	}
}

/**
 * A token that identifies one incarnation of a PID: field 22 of /proc/<pid>/stat on Linux,
 * `ps -o lstart` elsewhere. Null when the process does not exist (or is a zombie).
 */
export function processStartTime(pid: number): string | null {
	if (!Number.isInteger(pid) || pid <= 0) return null;
	if (HAS_PROCFS) {
		const stat = readStat(pid);
		if (!stat || stat.state === 'Z' || stat.state === 'X') return null;
		return stat.startTime;
	}
	const state = processState(pid);
	if (state === 'gone' || state === 'zombie') return null;
	return psField(pid, 'lstart');
}

export function processState(pid: number): ProcState {
	if (!Number.isInteger(pid) || pid <= 0) return 'gone';
	const state = HAS_PROCFS ? readStat(pid)?.state : psField(pid, 'stat')?.[0];
	if (!state) return 'gone';
	if (state === 'Z' || state === 'X' || state === 'x') return 'zombie';
	if (state === 'T' || state === 't') return 'paused';
	return 'running';
}

/** Alive = exists and is not a zombie (a paused process is alive). */
export function isAlive(pid: number): boolean {
	const s = processState(pid);
	return s === 'running' || s === 'paused';
}

/** Alive AND the same incarnation that was recorded (guards against PID reuse). */
export function isSameProcess(pid: number, startTime: string | null | undefined): boolean {
	if (!startTime) return false;
	return processStartTime(pid) === startTime;
}

/** Wait until `pid` is dead (or a zombie), polling; true when it died within `timeoutMs`. */
export async function waitForDeath(pid: number, timeoutMs: number, stepMs = 20): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (isAlive(pid)) {
		if (Date.now() >= deadline) return false;
		await new Promise((r) => setTimeout(r, stepMs));
	}
	return true;
}

/** process.kill that treats "no such process" as done. */
export function signalPid(pid: number, signal: NodeJS.Signals): boolean {
	try {
		process.kill(pid, signal);
		return true;
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
		throw err;
	}
}
