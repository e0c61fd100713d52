// The GitHub-release layout (shared by the github and mirror sources) against
// a local HTTP server and file:// folders holding REAL archives made from
// real nats-server binaries: what gets cached, and that every bad download
// (tampered, wrong checksum, dropped, stalled, 404, wrong binary) leaves
// nothing behind.
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isUserError } from '../../src/base/errors.js';
import { serversCommand } from '../../src/commands/servers.js';
import { ensureServer, type InstallOptions, installServer } from '../../src/servers/index.js';
import { binaryFor } from '../support/binaries.js';
import {
	buildReleaseArchive,
	type ReleaseArchive,
	type ReleaseServer,
	sha256,
	startReleaseServer,
	sumsLine,
	writeReleaseFolder,
} from '../support/release-server.js';

const V = '2.10.27';
let scratch: string;
let good: ReleaseArchive; // real 2.10.27 binary, correct layout
let imposter: ReleaseArchive; // real 2.9.10 binary packed as v2.10.27
let goodSums: string;
let home: string;
let server: ReleaseServer;

beforeAll(async () => {
	scratch = await mkdtemp(join(tmpdir(), 'natslab-release-'));
	good = await buildReleaseArchive(V, binaryFor(V), scratch);
	imposter = await buildReleaseArchive(V, binaryFor('2.9.10'), scratch);
	// A realistic SHA256SUMS: other platforms' lines around ours.
	goodSums = `${sumsLine(sha256('other'), `nats-server-v${V}-darwin-arm64.tar.gz`)}${sumsLine(good.sha256, good.name)}`;
});

afterAll(async () => {
	await rm(scratch, { recursive: true, force: true });
});

beforeEach(async () => {
	home = await mkdtemp(join(tmpdir(), 'natslab-home-'));
	server = await startReleaseServer();
});

afterEach(async () => {
	await server.close();
	await rm(home, { recursive: true, force: true });
});

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
	const probe = createTcpServer();
	await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
	const port = (probe.address() as { port: number }).port;
	await new Promise<void>((r) => probe.close(() => r()));
	return port;
}

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	return { ...process.env, NATSLAB_HOME: home, NATSLAB_MIRROR: '', NATSLAB_GITHUB_URL: server.url, ...extra };
}

function serve(archive: ReleaseArchive, sums: string, archiveBody: Buffer | object = archive.body) {
	server.files.set(`/v${V}/SHA256SUMS`, sums);
	server.files.set(`/v${V}/${archive.name}`, archiveBody as Buffer);
}

/** Everything in <cache>/servers, work folders included: must be empty after any failure. */
function cacheEntries(): string[] {
	const dir = join(home, 'cache', 'servers');
	return existsSync(dir) ? readdirSync(dir) : [];
}

async function installError(version: string, opts: InstallOptions): Promise<string> {
	try {
		await installServer(version, opts);
	} catch (err) {
		expect(isUserError(err), String(err)).toBe(true);
		return (err as Error).message;
	}
	throw new Error('install unexpectedly succeeded');
}

function capture(isTTY: boolean) {
	const stream = Object.assign(new PassThrough(), { isTTY });
	let text = '';
	stream.on('data', (d: Buffer) => {
		text += d.toString();
	});
	return { stream, text: () => text };
}

describe('github source', () => {
	it('installs a good release: checksum checked, --version matches, meta.json right', async () => {
		serve(good, goodSums);
		const progress: number[] = [];
		const installed = await installServer(V, {
			env: env(),
			onProgress: (p) => progress.push(p.received),
		});
		expect(installed.source).toBe('github');
		expect(installed.path).toBe(join(home, 'cache', 'servers', V, 'nats-server'));
		const { stdout } = await execa(installed.path, ['--version']);
		expect(stdout.trim()).toBe(`nats-server: v${V}`);

		const meta = JSON.parse(await readFile(join(home, 'cache', 'servers', V, 'meta.json'), 'utf8'));
		expect(meta).toMatchObject({
			version: V,
			source: 'github',
			sha256: sha256(await readFile(binaryFor(V))),
			origin: `${server.url}/v${V}/${good.name}`,
		});
		expect(Number.isNaN(Date.parse(meta.installedAt))).toBe(false);
		expect(cacheEntries()).toEqual([V]);
		expect(readdirSync(join(home, 'cache', 'servers', V)).sort()).toEqual(['meta.json', 'nats-server']);
		expect(progress.at(-1)).toBe(good.body.length);

		// Cached now: ensureServer answers without asking the server again.
		const before = server.requests.length;
		expect((await ensureServer(V, { env: env() })).sha256).toBe(meta.sha256);
		expect(server.requests.length).toBe(before);
	});

	it('refuses a tampered archive, naming both hashes, and caches nothing', async () => {
		const tampered = Buffer.from(good.body);
		const mid = Math.floor(tampered.length / 2);
		tampered[mid] = (tampered[mid] ?? 0) ^ 0xff;
		serve(good, goodSums, tampered);
		const msg = await installError(V, { env: env(), source: 'github' });
		expect(msg).toContain('checksum mismatch');
		expect(msg).toContain(`expected sha256 ${good.sha256}`);
		expect(msg).toContain(`got ${sha256(tampered)}`);
		expect(msg).toContain('nothing was cached');
		expect(cacheEntries()).toEqual([]);
	});

	it('refuses a good archive when SHA256SUMS carries a wrong line', async () => {
		const wrong = sha256('not the archive');
		serve(good, sumsLine(wrong, good.name));
		const msg = await installError(V, { env: env(), source: 'github' });
		expect(msg).toContain(`expected sha256 ${wrong}, got ${good.sha256}`);
		expect(cacheEntries()).toEqual([]);
	});

	it('treats a SHA256SUMS without a line for this platform as "not published here"', async () => {
		serve(good, sumsLine(good.sha256, `nats-server-v${V}-plan9-amd64.tar.gz`));
		const msg = await installError(V, { env: env(), source: 'github' });
		expect(msg).toBe(
			`nats-server ${V} is not available: github: release v${V} lists no ${good.name} in its SHA256SUMS`,
		);
		expect(cacheEntries()).toEqual([]);
	});

	it('reports a connection dropped mid-download clearly and caches nothing', async () => {
		serve(good, goodSums, { body: good.body, dropAfter: Math.floor(good.body.length / 3) });
		const msg = await installError(V, { env: env(), source: 'github' });
		expect(msg).toMatch(
			new RegExp(
				`github: download of ${good.name.replaceAll('.', '\\.')} broke off after [\\d.]+ [kM]B of [\\d.]+ MB \\(other side closed\\)$`,
			),
		);
		expect(cacheEntries()).toEqual([]);
	});

	it('gives up on a stalled body after the idle timeout', async () => {
		serve(good, goodSums, { body: good.body, stallAfter: 64 * 1024 });
		const msg = await installError(V, { env: env(), source: 'github', timeouts: { idleMs: 400 } });
		expect(msg).toContain(`download of ${good.name} stalled: no data for 0.4 s`);
		expect(cacheEntries()).toEqual([]);
	});

	it('gives up on a server that accepts but never answers', async () => {
		const silent = createTcpServer(() => {});
		await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
		const port = (silent.address() as { port: number }).port;
		try {
			const msg = await installError(V, {
				env: env({ NATSLAB_GITHUB_URL: `http://127.0.0.1:${port}` }),
				source: 'github',
				timeouts: { connectMs: 400 },
			});
			expect(msg).toContain(`github: no response from 127.0.0.1:${port} within 0.4 s`);
		} finally {
			silent.close();
		}
		expect(cacheEntries()).toEqual([]);
	});

	it('says why an unreachable or empty release site failed', async () => {
		const port = await closedPort();
		const refused = await installError(V, {
			env: env({ NATSLAB_GITHUB_URL: `http://127.0.0.1:${port}` }),
			source: 'github',
		});
		expect(refused).toBe(
			`nats-server ${V} is not available: github: unreachable (connect ECONNREFUSED 127.0.0.1:${port})`,
		);
		const missing = await installError(V, { env: env(), source: 'github' }); // server has no files: 404
		expect(missing).toBe(
			`nats-server ${V} is not available: github: no release v${V} (not found: ${server.url}/v${V}/SHA256SUMS)`,
		);
		expect(cacheEntries()).toEqual([]);
	});

	it('refuses a binary that reports another version, even with a correct checksum', async () => {
		serve(imposter, sumsLine(imposter.sha256, imposter.name));
		const msg = await installError(V, { env: env(), source: 'github' });
		expect(msg).toContain(`reports nats-server 2.9.10, not the requested ${V}; refused`);
		expect(cacheEntries()).toEqual([]);
	});

	it('stops cleanly when cancelled mid-download', async () => {
		serve(good, goodSums, { body: good.body, stallAfter: 64 * 1024 });
		const abort = new AbortController();
		let err: unknown;
		try {
			await installServer(V, {
				env: env(),
				source: 'github',
				signal: abort.signal,
				onProgress: () => abort.abort(),
			});
		} catch (e) {
			err = e;
		}
		expect(isUserError(err) && err.exitCode).toBe(130);
		expect((err as Error).message).toBe(`installing nats-server ${V} was cancelled; nothing was cached`);
		expect(cacheEntries()).toEqual([]);
	});

	it('leaves nothing behind when `natslab servers install` gets Ctrl-C mid-download', async () => {
		serve(good, goodSums, { body: good.body, stallAfter: 256 * 1024 });
		const runner = join(home, 'run.mts');
		const command = pathToFileURL(
			join(import.meta.dirname, '..', '..', 'src', 'commands', 'servers.ts'),
		).href;
		await writeFile(
			runner,
			`import { serversCommand } from ${JSON.stringify(command)};\n` +
				'process.exitCode = await serversCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });\n',
		);
		const child = execa(process.execPath, ['--import', 'tsx', runner, 'install', V, '--source', 'github'], {
			cwd: join(import.meta.dirname, '..', '..'),
			env: env(),
			reject: false,
			all: true,
		});
		let seen = '';
		for await (const line of child.iterable({ from: 'stderr' })) {
			seen += `${line}\n`;
			if (String(line).includes('downloading (')) child.kill('SIGINT');
		}
		const r = await child;
		expect(seen).toContain('natslab: interrupted; nothing was cached');
		expect(r.exitCode === 130 || r.signal === 'SIGINT', `exit ${r.exitCode} signal ${r.signal}`).toBe(true);
		expect(cacheEntries()).toEqual([]);
	});

	it('lets two concurrent installs of one version end with one whole copy', async () => {
		serve(good, goodSums);
		const [a, b] = await Promise.all([
			installServer(V, { env: env(), source: 'github' }),
			installServer(V, { env: env(), source: 'github' }),
		]);
		expect(a.path).toBe(b.path);
		expect(a.sha256).toBe(b.sha256);
		expect(cacheEntries()).toEqual([V]);
	});
});

describe('mirror source', () => {
	it('installs from a file:// folder (NATSLAB_MIRROR), after GitHub fails, saying so', async () => {
		const mirror = join(home, 'mirror');
		await writeReleaseFolder(mirror, V, good, goodSums);
		const notices: string[] = [];
		const port = await closedPort();
		const installed = await installServer(V, {
			env: env({
				NATSLAB_GITHUB_URL: `http://127.0.0.1:${port}`,
				NATSLAB_MIRROR: pathToFileURL(mirror).href,
			}),
			onNotice: (l) => notices.push(l),
		});
		expect(installed.source).toBe('mirror');
		expect(installed.origin).toBe(`${pathToFileURL(mirror).href}/v${V}/${good.name}`);
		expect(notices).toContain(
			`github: unreachable (connect ECONNREFUSED 127.0.0.1:${port}); trying the next source`,
		);
		expect((await execa(installed.path, ['--version'])).stdout.trim()).toBe(`nats-server: v${V}`);
	});

	it('installs from an http mirror given with --mirror', async () => {
		serve(good, goodSums);
		const out = capture(false);
		const err = capture(false);
		const code = await serversCommand(['install', V, '--source', 'mirror', '--mirror', `${server.url}/`], {
			stdout: out.stream,
			stderr: err.stream,
			env: env(),
		});
		expect(err.text()).toContain(`mirror ${good.name}: downloading (`);
		expect(err.text()).toContain(`mirror ${good.name}: done,`);
		expect(code).toBe(0);
		expect(out.text()).toMatch(
			new RegExp(`^installed nats-server ${V} from mirror in [\\d.]+ s: .*/servers/${V}/nats-server\\n$`),
		);
	});

	it('refuses a mirror whose SHA256SUMS does not match, and does not fall through to other sources', async () => {
		const mirror = join(home, 'mirror');
		const wrong = sha256('tampered');
		await writeReleaseFolder(mirror, V, good, sumsLine(wrong, good.name));
		const out = capture(false);
		const err = capture(false);
		const code = await serversCommand(['install', V, '--mirror', mirror], {
			stdout: out.stream,
			stderr: err.stream,
			env: env(), // github: the local server answers 404 → mirror → mismatch must stop here
		});
		expect(code).toBe(1);
		expect(err.text()).toContain(`natslab: checksum mismatch for ${good.name} from mirror`);
		expect(err.text()).toContain(`expected sha256 ${wrong}, got ${good.sha256}; nothing was cached`);
		expect(out.text()).toBe('');
		expect(cacheEntries()).toEqual([]);
	});

	it('draws a progress bar on a terminal, in colour unless NO_COLOR', async () => {
		serve(good, goodSums);
		const colour = capture(true);
		await serversCommand(['install', V, '--source', 'github'], {
			stdout: capture(false).stream,
			stderr: colour.stream,
			env: env(),
		});
		expect(colour.text()).toContain('\r');
		expect(colour.text()).toContain('100%');
		expect(colour.text()).toContain('\x1b[32m');

		await rm(join(home, 'cache'), { recursive: true, force: true });
		const plain = capture(true);
		await serversCommand(['install', V, '--source', 'github'], {
			stdout: capture(false).stream,
			stderr: plain.stream,
			env: env({ NO_COLOR: '1' }),
		});
		expect(plain.text()).toContain('100%');
		expect(plain.text()).not.toContain('\x1b[32m');
	});
});
