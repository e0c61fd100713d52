// `natslab servers` argument handling: every bad input is one line on stderr
// and a non-zero exit; --help works everywhere. Nothing here touches the network.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { type CommandIo, runCommand } from '../../../src/commands/main.js';
import { parseSourceName, parseVersionArg } from '../../../src/servers/index.js';

const home = mkdtempSync(join(tmpdir(), 'natslab-cmd-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function run(...args: string[]) {
	const out = new PassThrough();
	const err = new PassThrough();
	let stdout = '';
	let stderr = '';
	out.on('data', (d: Buffer) => {
		stdout += d.toString();
	});
	err.on('data', (d: Buffer) => {
		stderr += d.toString();
	});
	// Through the command line's one handler, as `natslab servers …` runs.
	const code = await runCommand(['servers', ...args], {
		stdout: out,
		stderr: err,
		env: { PATH: '', NATSLAB_HOME: home, NATSLAB_GITHUB_URL: 'http://127.0.0.1:9', NATSLAB_MIRROR: '' },
	} as unknown as CommandIo);
	return { code, stdout, stderr };
}

describe('version and source arguments', () => {
	it('normalises versions and refuses malformed ones', () => {
		expect(parseVersionArg('v2.10.27')).toBe('2.10.27');
		for (const bad of ['2.10', 'latest', '2.10.x', '']) {
			expect(() => parseVersionArg(bad)).toThrow(
				`"${bad}" is not a nats-server version (expected x.y.z, e.g. 2.10.27)`,
			);
		}
		expect(parseSourceName('debian')).toBe('debian');
		expect(() => parseSourceName('apt')).toThrow(
			'unknown source "apt" (expected github, mirror, debian, path)',
		);
	});
});

describe('natslab servers', () => {
	it('prints help for the group and each command', async () => {
		for (const args of [
			['--help'],
			['install', '--help'],
			['list', '-h'],
			['add', '--help'],
			['remove', '--help'],
		]) {
			const r = await run(...args);
			expect(r.code).toBe(0);
			expect(r.stdout).toMatch(/^Usage: natslab servers/);
			expect(r.stderr).toBe('');
		}
	});

	it.each([
		[
			['install'],
			2,
			'natslab: servers install: which version? e.g. natslab servers install 2.10.27 (see natslab servers install --help)',
		],
		[['install', '2.10'], 1, 'natslab: "2.10" is not a nats-server version (expected x.y.z, e.g. 2.10.27)'],
		[
			['install', '2.10.27', '--source', 'ftp'],
			1,
			'natslab: unknown source "ftp" (expected github, mirror, debian, path)',
		],
		[
			['install', '2.10.27', '--mirror', 'ftp://x/y'],
			1,
			'natslab: mirror ftp://x/y is not an http(s):// URL or a file:// folder',
		],
		[
			['install', '2.10.27', '--frobnicate'],
			2,
			"natslab: servers install: unknown option '--frobnicate' (see natslab servers install --help)",
		],
		[
			['install', '2.10.27', '--source'],
			2,
			"natslab: servers install: option '--source <value>' argument missing (see natslab servers install --help)",
		],
		[
			['list', 'extra'],
			2,
			'natslab: servers list: unexpected argument "extra" (see natslab servers list --help)',
		],
		[
			['add'],
			2,
			'natslab: servers add: give exactly one path to a nats-server binary (see natslab servers add --help)',
		],
		[['remove', 'x'], 1, 'natslab: "x" is not a nats-server version (expected x.y.z, e.g. 2.10.27)'],
		[['upgrade'], 2, 'natslab: unknown servers command "upgrade" (expected install, list, add or remove)'],
	])('%j → exit %i, one line', async (args, code, line) => {
		const r = await run(...args);
		expect(r.code).toBe(code);
		expect(r.stderr).toBe(`${line}\n`);
		expect(r.stdout).toBe('');
	});

	it('names every source and why it failed when none has the version', async () => {
		const r = await run('install', '9.9.9', '--source', 'mirror');
		expect(r.code).toBe(1);
		expect(r.stderr).toBe('natslab: nats-server 9.9.9 is not available: mirror: no mirror configured\n');
		const p = await run('install', '9.9.9', '--source', 'path');
		expect(p.stderr).toBe('natslab: nats-server 9.9.9 is not available: path: no nats-server on PATH\n');
	});

	it('says so when nothing is cached', async () => {
		const r = await run('list');
		expect(r.stdout).toBe(
			`no nats-server versions cached in ${join(home, 'cache')} yet (try: natslab servers install 2.10.27)\n`,
		);
		expect((await run('list', '--json')).stdout).toBe('[]\n');
	});
});
