// GitHub releases and mirrors share one layout:
//   <base>/v<ver>/nats-server-v<ver>-<os>-<arch>.tar.gz   (.zip on Windows)
//   <base>/v<ver>/SHA256SUMS                              (`<sha256>  <file>` lines)
// The archive is verified against SHA256SUMS before anything is extracted.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { x as extractTar } from 'tar';
import { isUserError, UserError } from '../../base/errors.js';
import { downloadFile, fetchText, NotFound } from '../download.js';
import { archiveName, archiveStem, type ReleasePlatform, releasePlatform } from '../platform.js';
import {
	type FetchedBinary,
	type Source,
	type SourceContext,
	type SourceName,
	SourceUnavailable,
} from '../types.js';
import { expectChecksum, parseChecksums } from '../verify.js';

export const DEFAULT_GITHUB_URL = 'https://github.com/nats-io/nats-server/releases/download';

export const githubSource: Source = {
	name: 'github',
	fetch: (ctx) => fetchFromReleaseLayout('github', ctx.env.NATSLAB_GITHUB_URL || DEFAULT_GITHUB_URL, ctx),
};

export const mirrorSource: Source = {
	name: 'mirror',
	fetch: (ctx) => {
		if (!ctx.mirror) throw new SourceUnavailable('no mirror configured', true);
		return fetchFromReleaseLayout('mirror', mirrorBaseUrl(ctx.mirror), ctx);
	},
};

/** http(s) URLs pass through; a file:// URL or a plain folder path becomes a file:// URL. */
export function mirrorBaseUrl(mirror: string): string {
	if (/^[a-z][a-z0-9+.-]*:\/\//i.test(mirror)) {
		const u = new URL(mirror);
		if (!['http:', 'https:', 'file:'].includes(u.protocol)) {
			throw new UserError(`mirror ${mirror} is not an http(s):// URL or a file:// folder`);
		}
		return mirror.replace(/\/+$/, '');
	}
	const folder = isAbsolute(mirror) ? mirror : resolve(mirror);
	return pathToFileURL(folder).href.replace(/\/+$/, '');
}

async function fetchFromReleaseLayout(
	name: SourceName,
	base: string,
	ctx: SourceContext,
): Promise<FetchedBinary> {
	const plat = releasePlatform();
	const file = archiveName(ctx.version, plat);
	const releaseUrl = `${base.replace(/\/+$/, '')}/v${ctx.version}`;
	const net = { source: name, signal: ctx.signal, timeouts: ctx.timeouts };

	let sums: string;
	try {
		sums = await fetchText(`${releaseUrl}/SHA256SUMS`, net);
	} catch (err) {
		if (err instanceof NotFound) throw new SourceUnavailable(`no release v${ctx.version} (${err.reason})`);
		throw err;
	}
	const expected = parseChecksums(sums).get(file);
	if (!expected) throw new SourceUnavailable(`release v${ctx.version} lists no ${file} in its SHA256SUMS`);

	const archiveUrl = `${releaseUrl}/${file}`;
	const archive = join(ctx.workDir, file);
	let actual: string;
	try {
		actual = (await downloadFile(archiveUrl, archive, { ...net, onProgress: ctx.onProgress })).sha256;
	} catch (err) {
		if (err instanceof NotFound)
			throw new SourceUnavailable(`release v${ctx.version} has no ${file} (${err.reason})`);
		throw err;
	}
	expectChecksum(`${file} from ${name} (${archiveUrl})`, expected, actual);
	return {
		binaryPath: await extractBinary(archive, join(ctx.workDir, 'extract'), ctx.version, plat),
		origin: archiveUrl,
	};
}

/** Extracts only `nats-server-v<ver>-<os>-<arch>/nats-server` (a lone top-level binary is accepted too). */
export async function extractBinary(archive: string, dest: string, version: string, plat: ReleasePlatform) {
	const wanted = [`${archiveStem(version, plat)}/${plat.binary}`, plat.binary];
	await mkdir(dest, { recursive: true });
	try {
		if (plat.ext === '.zip') {
			// Windows 10+ ships bsdtar as tar.exe, which reads zip archives.
			await execa('tar', ['-xf', archive, '-C', dest]);
		} else {
			let found = false;
			await extractTar({
				file: archive,
				cwd: dest,
				strict: true,
				filter: (path, entry) => {
					const keep = wanted.includes(path.replace(/^\.\//, '')) && 'type' in entry && entry.type === 'File';
					found ||= keep;
					return keep;
				},
			});
			if (!found) throw new UserError(`${archive.split(/[/\\]/).pop()} holds no ${wanted[0]}`);
		}
	} catch (err) {
		if (isUserError(err)) throw err;
		throw new UserError(`could not unpack ${archive}: ${err instanceof Error ? err.message : String(err)}`, {
			cause: err,
		});
	}
	for (const rel of wanted) {
		const p = join(dest, rel);
		if (existsSync(p)) return p;
	}
	throw new UserError(`${archive.split(/[/\\]/).pop()} holds no ${wanted[0]}`);
}
