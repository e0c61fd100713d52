// A private apt: its own sources list (bookworm, trixie, sid), package lists,
// cache and empty dpkg status under natslab's cache. The system's apt setup
// is never read for sources nor written; signatures are checked against the
// Debian archive keyring (signed-by).
import { readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { natslabPaths } from '../../base/paths.js';

export const DEBIAN_SUITES = ['bookworm', 'trixie', 'sid'] as const;
export const DEBIAN_KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';
export const DEFAULT_DEBIAN_URL = 'http://deb.debian.org/debian';
const LISTS_MAX_AGE_MS = 24 * 3600_000;
const APT_ENV = { LC_ALL: 'C', LANG: 'C', LANGUAGE: '' };

/** One `apt-cache show` stanza. */
export interface DebPackage {
	version: string;
	architecture: string;
	filename: string;
	size: number | null;
	sha256: string | null;
}

export class PrivateApt {
	readonly dir: string;
	readonly archiveUrl: string;
	readonly sourcesList: string;

	private readonly env: NodeJS.ProcessEnv;

	constructor(env: NodeJS.ProcessEnv) {
		// Proxy settings and the like pass through; messages stay in English for parsing.
		this.env = { ...env, ...APT_ENV };
		this.dir = join(natslabPaths(env).cache, 'debian-apt');
		this.archiveUrl = (env.NATSLAB_DEBIAN_URL || DEFAULT_DEBIAN_URL).replace(/\/+$/, '');
		this.sourcesList = DEBIAN_SUITES.map(
			(s) => `deb [signed-by=${DEBIAN_KEYRING}] ${this.archiveUrl} ${s} main\n`,
		).join('');
	}

	private get stamp() {
		return join(this.dir, 'lists-updated');
	}

	/** apt options that point every path at the private folder. */
	get options(): string[] {
		const d = this.dir;
		const o = {
			'Dir::Etc::SourceList': join(d, 'sources.list'),
			'Dir::Etc::SourceParts': '/dev/null',
			'Dir::Etc::Preferences': '/dev/null',
			'Dir::Etc::PreferencesParts': '/dev/null',
			'Dir::State::Lists': join(d, 'lists'),
			'Dir::State::status': join(d, 'status'),
			'Dir::Cache': join(d, 'cache'),
			'APT::Sandbox::User': 'root',
			'Acquire::Languages': 'none',
			'Acquire::Retries': '2',
			'Acquire::http::Timeout': '30',
		};
		return Object.entries(o).flatMap(([k, v]) => ['-o', `${k}=${v}`]);
	}

	async prepare(): Promise<void> {
		for (const sub of ['lists/partial', 'cache/archives/partial'])
			await mkdir(join(this.dir, sub), { recursive: true });
		await writeFile(join(this.dir, 'sources.list'), this.sourcesList);
		await writeFile(join(this.dir, 'status'), '');
	}

	/** fresh = refreshed less than a day ago for the same sources list. */
	listsState(): 'fresh' | 'stale' | 'missing' {
		try {
			const st = statSync(this.stamp);
			if (readFileSync(this.stamp, 'utf8') !== this.sourcesList) return 'stale';
			return Date.now() - st.mtimeMs < LISTS_MAX_AGE_MS ? 'fresh' : 'stale';
		} catch {
			return 'missing';
		}
	}

	/** How long ago the lists were last refreshed (Infinity when never). */
	listsAgeMs(): number {
		try {
			return Date.now() - statSync(this.stamp).mtimeMs;
		} catch {
			return Number.POSITIVE_INFINITY;
		}
	}

	async hasLists(): Promise<boolean> {
		const files = await readdir(join(this.dir, 'lists')).catch(() => [] as string[]);
		return files.some((f) => f.includes('_Packages'));
	}

	/** `apt-get update` on the private lists; null on success, else a one-line reason. */
	async update(signal?: AbortSignal): Promise<string | null> {
		const r = await execa('apt-get', [...this.options, 'update'], {
			reject: false,
			all: true,
			stdin: 'ignore',
			timeout: 300_000,
			cancelSignal: signal,
			env: this.env,
		});
		if (r.exitCode === 0 && !/^(E: |W: Failed to fetch)/m.test(r.all ?? '')) {
			await writeFile(this.stamp, this.sourcesList);
			return null;
		}
		return r.timedOut ? 'apt-get update timed out' : summarizeAptFailure(r.all ?? '', r.shortMessage ?? '');
	}

	/**
	 * Every `pkg` build the private lists know, for the native architecture.
	 * apt-cache parses all ~60 MB of lists per call (1.5 s, more on a busy
	 * machine), so the answer is kept next to the lists until they change.
	 */
	async show(pkg: string, signal?: AbortSignal): Promise<DebPackage[]> {
		const memo = join(this.dir, `show-${pkg}.json`);
		let listsAt: number | null = null;
		try {
			listsAt = statSync(this.stamp).mtimeMs;
			const kept = JSON.parse(readFileSync(memo, 'utf8')) as { listsAt: number; packages: DebPackage[] };
			if (kept.listsAt === listsAt && Array.isArray(kept.packages)) return kept.packages;
		} catch {
			// no lists stamp or no memo yet
		}
		const arch = await execa('dpkg', ['--print-architecture'], { reject: false, env: this.env });
		const native = arch.stdout.trim();
		const r = await execa('apt-cache', [...this.options, 'show', pkg], {
			reject: false,
			stdin: 'ignore',
			timeout: 120_000,
			cancelSignal: signal,
			env: this.env,
		});
		const packages = parseAptShow(r.stdout).filter(
			(p) => p.architecture === native || p.architecture === 'all',
		);
		if (listsAt !== null && !r.isCanceled && !r.timedOut) {
			await writeFile(memo, JSON.stringify({ listsAt, packages }));
		}
		return packages;
	}

	/** `apt-get download pkg=version` into `dir`, reporting apt's own percentage. */
	async download(
		pkg: string,
		version: string,
		dir: string,
		onPercent: (pct: number) => void,
		signal?: AbortSignal,
	) {
		const proc = execa(
			'apt-get',
			[...this.options, '-o', 'APT::Status-Fd=1', 'download', `${pkg}=${version}`],
			{
				cwd: dir,
				reject: false,
				stdin: 'ignore',
				timeout: 300_000,
				cancelSignal: signal,
				env: this.env,
				all: true,
			},
		);
		for await (const line of proc.iterable({ from: 'stdout' })) {
			const m = /^dlstatus:\d+:([\d.]+):/.exec(String(line));
			if (m) onPercent(Number(m[1]));
		}
		const r = await proc;
		if (r.exitCode !== 0)
			return r.timedOut
				? 'apt-get download timed out'
				: summarizeAptFailure(r.all ?? '', r.shortMessage ?? '');
		return null;
	}
}

/** Parses `apt-cache show` stanzas (blank-line separated `Key: value` blocks). */
export function parseAptShow(text: string): DebPackage[] {
	const out: DebPackage[] = [];
	for (const block of text.split(/\n\s*\n/)) {
		const field = (name: string) => new RegExp(`^${name}: (.+)$`, 'm').exec(block)?.[1]?.trim();
		const version = field('Version');
		const filename = field('Filename');
		if (!version || !filename) continue;
		const size = Number(field('Size'));
		out.push({
			version,
			architecture: field('Architecture') ?? '',
			filename,
			size: Number.isFinite(size) && size > 0 ? size : null,
			sha256: field('SHA256')?.toLowerCase() ?? null,
		});
	}
	return out;
}

/** The most telling line of apt's output: a fetch failure's cause, else the first error. */
export function summarizeAptFailure(output: string, fallback: string): string {
	const lines = output.split('\n').map((l) => l.trim());
	const fetch = lines.find((l) => /^(W|E): Failed to fetch /.test(l));
	if (fetch) {
		const cause = fetch
			.split(/\s{2,}/)
			.slice(1)
			.join(' ')
			.trim();
		return cause || fetch.slice(3);
	}
	const err = lines.find((l) => l.startsWith('E: ')) ?? lines.find((l) => l.startsWith('W: '));
	return err ? err.slice(3) : fallback.split('\n')[0] || 'apt failed';
}
