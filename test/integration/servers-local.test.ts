// Binaries already on this machine: `servers add`, the PATH source, list and
// remove, and the sweep of work folders a killed run left behind. Real
// nats-server binaries throughout.
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reportFailure } from '../../src/commands/report.js';
import { serversCommand } from '../../src/commands/servers.js';
import { addServer, installServer, listServers, removeServer } from '../../src/servers/index.js';
import { binaryFor } from '../support/binaries.js';
import { sha256 } from '../support/release-server.js';

let home: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
	home = await mkdtemp(join(tmpdir(), 'natslab-local-'));
	env = { ...process.env, NATSLAB_HOME: home, NATSLAB_MIRROR: '' };
});

afterEach(async () => {
	await rm(home, { recursive: true, force: true });
});

function capture() {
	const stream = Object.assign(new PassThrough(), { isTTY: false });
	let text = '';
	stream.on('data', (d: Buffer) => {
		text += d.toString();
	});
	return { stream, text: () => text };
}

async function run(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
	const out = capture();
	const err = capture();
	const io = { stdout: out.stream, stderr: err.stream, env: { ...env, ...extraEnv } };
	// A failure goes to the command line's one handler, as in `natslab servers …`.
	const code = await serversCommand(args, io).catch((e: unknown) => reportFailure(e, io));
	return { code, stdout: out.text(), stderr: err.text() };
}

describe('servers add / list / remove', () => {
	it('adds a local binary under the version it reports, lists it, removes it', async () => {
		const added = await addServer(binaryFor('2.9.10'), env);
		expect(added).toMatchObject({ version: '2.9.10', source: 'local', origin: binaryFor('2.9.10') });
		expect(added.sha256).toBe(sha256(await readFile(binaryFor('2.9.10'))));
		expect(added.path).toBe(join(home, 'cache', 'servers', '2.9.10', 'nats-server'));

		const list = await run(['list', '--json']);
		expect(list.code).toBe(0);
		expect(added.size).toBe((await readFile(binaryFor('2.9.10'))).length);
		expect(JSON.parse(list.stdout)).toEqual([
			{ ...added, state: 'ok', fileSha256: added.sha256, fileSize: added.size },
		]);
		const table = await run(['list']);
		expect(table.stdout.split('\n')[0]).toMatch(/^VERSION\s+SOURCE\s+STATE\s+SHA256\s+PATH$/);
		expect(table.stdout).toContain(`2.9.10   local   ok     ${added.sha256.slice(0, 16)}…  ${added.path}`);

		const again = await run(['add', binaryFor('2.9.10')]);
		expect(again.code).toBe(1);
		expect(again.stderr).toBe(
			'natslab: nats-server 2.9.10 is already in the cache (from local); run `natslab servers remove 2.9.10` first\n',
		);

		expect(await removeServer('v2.9.10', env)).toBe(true);
		expect(await listServers(env)).toEqual([]);
		const gone = await run(['remove', '2.9.10']);
		expect(gone.code).toBe(1);
		expect(gone.stderr).toBe('natslab: nats-server 2.9.10 is not installed\n');
		expect(readdirSync(join(home, 'cache', 'servers'))).toEqual([]);
	});

	it('refuses a binary whose --version differs from --version given to add', async () => {
		const r = await run(['add', binaryFor('2.9.10'), '--version', '2.10.27']);
		expect(r.code).toBe(1);
		expect(r.stderr).toBe(
			`natslab: ${binaryFor('2.9.10')} reports nats-server 2.9.10, not 2.10.27; not added\n`,
		);
		const ok = await run(['add', binaryFor('2.10.27'), '--version', 'v2.10.27']);
		expect(ok.code).toBe(0);
		expect(ok.stdout).toContain('added nats-server 2.10.27');
	});

	it('refuses files that are not nats-server binaries', async () => {
		const fake = join(home, 'nats-server');
		await writeFile(fake, '#!/bin/sh\necho "hello"\n', { mode: 0o755 });
		const r = await run(['add', fake]);
		expect(r.code).toBe(1);
		expect(r.stderr).toBe(`natslab: ${fake} is not a working nats-server binary (--version: hello)\n`);
		const missing = await run(['add', join(home, 'nope')]);
		expect(missing.stderr).toBe(`natslab: ${join(home, 'nope')} is not a file\n`);
		expect(
			existsSync(join(home, 'cache', 'servers')) ? readdirSync(join(home, 'cache', 'servers')) : [],
		).toEqual([]);
	});

	it('lists a bare binary placed by hand (no meta.json) as local', async () => {
		const dir = join(home, 'cache', 'servers', '2.10.27');
		await mkdir(dir, { recursive: true });
		await symlink(binaryFor('2.10.27'), join(dir, 'nats-server'));
		const [s] = await listServers(env);
		expect(s).toMatchObject({ version: '2.10.27', source: 'local', state: 'unrecorded' });
		expect(s?.sha256).toBe(sha256(await readFile(binaryFor('2.10.27'))));
	});
});

describe('path source', () => {
	it('copies a nats-server from PATH only when its --version matches', async () => {
		const bin = join(home, 'bin');
		await mkdir(bin);
		await symlink(binaryFor('2.9.10'), join(bin, 'nats-server'));
		const pathEnv = { ...env, PATH: `${bin}${delimiter}${process.env.PATH}` };

		const installed = await installServer('2.9.10', { source: 'path', env: pathEnv });
		expect(installed).toMatchObject({ version: '2.9.10', source: 'path', origin: join(bin, 'nats-server') });
		expect(installed.sha256).toBe(sha256(await readFile(binaryFor('2.9.10'))));

		const r = await run(['install', '2.10.27', '--source', 'path'], { PATH: pathEnv.PATH });
		expect(r.code).toBe(1);
		expect(r.stderr).toBe(
			`natslab: nats-server 2.10.27 is not available: path: nats-server on PATH: ${join(bin, 'nats-server')} is 2.9.10\n`,
		);
		expect(readdirSync(join(home, 'cache', 'servers'))).toEqual(['2.9.10']);
	});
});

describe('cache hygiene', () => {
	it('replaces a version folder whose binary was deleted by hand', async () => {
		const dir = join(home, 'cache', 'servers', '2.9.10');
		await mkdir(dir, { recursive: true });
		await writeFile(join(dir, 'meta.json'), '{"version":"2.9.10","source":"github","sha256":"x"}');
		expect(await listServers(env)).toEqual([]);
		const added = await addServer(binaryFor('2.9.10'), env);
		expect(added.source).toBe('local');
		expect(readdirSync(dir).sort()).toEqual(['meta.json', 'nats-server']);
		expect(readdirSync(join(home, 'cache', 'servers'))).toEqual(['2.9.10']);
	});

	it("sweeps a dead run's leftover work folders", async () => {
		const root = join(home, 'cache', 'servers');
		// pid 2^22+1 is above Linux's pid_max: no process can own it.
		const leftover = join(root, `.partial-${2 ** 22 + 1}-abc123`);
		await mkdir(join(leftover, 'stage'), { recursive: true });
		await addServer(binaryFor('2.10.27'), env);
		expect(readdirSync(root)).toEqual(['2.10.27']);
	});
});
