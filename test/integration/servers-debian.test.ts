// The Debian source end to end against the real archive (deb.debian.org):
// a private apt setup under the temp NATSLAB_HOME finds the Debian build whose
// upstream version is the requested one, downloads and unpacks it. The
// system's apt state must stay untouched.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serversCommand } from '../../src/commands/servers.js';
import { installServer } from '../../src/servers/index.js';
import { DEBIAN_KEYRING } from '../../src/servers/sources/apt.js';
import { sha256 } from '../support/release-server.js';

function onPath(tool: string): boolean {
	return (process.env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, tool)));
}

const missingTool = ['apt-get', 'apt-cache', 'dpkg-deb'].find((t) => !onPath(t));
const skipReason =
	process.platform !== 'linux'
		? `not Linux (${process.platform})`
		: missingTool
			? `${missingTool} is not installed`
			: !existsSync(DEBIAN_KEYRING)
				? `no Debian archive keyring at ${DEBIAN_KEYRING}`
				: null;

/** name → mtime of everything in the system's apt state folders. */
function systemAptSnapshot(): Record<string, number> {
	const snap: Record<string, number> = {};
	for (const dir of [
		'/var/lib/apt/lists',
		'/etc/apt',
		'/etc/apt/sources.list.d',
		'/var/cache/apt/archives',
	]) {
		if (!existsSync(dir)) continue;
		for (const name of readdirSync(dir)) snap[`${dir}/${name}`] = statSync(join(dir, name)).mtimeMs;
	}
	return snap;
}

function capture() {
	const stream = Object.assign(new PassThrough(), { isTTY: false });
	let text = '';
	stream.on('data', (d: Buffer) => {
		text += d.toString();
	});
	return { stream, text: () => text };
}

describe.skipIf(skipReason !== null)(`debian source${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
	let home: string;
	let env: NodeJS.ProcessEnv;
	let before: Record<string, number>;

	beforeAll(async () => {
		home = await mkdtemp(join(tmpdir(), 'natslab-debian-'));
		env = { ...process.env, NATSLAB_HOME: home, NATSLAB_MIRROR: '' };
		before = systemAptSnapshot();
	});

	afterAll(async () => {
		await rm(home, { recursive: true, force: true });
	});

	it('installs 2.9.10 and 2.10.27 from the Debian archive (--source debian)', async () => {
		const out = capture();
		const err = capture();
		const started = performance.now();
		const code = await serversCommand(['install', '2.9.10', '2.10.27', '--source', 'debian'], {
			stdout: out.stream,
			stderr: err.stream,
			env,
		});
		console.log(
			`debian cold install of 2.9.10 + 2.10.27: ${((performance.now() - started) / 1000).toFixed(1)} s`,
		);
		expect(code, err.text()).toBe(0);
		// One private refresh serves both versions.
		expect(err.text().match(/refreshing natslab's private package lists/g)).toHaveLength(1);
		expect(err.text()).toMatch(/debian nats-server_2\.9\.10-[^ ]+\.deb: done/);

		for (const version of ['2.9.10', '2.10.27']) {
			expect(out.text()).toContain(`installed nats-server ${version} from debian`);
			const dir = join(home, 'cache', 'servers', version);
			const { stdout } = await execa(join(dir, 'nats-server'), ['--version']);
			expect(stdout.trim()).toBe(`nats-server: v${version}`);
			const meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8'));
			expect(meta.version).toBe(version);
			expect(meta.source).toBe('debian');
			expect(meta.sha256).toBe(sha256(await readFile(join(dir, 'nats-server'))));
			expect(meta.origin).toMatch(
				new RegExp(
					`^http://deb\\.debian\\.org/debian/pool/main/n/nats-server/nats-server_${version.replaceAll('.', '\\.')}-[^/]+\\.deb$`,
				),
			);
		}
		expect(readdirSync(join(home, 'cache', 'servers')).sort()).toEqual(['2.10.27', '2.9.10']);
		expect(systemAptSnapshot()).toEqual(before);
	});

	it('reinstalls from the fresh private lists without refreshing them', async () => {
		const notices: string[] = [];
		await rm(join(home, 'cache', 'servers', '2.10.27'), { recursive: true });
		const started = performance.now();
		const installed = await installServer('2.10.27', {
			source: 'debian',
			env,
			onNotice: (l) => notices.push(l),
		});
		console.log(`debian warm install of 2.10.27: ${((performance.now() - started) / 1000).toFixed(1)} s`);
		expect(installed.source).toBe('debian');
		expect(notices.filter((n) => n.includes('refreshing'))).toEqual([]);
	});

	it('names the versions Debian has when the requested one is missing', async () => {
		const err = await installServer('9.9.9', { source: 'debian', env }).catch((e: Error) => e);
		expect(err).toBeInstanceOf(Error);
		expect((err as Error).message).toMatch(
			/^nats-server 9\.9\.9 is not available: debian: no Debian build of 9\.9\.9 \(have [\d., ]*2\.9\.10, [\d., ]*2\.10\.27[\d., ]*\)$/,
		);
		expect(readdirSync(join(home, 'cache', 'servers')).sort()).toEqual(['2.10.27', '2.9.10']);
	});

	it('leaves nothing behind when Ctrl-C arrives while apt-get runs', async () => {
		// With an execa child alive, signal-exit re-raises SIGINT right after our handler:
		// only synchronous cleanup in that handler can keep the cache clean.
		const other = await mkdtemp(join(tmpdir(), 'natslab-debian-int-'));
		const runner = join(other, 'run.mts');
		const command = pathToFileURL(
			join(import.meta.dirname, '..', '..', 'src', 'commands', 'servers.ts'),
		).href;
		await writeFile(
			runner,
			`import { serversCommand } from ${JSON.stringify(command)};\n` +
				'process.exitCode = await serversCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });\n',
		);
		try {
			const child = execa(
				process.execPath,
				['--import', 'tsx', runner, 'install', '2.10.27', '--source', 'debian'],
				{
					cwd: join(import.meta.dirname, '..', '..'),
					env: { ...env, NATSLAB_HOME: other },
					reject: false,
				},
			);
			let seen = '';
			for await (const line of child.iterable({ from: 'stderr' })) {
				seen += `${line}\n`;
				if (String(line).includes('refreshing')) setTimeout(() => child.kill('SIGINT'), 300);
			}
			const r = await child;
			expect(seen).toContain('natslab: interrupted; nothing was cached');
			expect(r.exitCode === 130 || r.signal === 'SIGINT', `exit ${r.exitCode} signal ${r.signal}`).toBe(true);
			expect(readdirSync(join(other, 'cache', 'servers'))).toEqual([]);
		} finally {
			await rm(other, { recursive: true, force: true });
		}
	});

	it('says why when the archive cannot be reached, caching nothing', async () => {
		const probe = createServer();
		await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
		const port = (probe.address() as { port: number }).port;
		await new Promise<void>((r) => probe.close(() => r()));
		const other = await mkdtemp(join(tmpdir(), 'natslab-debian-down-'));
		try {
			const down = { ...env, NATSLAB_HOME: other, NATSLAB_DEBIAN_URL: `http://127.0.0.1:${port}/debian` };
			const err = await installServer('2.10.27', { source: 'debian', env: down }).catch((e: Error) => e);
			expect((err as Error).message).toMatch(
				/^nats-server 2\.10\.27 is not available: debian: package lists unavailable \(.+\)$/,
			);
			expect(readdirSync(join(other, 'cache', 'servers'))).toEqual([]);
		} finally {
			await rm(other, { recursive: true, force: true });
		}
	});
});
