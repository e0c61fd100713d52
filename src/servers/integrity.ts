// Is the cached binary still the one that was verified at install? A truncated
// or overwritten nats-server otherwise reaches a cluster start and dies there
// of SIGSEGV. The file is checked against the size and sha256 recorded in its
// meta.json: the size first (a stat), then the hash (~30-45 ms for the 11-17 MB
// binaries). An unchanged file (same inode, size, mtime and ctime) that passed
// once is not hashed again: in this process (a map), and across processes (the
// fingerprint it passed with, in `verified` beside the binary), so `natslab
// cluster up` does not hash 17 MB at every start (issue #12). Any write to the
// file changes its ctime, which no user can set back.
import { readFileSync, type Stats, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type CacheEntry, describeEntry, readEntry } from './cache.js';
import type { InstalledServer } from './types.js';
import { sha256File } from './verify.js';

/**
 * ok: the file matches what was recorded; corrupt: it does not; unrecorded: a
 * binary without meta.json (placed by hand), so there is nothing to compare with.
 */
export type CacheState = 'ok' | 'corrupt' | 'unrecorded';

export interface CacheCheck {
	/** What was recorded at install. */
	server: InstalledServer;
	state: CacheState;
	/** The file as it is now; sha256 is null when the size already differed and hashing was skipped. */
	file: { size: number; sha256: string | null };
	/** What differs, e.g. "size 4000000 bytes, 14777488 when installed"; null unless corrupt. */
	problem: string | null;
}

export interface VerifyCachedOptions {
	/** Hash the file even when its size already gives it away (for listings that show the file's hash). */
	alwaysHash?: boolean;
}

/** Files that matched their record in this process, keyed by path, with the stat they had then. */
const passed = new Map<string, string>();

function fingerprint(st: Stats): string {
	return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}

/** The cached `version` checked against its record; null when it is not cached. */
export async function verifyCached(
	version: string,
	env?: NodeJS.ProcessEnv,
	opts: VerifyCachedOptions = {},
): Promise<CacheCheck | null> {
	const entry = await readEntry(version, env);
	return entry ? checkEntry(entry, opts) : null;
}

async function checkEntry(entry: CacheEntry, opts: VerifyCachedOptions): Promise<CacheCheck> {
	const size = entry.stat.size;
	const print = fingerprint(entry.stat);
	if (!entry.meta) {
		const sha256 = await sha256File(entry.path);
		const server = await describeEntry(entry, sha256);
		return { server, state: 'unrecorded', file: { size, sha256 }, problem: null };
	}
	const server = await describeEntry(entry);
	const recorded = entry.meta;
	if (passed.get(entry.path) === print || passedBefore(entry.path) === `${print}:${recorded.sha256}`) {
		return { server, state: 'ok', file: { size, sha256: recorded.sha256 }, problem: null };
	}
	const sizeDiffers = recorded.size !== undefined && recorded.size !== size;
	const sha256 = sizeDiffers && !opts.alwaysHash ? null : await sha256File(entry.path);
	let problem: string | null = null;
	if (sizeDiffers) {
		problem = `size ${size} bytes, ${recorded.size} when installed`;
	} else if (sha256 !== recorded.sha256.toLowerCase()) {
		problem = `sha256 ${short(sha256 ?? '')}, ${short(recorded.sha256)} when installed`;
	}
	if (problem) {
		passed.delete(entry.path);
		return { server, state: 'corrupt', file: { size, sha256 }, problem };
	}
	passed.set(entry.path, print);
	rememberPassed(entry.path, `${print}:${recorded.sha256}`);
	return { server, state: 'ok', file: { size, sha256 }, problem: null };
}

const verifiedFile = (binary: string) => join(dirname(binary), 'verified');

/** The fingerprint and hash a check in an earlier process passed with; null when none. */
function passedBefore(binary: string): string | null {
	try {
		return readFileSync(verifiedFile(binary), 'utf8').trim();
	} catch {
		return null;
	}
}

function rememberPassed(binary: string, proof: string): void {
	try {
		writeFileSync(verifiedFile(binary), `${proof}\n`);
	} catch {
		// A read-only cache: the next process hashes again, nothing worse.
	}
}

function short(hash: string): string {
	return `${hash.slice(0, 12)}…`;
}

/** The one line that says a cached binary is corrupt (without the fix, which depends on who asks). */
export function corruptLine(check: CacheCheck): string {
	const { version, path } = check.server;
	return `the cached nats-server ${version} (${path}) is corrupt: ${check.problem ?? 'it differs from what was installed'}`;
}
