// The on-disk cache other code relies on:
//   <cache>/servers/<version>/nats-server   (verified binary)
//   <cache>/servers/<version>/meta.json     ({version, source, sha256, size, installedAt, origin})
// (integrity.ts checks the binary against the recorded size and sha256 before it is served.)
// A version folder only ever appears whole: it is staged in a private
// `.partial-<pid>-*` folder next to it and renamed into place. Work folders
// are removed on success, failure and process exit; a SIGKILLed run's leftover
// is swept by the next install (its pid is gone).
import { existsSync, rmSync, type Stats } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../base/errors.js';
import { natslabPaths } from '../base/paths.js';
import { normalizeVersion } from '../base/versions.js';
import type { InstalledServer, SourceName } from './types.js';
import { sha256File } from './verify.js';

export const BINARY_NAME = process.platform === 'win32' ? 'nats-server.exe' : 'nats-server';
const META = 'meta.json';
const WORK_PREFIXES = ['.partial-', '.removing-'];
const STALE_MS = 24 * 3600_000;

export interface ServerMeta {
	version: string;
	source: SourceName | 'local';
	sha256: string;
	/** Bytes of the binary; absent in entries written before natslab recorded it. */
	size?: number;
	installedAt: string;
	origin: string;
}

export function serversRoot(env?: NodeJS.ProcessEnv): string {
	return join(natslabPaths(env).cache, 'servers');
}

export function versionDir(version: string, env?: NodeJS.ProcessEnv): string {
	return join(serversRoot(env), version);
}

export interface WorkDir {
	dir: string;
	/** Where the final folder content goes before commit. */
	stage: string;
	dispose(): Promise<void>;
}

export async function createWorkDir(env?: NodeJS.ProcessEnv): Promise<WorkDir> {
	const root = serversRoot(env);
	let dir: string;
	try {
		await mkdir(root, { recursive: true });
		await sweepStale(root);
		dir = await mkdtemp(join(root, `.partial-${process.pid}-`));
	} catch (err) {
		throw new UserError(`cannot write natslab's cache folder ${root} (${(err as Error).message})`);
	}
	const stage = join(dir, 'stage');
	active.add(dir);
	if (!exitHookInstalled) {
		// process.exit() (Ctrl-C handlers, the CLI's end) skips finally blocks but runs 'exit' listeners.
		process.on('exit', discardWorkDirsSync);
		exitHookInstalled = true;
	}
	await mkdir(stage);
	return {
		dir,
		stage,
		async dispose() {
			active.delete(dir);
			await rm(dir, { recursive: true, force: true });
		},
	};
}

const active = new Set<string>();
let exitHookInstalled = false;

/**
 * Removes every work folder of installs still running in this process, at
 * once. For signal handlers: the process may die right after them (execa's
 * signal-exit re-raises the signal), before any async cleanup could run.
 */
export function discardWorkDirsSync(): void {
	for (const dir of active) rmSync(dir, { recursive: true, force: true });
	active.clear();
}

/** Renames the staged folder into place. false when another run installed this version meanwhile. */
export async function commitStage(
	stage: string,
	meta: ServerMeta,
	env?: NodeJS.ProcessEnv,
): Promise<boolean> {
	await writeFile(join(stage, META), `${JSON.stringify(meta, null, 2)}\n`);
	try {
		await rename(stage, versionDir(meta.version, env));
		return true;
	} catch (err) {
		const code = (err as NodeJS.ErrnoException).code;
		if (code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EPERM') return false;
		throw err;
	}
}

/** A cached binary as found on disk: its file's stat and its meta.json (null when absent or unreadable). */
export interface CacheEntry {
	version: string;
	path: string;
	stat: Stats;
	meta: ServerMeta | null;
}

export async function readEntry(version: string, env?: NodeJS.ProcessEnv): Promise<CacheEntry | null> {
	const dir = versionDir(version, env);
	const path = join(dir, BINARY_NAME);
	let st: Stats;
	try {
		st = await stat(path);
	} catch {
		return null;
	}
	if (!st.isFile()) return null;
	const meta = await readMeta(join(dir, META));
	return { version, path, stat: st, meta: meta?.version === version ? meta : null };
}

/** What was recorded about a cached binary (see integrity.ts for whether the file still matches). */
export async function readInstalled(
	version: string,
	env?: NodeJS.ProcessEnv,
): Promise<InstalledServer | null> {
	const entry = await readEntry(version, env);
	return entry ? describeEntry(entry) : null;
}

/** The entry as an InstalledServer; `fileSha256` describes a binary without meta.json. */
export async function describeEntry(entry: CacheEntry, fileSha256?: string): Promise<InstalledServer> {
	const { version, path, meta } = entry;
	if (meta) {
		return {
			version,
			source: meta.source,
			path,
			sha256: meta.sha256,
			...(meta.size === undefined ? {} : { size: meta.size }),
			installedAt: meta.installedAt,
			origin: meta.origin,
		};
	}
	// A binary placed here by hand (or by an older natslab) still counts; describe it from the file.
	return {
		version,
		source: 'local',
		path,
		sha256: fileSha256 ?? (await sha256File(path)),
		size: entry.stat.size,
		installedAt: entry.stat.mtime.toISOString(),
		origin: path,
	};
}

async function readMeta(file: string): Promise<ServerMeta | null> {
	try {
		const m = JSON.parse(await readFile(file, 'utf8')) as Partial<ServerMeta>;
		const sources = ['github', 'mirror', 'debian', 'path', 'local'];
		if (typeof m.version !== 'string' || typeof m.sha256 !== 'string' || !sources.includes(String(m.source)))
			return null;
		return {
			version: m.version,
			source: m.source as ServerMeta['source'],
			sha256: m.sha256,
			...(Number.isSafeInteger(m.size) && (m.size as number) >= 0 ? { size: m.size as number } : {}),
			installedAt: typeof m.installedAt === 'string' ? m.installedAt : '',
			origin: typeof m.origin === 'string' ? m.origin : '',
		};
	} catch {
		return null;
	}
}

/** Version folder names in the cache (work folders and stray names ignored). */
export async function cachedVersions(env?: NodeJS.ProcessEnv): Promise<string[]> {
	try {
		const entries = await readdir(serversRoot(env), { withFileTypes: true });
		return entries.filter((e) => e.isDirectory() && normalizeVersion(e.name) === e.name).map((e) => e.name);
	} catch {
		return [];
	}
}

/** Moves the folder out of the way first, so a half-deleted version is never visible. */
export async function removeVersionDir(version: string, env?: NodeJS.ProcessEnv): Promise<boolean> {
	const dir = versionDir(version, env);
	if (!existsSync(dir)) return false;
	const trash = join(serversRoot(env), `.removing-${process.pid}-${version}-${Date.now()}`);
	try {
		await rename(dir, trash);
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
		throw err;
	}
	await rm(trash, { recursive: true, force: true });
	return true;
}

async function sweepStale(root: string): Promise<void> {
	const entries = await readdir(root).catch(() => [] as string[]);
	for (const name of entries) {
		if (!WORK_PREFIXES.some((p) => name.startsWith(p))) continue;
		const pid = Number(/^\.[a-z]+-(\d+)-/.exec(name)?.[1]);
		const path = join(root, name);
		const old = await stat(path).then(
			(s) => Date.now() - s.mtimeMs > STALE_MS,
			() => false,
		);
		if (pid !== process.pid && (old || !isAlive(pid))) await rm(path, { recursive: true, force: true });
	}
}

function isAlive(pid: number): boolean {
	if (!Number.isInteger(pid) || pid <= 0) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return (err as NodeJS.ErrnoException).code === 'EPERM';
	}
}
