// run.json: the durable record of which servers a workspace has running, so a
// later natslab can reap what a crashed one left, or control (attach to) a
// cluster deliberately left running by `natslab cluster up`.
//
// Several natslab processes write it (two `cluster node` commands at once, a
// screen and a script): every write goes through one lock file beside it
// (`run.json.lock`, created with O_EXCL, holding the holder's pid and start
// time), so that a read-modify-write (updateRunFile) never loses another's
// update. A lock whose holder is dead is broken; a live holder is waited for,
// briefly (holders keep it for one read and one write).
import {
	closeSync,
	linkSync,
	mkdirSync,
	openSync,
	readFileSync,
	renameSync,
	rmSync,
	statSync,
	writeFileSync,
	writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../base/errors.js';
import { isAlive, isSameProcess, processStartTime } from './process-info.js';

export interface OwnerRef {
	pid: number;
	startTime: string;
}

export interface RunNodeRecord {
	version: string;
	ports: { client: number; cluster: number; http: number };
	/** Null while the node is not running. */
	pid: number | null;
	/** Field 22 of /proc/<pid>/stat (clock ticks since boot): tells the server from a reused PID. */
	startTime: string | null;
}

export interface RunFile {
	format: 1;
	workspace: string;
	basePort: number;
	/** The natslab process that owns the servers; null for a detached (`cluster up`) cluster. */
	owner: OwnerRef | null;
	detached: boolean;
	/** Extra version-gated server options the configs are rendered with (see config.ts). */
	serverOptions?: Record<string, string | number | boolean>;
	nodes: Record<string, RunNodeRecord>;
	/** Set when the servers reach each other through natslab's pair proxies (cluster/links/). */
	links?: LinksRecord;
}

export interface LinksRecord {
	mode: 'proxied';
	/** The proxy process of a detached cluster and its control socket; null when the proxies live in the owner. */
	pid: number | null;
	startTime: string | null;
	socket: string | null;
}

// Checked by hand rather than with zod: every `cluster status` and `cluster node` reads this
// file, and loading zod alone cost them ~200 ms of start-up (issue #12).
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => Number.isInteger(v);
const isPid = (v: unknown): v is number => isInt(v) && v > 0;

function isOwnerRef(v: unknown): v is OwnerRef {
	return isObject(v) && isPid(v.pid) && typeof v.startTime === 'string' && v.startTime.length > 0;
}

function isNodeRecord(v: unknown): v is RunNodeRecord {
	if (!isObject(v) || typeof v.version !== 'string' || !isObject(v.ports)) return false;
	const { client, cluster, http } = v.ports;
	return (
		isInt(client) &&
		isInt(cluster) &&
		isInt(http) &&
		(v.pid === null || isPid(v.pid)) &&
		(v.startTime === null || typeof v.startTime === 'string')
	);
}

function isServerOptions(v: unknown): v is RunFile['serverOptions'] {
	return isObject(v) && Object.values(v).every((o) => ['string', 'number', 'boolean'].includes(typeof o));
}

function isLinksRecord(v: unknown): v is LinksRecord {
	return (
		isObject(v) &&
		v.mode === 'proxied' &&
		(v.pid === null || isPid(v.pid)) &&
		(v.startTime === null || typeof v.startTime === 'string') &&
		(v.socket === null || typeof v.socket === 'string')
	);
}

/** The shape of run.json, format 1; anything else is a damaged file. */
export function isRunFile(v: unknown): v is RunFile {
	if (!isObject(v) || v.format !== 1 || typeof v.workspace !== 'string' || !isInt(v.basePort)) return false;
	if (!(v.owner === null || isOwnerRef(v.owner)) || typeof v.detached !== 'boolean') return false;
	if (v.serverOptions !== undefined && !isServerOptions(v.serverOptions)) return false;
	if (v.links !== undefined && !isLinksRecord(v.links)) return false;
	return isObject(v.nodes) && Object.values(v.nodes).every(isNodeRecord);
}

/** Read a run file; null when absent. A damaged file is reported as `invalid` (never thrown). */
export function readRunFile(path: string): RunFile | null | 'invalid' {
	const text = readText(path);
	if (text === null) return null;
	const parsed = parseJson(text);
	return isRunFile(parsed) ? parsed : 'invalid';
}

/** A file's text; null when it cannot be read (mostly: it is not there). */
function readText(path: string): string | null {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return null;
	}
}

/** The parsed JSON; undefined when the text is not JSON. */
function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** Atomic replace (write + rename), so a reader never sees half a file. Under the lock. */
export function writeRunFile(path: string, run: RunFile): void {
	withRunFileLock(path, () => replaceFile(path, run));
}

/** Under the lock. */
export function removeRunFile(path: string): void {
	withRunFileLock(path, () => rmSync(path, { force: true }));
}

/**
 * Read-modify-write under the lock: `update` gets what is on disk now and returns the new
 * content, null to remove the file, or undefined to leave it as it is.
 */
export function updateRunFile(
	path: string,
	update: (current: RunFile | null | 'invalid') => RunFile | null | undefined,
): void {
	withRunFileLock(path, () => {
		const next = update(readRunFile(path));
		if (next === null) rmSync(path, { force: true });
		else if (next !== undefined) replaceFile(path, next);
	});
}

function replaceFile(path: string, run: RunFile): void {
	mkdirSync(dirname(path), { recursive: true });
	const tmp = `${path}.${process.pid}.tmp`;
	writeFileSync(tmp, `${JSON.stringify(run, null, 2)}\n`);
	renameSync(tmp, path);
}

// ── the lock ────────────────────────────────────────────────────────────────

/** How long a writer waits for a live holder before giving up with a UserError. */
export const RUN_LOCK_WAIT_MS = 10_000;
/** A lock file still empty after this long was left by a process that died while creating it. */
const EMPTY_LOCK_STALE_MS = 5_000;

/** Locks this process holds, by lock path, with their depth (a holder may write again inside). */
const held = new Map<string, number>();
const sleeper = new Int32Array(new SharedArrayBuffer(4));

interface Holder {
	pid: number;
	startTime: string | null;
}

/** Runs `fn` holding `<path>.lock`. Synchronous: holders keep it for a file read and write. */
export function withRunFileLock<T>(path: string, fn: () => T): T {
	const lock = `${path}.lock`;
	const depth = held.get(lock) ?? 0;
	if (depth === 0) acquire(lock, path);
	held.set(lock, depth + 1);
	try {
		return fn();
	} finally {
		if (depth === 0) {
			held.delete(lock);
			rmSync(lock, { force: true });
		} else {
			held.set(lock, depth);
		}
	}
}

function acquire(lock: string, path: string): void {
	mkdirSync(dirname(lock), { recursive: true });
	const me = JSON.stringify({ pid: process.pid, startTime: processStartTime(process.pid) });
	const deadline = Date.now() + RUN_LOCK_WAIT_MS;
	let pause = 1;
	for (;;) {
		try {
			const fd = openSync(lock, 'wx');
			try {
				writeSync(fd, me);
			} finally {
				closeSync(fd);
			}
			return;
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
		}
		const seen = readLock(lock);
		if (seen !== null && isStale(lock, seen.holder)) {
			breakStale(lock, seen.text);
			continue;
		}
		if (Date.now() >= deadline) {
			const who = seen?.holder ? `natslab pid ${seen.holder.pid}` : 'another natslab';
			throw new UserError(
				`${path} is locked by ${who} for more than ${RUN_LOCK_WAIT_MS / 1000} s; if no natslab is running, delete ${lock}`,
			);
		}
		Atomics.wait(sleeper, 0, 0, pause);
		pause = Math.min(pause * 2, 20);
	}
}

/** The lock's text and holder (null holder: empty or unreadable, i.e. being written); null when gone. */
function readLock(lock: string): { text: string; holder: Holder | null } | null {
	const text = readText(lock);
	if (text === null) return null;
	// Not JSON: being written, or damaged (judged by its age, see isStale).
	const h = parseJson(text) as Partial<Holder> | null | undefined;
	if (typeof h?.pid === 'number' && Number.isInteger(h.pid) && h.pid > 0)
		return { text, holder: { pid: h.pid, startTime: typeof h.startTime === 'string' ? h.startTime : null } };
	return { text, holder: null };
}

function isStale(lock: string, holder: Holder | null): boolean {
	if (holder === null) {
		try {
			return Date.now() - statSync(lock).mtimeMs > EMPTY_LOCK_STALE_MS;
		} catch {
			return false;
		}
	}
	if (holder.pid === process.pid) return !held.has(lock); // left by this process (cannot happen) → stale
	return holder.startTime ? !isSameProcess(holder.pid, holder.startTime) : !isAlive(holder.pid);
}

/**
 * Removes a dead holder's lock. Moved aside first and checked: if another process took the
 * lock between our look and the move, its lock is put back (link fails if a third one has
 * meanwhile created a new lock, which then stands).
 */
function breakStale(lock: string, staleText: string): void {
	const aside = `${lock}.stale-${process.pid}-${Date.now()}`;
	try {
		renameSync(lock, aside);
	} catch {
		return; // gone already: someone else broke or released it
	}
	// Unreadable counts as the stale one.
	if ((readText(aside) ?? staleText) !== staleText) {
		try {
			linkSync(aside, lock);
		} catch {
			// a new lock stands already
		}
	}
	rmSync(aside, { force: true });
}
