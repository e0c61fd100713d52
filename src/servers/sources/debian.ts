// Debian's archive as a source, for Debian-family Linux with apt: find the
// Debian version whose upstream part equals the request in the private lists
// (refreshed when missing, older than a day, or the version is not there and
// the lists are older than ten minutes),
// `apt-get download` it (apt verifies the archive's signature and hashes;
// the .deb is checked again against the signed index), then `dpkg-deb -x`.
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { compareVersions, normalizeVersion } from '../../base/versions.js';
import { type Source, type SourceContext, SourceUnavailable } from '../types.js';
import { expectChecksum, sha256File } from '../verify.js';
import { DEBIAN_KEYRING, DEBIAN_SUITES, type DebPackage, PrivateApt } from './apt.js';
import { findAllOnPath } from './path.js';

const PACKAGE = 'nats-server';
/** A version missing from lists younger than this is missing upstream too: no second refresh. */
const RECHECK_AFTER_MS = 10 * 60_000;

/** "2.10.27-1+b2" → "2.10.27"; "1:2.9.10+ds-3" → "2.9.10"; null for what natslab cannot map. */
export function upstreamVersion(debianVersion: string): string | null {
	let v = debianVersion.replace(/^\d+:/, '');
	const dash = v.lastIndexOf('-');
	if (dash > 0) v = v.slice(0, dash);
	v = v.replace(/[+~](ds|dfsg|repack)\d*$/i, '');
	return normalizeVersion(v);
}

/** The newest Debian build of `version` (stanzas arrive newest first), or null. */
export function pickDebianBuild(packages: DebPackage[], version: string): DebPackage | null {
	return packages.find((p) => upstreamVersion(p.version) === version) ?? null;
}

export function availableUpstreamVersions(packages: DebPackage[]): string[] {
	const all = new Set(packages.map((p) => upstreamVersion(p.version)).filter((v): v is string => v !== null));
	return [...all].sort(compareVersions);
}

async function assertUsable(env: NodeJS.ProcessEnv): Promise<void> {
	if (process.platform !== 'linux')
		throw new SourceUnavailable(`not a Debian-family Linux (${process.platform})`, true);
	for (const tool of ['apt-get', 'apt-cache', 'dpkg-deb']) {
		if ((await findAllOnPath(tool, env)).length === 0) {
			throw new SourceUnavailable(`not a Debian-family Linux (no ${tool} on PATH)`, true);
		}
	}
	if (!existsSync(DEBIAN_KEYRING))
		throw new SourceUnavailable(`no Debian archive keyring at ${DEBIAN_KEYRING}`, true);
}

export const debianSource: Source = {
	name: 'debian',
	async fetch(ctx) {
		await assertUsable(ctx.env);
		const apt = new PrivateApt(ctx.env);
		await apt.prepare();
		let refreshed = false;
		const refresh = async () => {
			refreshed = true;
			ctx.onNotice(
				`debian: refreshing natslab's private package lists (${DEBIAN_SUITES.join(', ')}) from ${apt.archiveUrl}`,
			);
			const started = performance.now();
			const failure = await apt.update(ctx.signal);
			if (failure && !(await apt.hasLists()))
				throw new SourceUnavailable(`package lists unavailable (${failure})`);
			if (failure) ctx.onNotice(`debian: refresh failed (${failure}); using the lists from before`);
			else
				ctx.onNotice(
					`debian: package lists refreshed in ${((performance.now() - started) / 1000).toFixed(1)} s`,
				);
		};
		if (apt.listsState() !== 'fresh') await refresh();
		let packages = await apt.show(PACKAGE, ctx.signal);
		let build = pickDebianBuild(packages, ctx.version);
		if (!build && !refreshed && apt.listsAgeMs() > RECHECK_AFTER_MS) {
			await refresh();
			packages = await apt.show(PACKAGE, ctx.signal);
			build = pickDebianBuild(packages, ctx.version);
		}
		if (!build) {
			const have = availableUpstreamVersions(packages);
			throw new SourceUnavailable(`no Debian build of ${ctx.version} (have ${have.join(', ') || 'none'})`);
		}
		return fetchBuild(apt, build, ctx);
	},
};

async function fetchBuild(apt: PrivateApt, build: DebPackage, ctx: SourceContext) {
	const url = `${apt.archiveUrl}/${build.filename}`;
	const debDir = join(ctx.workDir, 'deb');
	await mkdir(debDir);
	const started = performance.now();
	const progress = (pct: number, done: boolean) => {
		const received = build.size === null ? 0 : Math.round((pct / 100) * build.size);
		const secs = (performance.now() - started) / 1000;
		const bytesPerSec = secs > 0 ? Math.round(received / secs) : 0;
		ctx.onProgress({ source: 'debian', url, received, total: build.size, bytesPerSec, done });
	};
	progress(0, false);
	const failure = await apt.download(
		PACKAGE,
		build.version,
		debDir,
		(pct) => progress(pct, false),
		ctx.signal,
	);
	if (failure)
		throw new SourceUnavailable(`apt-get download ${PACKAGE}=${build.version} failed (${failure})`);
	progress(100, true);

	const deb = (await readdir(debDir)).find((f) => f.endsWith('.deb'));
	if (!deb) throw new SourceUnavailable(`apt-get download ${PACKAGE}=${build.version} left no .deb`);
	if (build.sha256)
		expectChecksum(`${deb} from debian (${url})`, build.sha256, await sha256File(join(debDir, deb)));

	const root = join(ctx.workDir, 'debroot');
	const r = await execa('dpkg-deb', ['-x', join(debDir, deb), root], { reject: false, all: true });
	if (r.exitCode !== 0)
		throw new SourceUnavailable(`dpkg-deb -x ${deb} failed (${(r.all ?? '').split('\n')[0]})`);
	const binaryPath = ['usr/sbin/nats-server', 'usr/bin/nats-server']
		.map((p) => join(root, p))
		.find((p) => existsSync(p));
	if (!binaryPath) throw new SourceUnavailable(`${deb} holds no usr/sbin/nats-server or usr/bin/nats-server`);
	return { binaryPath, origin: url };
}
