// natslab's nats-server binary manager: resolve a version to a verified binary
// in the cache, fetching it from the first source that has it
// (GitHub releases → mirror → Debian archive → PATH).
import { chmod, copyFile, rename, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isUserError, UserError } from '../base/errors.js';
import { compareVersions, DEFAULT_TO_VERSION, normalizeVersion } from '../base/versions.js';
import {
	BINARY_NAME,
	cachedVersions,
	commitStage,
	createWorkDir,
	removeVersionDir,
	type ServerMeta,
	versionDir,
} from './cache.js';
import { DEFAULT_TIMEOUTS } from './download.js';
import { type CacheCheck, type CacheState, corruptLine, verifyCached } from './integrity.js';
import {
	type InstalledServer,
	type InstallOptions,
	NoSourceHadVersion,
	SOURCE_ORDER,
	type Source,
	type SourceContext,
	type SourceName,
	SourceUnavailable,
} from './types.js';
import { expectVersion, reportedVersion, sha256File } from './verify.js';

export { discardWorkDirsSync } from './cache.js';
export { type CacheCheck, type CacheState, verifyCached } from './integrity.js';
export type { DownloadProgress, InstalledServer, InstallOptions, SourceName } from './types.js';
export { isNoSourceHad, SOURCE_ORDER } from './types.js';

/**
 * A source's code, loaded when an install needs it: their HTTP, ar and tar code is most of the
 * servers' modules, and a lab on a cached binary never runs it (it was loaded before the first
 * server spawn, issue #12).
 */
async function sourceNamed(name: SourceName): Promise<Source> {
	switch (name) {
		case 'github':
			return (await import('./sources/github-layout.js')).githubSource;
		case 'mirror':
			return (await import('./sources/github-layout.js')).mirrorSource;
		case 'debian':
			return (await import('./sources/debian.js')).debianSource;
		case 'path':
			return (await import('./sources/path.js')).pathSource;
	}
}

/** A release version ("v2.10.27" or "2.10.27" → "2.10.27"), or a one-line UserError. */
export function parseVersionArg(input: string): string {
	const v = normalizeVersion(input);
	if (!v)
		throw new UserError(
			`"${input}" is not a nats-server version (expected x.y.z, e.g. ${DEFAULT_TO_VERSION})`,
		);
	return v;
}

export function parseSourceName(input: string): SourceName {
	if ((SOURCE_ORDER as readonly string[]).includes(input)) return input as SourceName;
	throw new UserError(`unknown source "${input}" (expected ${SOURCE_ORDER.join(', ')})`);
}

/**
 * The cached copy of `version` that may stay as it is: null when none is cached, or when the
 * cached one is corrupt (then `onCorrupt` hears the one line saying so, and an install replaces it).
 */
export async function findIntact(
	version: string,
	env?: NodeJS.ProcessEnv,
	onCorrupt: (line: string) => void = () => {},
): Promise<InstalledServer | null> {
	const check = await verifyCached(parseVersionArg(version), env);
	if (check?.state !== 'corrupt') return check?.server ?? null;
	onCorrupt(`${corruptLine(check)}; replacing it`);
	return null;
}

/**
 * The cached binary if there is one and it is still the file that was installed (size and
 * sha256 as recorded), else installs it. A corrupt cached binary is never served: the
 * UserError names it and the command that replaces it. (Not replaced on the spot: a
 * binary that changed under natslab's cache deserves a look, and a start must not turn
 * into a download without being asked.)
 */
export async function ensureServer(version: string, opts: InstallOptions = {}): Promise<InstalledServer> {
	const v = parseVersionArg(version);
	const check = await verifyCached(v, opts.env);
	if (!check) return installServer(v, opts);
	if (check.state === 'corrupt') throw new UserError(`${corruptLine(check)}; ${replaceHint(check)}`);
	return check.server;
}

function replaceHint(check: CacheCheck): string {
	const v = check.server.version;
	const origin = check.server.origin;
	if (check.server.source === 'local' && origin)
		return `run \`natslab servers remove ${v}\` and \`natslab servers add ${origin}\` to replace it`;
	return `run \`natslab servers install ${v}\` to replace it`;
}

/**
 * Fetches, verifies and caches `version`. If an intact copy is cached by the time it is placed
 * (another run's), that copy stays and is returned; a corrupt one is replaced.
 */
export async function installServer(version: string, opts: InstallOptions = {}): Promise<InstalledServer> {
	const v = parseVersionArg(version);
	const env = opts.env ?? process.env;
	const mirror = opts.mirror || env.NATSLAB_MIRROR || undefined;
	const order = opts.source ? [parseSourceName(opts.source)] : SOURCE_ORDER;
	// A malformed mirror is bad input, not an unavailable source.
	if (mirror && order.includes('mirror')) (await import('./sources/github-layout.js')).mirrorBaseUrl(mirror);
	const notice = opts.onNotice ?? (() => {});
	const failures: string[] = [];
	for (const [i, name] of order.entries()) {
		if (opts.signal?.aborted) break;
		const work = await createWorkDir(env);
		const ctx: SourceContext = {
			version: v,
			workDir: work.dir,
			env,
			mirror,
			signal: opts.signal,
			timeouts: { ...DEFAULT_TIMEOUTS, ...opts.timeouts },
			onProgress: opts.onProgress ?? (() => {}),
			onNotice: notice,
		};
		try {
			const fetched = await (await sourceNamed(name)).fetch(ctx);
			await chmod(fetched.binaryPath, 0o755);
			await expectVersion(fetched.binaryPath, v, `the binary from ${name} (${fetched.origin})`, opts.signal);
			const staged = join(work.stage, BINARY_NAME);
			await rename(fetched.binaryPath, staged);
			const meta: ServerMeta = {
				version: v,
				source: name,
				sha256: await sha256File(staged),
				size: (await stat(staged)).size,
				installedAt: new Date().toISOString(),
				origin: fetched.origin,
			};
			return await commit(work.stage, meta, env);
		} catch (err) {
			if (opts.signal?.aborted) break;
			if (err instanceof SourceUnavailable) {
				failures.push(`${name}: ${err.reason}`);
				if (!err.skipped && i < order.length - 1) notice(`${name}: ${err.reason}; trying the next source`);
				continue;
			}
			if (isUserError(err))
				throw new UserError(`${err.message}; nothing was cached`, { exitCode: err.exitCode, cause: err });
			throw err;
		} finally {
			await work.dispose();
		}
	}
	if (opts.signal?.aborted)
		throw new UserError(`installing nats-server ${v} was cancelled; nothing was cached`, 130);
	throw new NoSourceHadVersion(`nats-server ${v} is not available: ${failures.join('; ')}`);
}

/** Registers a local binary; its version is what its own `--version` reports. */
export async function addServer(path: string, env?: NodeJS.ProcessEnv): Promise<InstalledServer> {
	const source = resolve(path);
	const st = await stat(source).catch(() => null);
	if (!st?.isFile()) throw new UserError(`${path} is not a file`);
	const v = await reportedVersion(source);
	// A corrupt cached copy is replaced (commit() moves it aside); an intact one stays.
	const existing = await verifyCached(v, env);
	if (existing && existing.state !== 'corrupt') {
		throw new UserError(
			`nats-server ${v} is already in the cache (from ${existing.server.source}); run \`natslab servers remove ${v}\` first`,
		);
	}
	const work = await createWorkDir(env);
	try {
		const staged = join(work.stage, BINARY_NAME);
		await copyFile(source, staged);
		await chmod(staged, 0o755);
		await expectVersion(staged, v, `the copy of ${source}`);
		const meta: ServerMeta = {
			version: v,
			source: 'local',
			sha256: await sha256File(staged),
			size: (await stat(staged)).size,
			installedAt: new Date().toISOString(),
			origin: source,
		};
		return await commit(work.stage, meta, env);
	} finally {
		await work.dispose();
	}
}

export async function removeServer(version: string, env?: NodeJS.ProcessEnv): Promise<boolean> {
	return removeVersionDir(parseVersionArg(version), env);
}

/** A cached version as `servers list` shows it: the record, the file's state and the file's own hash. */
export type ListedServer = InstalledServer & { state: CacheState; fileSha256: string; fileSize: number };

export async function listServers(env?: NodeJS.ProcessEnv): Promise<ListedServer[]> {
	const checks = await Promise.all(
		(await cachedVersions(env)).map((v) => verifyCached(v, env, { alwaysHash: true })),
	);
	return checks
		.filter((c): c is CacheCheck => c !== null)
		.map((c) => ({ ...c.server, state: c.state, fileSha256: c.file.sha256 ?? '', fileSize: c.file.size }))
		.sort((a, b) => compareVersions(a.version, b.version));
}

async function commit(stage: string, meta: ServerMeta, env?: NodeJS.ProcessEnv): Promise<InstalledServer> {
	const placed = (): InstalledServer => {
		const { origin, ...rest } = meta;
		return { ...rest, path: join(versionDir(meta.version, env), BINARY_NAME), origin };
	};
	if (await commitStage(stage, meta, env)) return placed();
	// Another natslab run put this version in place meanwhile: theirs is just as verified.
	const existing = await verifyCached(meta.version, env);
	if (existing && existing.state !== 'corrupt') return existing.server;
	// A corrupt binary, or a version folder without its binary (deleted by hand), is in the way: replace it.
	await removeVersionDir(meta.version, env);
	if (await commitStage(stage, meta, env)) return placed();
	throw new UserError(`could not place nats-server ${meta.version} in ${versionDir(meta.version, env)}`);
}
