// A cached binary is checked against the size and sha256 recorded at install
// before it is served. These tests build cache entries by hand (a small file
// stands in for the binary: only its bytes matter here) and damage them the
// ways a disk or a person does: truncated, overwritten with the same length,
// replaced. The real-binary path (cluster up, servers list/install) is in
// test/integration/servers-corrupt.test.ts.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { isUserError } from '../../../src/base/errors.js';
import { ensureServer, findIntact, listServers, verifyCached } from '../../../src/servers/index.js';

const root = mkdtempSync(join(tmpdir(), 'natslab-integrity-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let env: NodeJS.ProcessEnv;
let n = 0;
beforeEach(() => {
	// A fresh home per test; the network is never reachable (nothing here may download).
	env = { NATSLAB_HOME: join(root, `home-${n++}`), PATH: '', NATSLAB_GITHUB_URL: 'http://127.0.0.1:9' };
});

const BODY = Buffer.from('#!/bin/sh\n# stand-in bytes for a cached binary\n'.repeat(200));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function cacheEntry(version: string, meta: Record<string, unknown> | null, body = BODY): string {
	const dir = join(env.NATSLAB_HOME as string, 'cache', 'servers', version);
	mkdirSync(dir, { recursive: true });
	const bin = join(dir, 'nats-server');
	writeFileSync(bin, body, { mode: 0o755 });
	if (meta) writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
	return bin;
}

function recorded(version: string, extra: Record<string, unknown> = {}) {
	return {
		version,
		source: 'github',
		sha256: sha(BODY),
		size: BODY.length,
		installedAt: '2026-01-01T00:00:00.000Z',
		origin: 'https://example.invalid/release.tar.gz',
		...extra,
	};
}

describe('verifyCached', () => {
	it('remembers a pass beside the binary, and that memory never hides a later overwrite', async () => {
		const bin = cacheEntry('2.10.27', recorded('2.10.27'));
		expect((await verifyCached('2.10.27', env))?.state).toBe('ok');
		const proof = readFileSync(join(bin, '..', 'verified'), 'utf8').trim();
		expect(proof.endsWith(`:${sha(BODY)}`)).toBe(true);
		// Same length, other bytes: inode, size and maybe mtime stay; the ctime moves on.
		const other = Buffer.from(BODY);
		other[10] = (other[10] ?? 0) ^ 0xff;
		writeFileSync(bin, other);
		const check = await verifyCached('2.10.27', env);
		expect(check?.state).toBe('corrupt');
	});

	it('is null for a version that is not cached', async () => {
		expect(await verifyCached('2.10.27', env)).toBeNull();
	});

	it('passes a binary that matches its record', async () => {
		cacheEntry('2.10.27', recorded('2.10.27'));
		const check = await verifyCached('2.10.27', env);
		expect(check).toMatchObject({
			state: 'ok',
			problem: null,
			file: { size: BODY.length, sha256: sha(BODY) },
		});
		expect(check?.server).toMatchObject({ version: '2.10.27', sha256: sha(BODY), size: BODY.length });
	});

	it('finds a truncated binary by its size alone, without hashing it', async () => {
		const bin = cacheEntry('2.10.27', recorded('2.10.27'));
		truncateSync(bin, 1000);
		const check = await verifyCached('2.10.27', env);
		expect(check).toMatchObject({
			state: 'corrupt',
			file: { size: 1000, sha256: null },
			problem: `size 1000 bytes, ${BODY.length} when installed`,
		});
		// A listing shows the file's own hash all the same.
		const listed = await verifyCached('2.10.27', env, { alwaysHash: true });
		expect(listed?.file.sha256).toBe(sha(BODY.subarray(0, 1000)));
	});

	it('finds a binary overwritten with the same length by its sha256', async () => {
		const changed = Buffer.from(BODY);
		changed[100] = (changed[100] as number) ^ 0xff;
		cacheEntry('2.10.27', recorded('2.10.27'), changed);
		const check = await verifyCached('2.10.27', env);
		expect(check?.state).toBe('corrupt');
		expect(check?.problem).toBe(
			`sha256 ${sha(changed).slice(0, 12)}…, ${sha(BODY).slice(0, 12)}… when installed`,
		);
	});

	it('checks the hash alone for an entry recorded without a size (older natslab)', async () => {
		const { size: _size, ...old } = recorded('2.9.10');
		const bin = cacheEntry('2.9.10', old);
		expect((await verifyCached('2.9.10', env))?.state).toBe('ok');
		truncateSync(bin, 10);
		expect((await verifyCached('2.9.10', env))?.problem).toMatch(/^sha256 /);
	});

	it('notices a change after a pass in the same process (no stale "ok")', async () => {
		const bin = cacheEntry('2.10.27', recorded('2.10.27'));
		expect((await verifyCached('2.10.27', env))?.state).toBe('ok');
		const changed = Buffer.from(BODY);
		changed[0] = 0x7f;
		writeFileSync(bin, changed);
		expect((await verifyCached('2.10.27', env))?.state).toBe('corrupt');
		writeFileSync(bin, BODY);
		expect((await verifyCached('2.10.27', env))?.state).toBe('ok');
	});

	it('calls a binary without meta.json unrecorded (nothing to compare it with)', async () => {
		cacheEntry('2.10.27', null);
		const check = await verifyCached('2.10.27', env);
		expect(check).toMatchObject({ state: 'unrecorded', problem: null, server: { source: 'local' } });
		expect(check?.server.sha256).toBe(sha(BODY));
	});
});

describe('what is served', () => {
	it('ensureServer serves an intact binary and refuses a corrupt one with the line that fixes it', async () => {
		const bin = cacheEntry('2.10.27', recorded('2.10.27'));
		expect((await ensureServer('2.10.27', { env })).path).toBe(bin);
		truncateSync(bin, 4096);
		const err = await ensureServer('v2.10.27', { env }).then(
			() => null,
			(e: unknown) => e,
		);
		expect(isUserError(err)).toBe(true);
		expect((err as Error).message).toBe(
			`the cached nats-server 2.10.27 (${bin}) is corrupt: size 4096 bytes, ${BODY.length} when installed; ` +
				'run `natslab servers install 2.10.27` to replace it',
		);
	});

	it('names remove + add for a corrupt binary that was added from a local file', async () => {
		const bin = cacheEntry(
			'2.9.10',
			recorded('2.9.10', { source: 'local', origin: '/opt/nats/nats-server' }),
		);
		truncateSync(bin, 1);
		await expect(ensureServer('2.9.10', { env })).rejects.toThrow(
			/is corrupt: size 1 bytes, \d+ when installed; run `natslab servers remove 2\.9\.10` and `natslab servers add \/opt\/nats\/nats-server` to replace it$/,
		);
	});

	it('findIntact keeps an intact copy and gives up a corrupt one, saying so', async () => {
		const bin = cacheEntry('2.10.27', recorded('2.10.27'));
		const said: string[] = [];
		expect((await findIntact('2.10.27', env, (l) => said.push(l)))?.path).toBe(bin);
		truncateSync(bin, 7);
		expect(await findIntact('2.10.27', env, (l) => said.push(l))).toBeNull();
		expect(said).toEqual([
			`the cached nats-server 2.10.27 (${bin}) is corrupt: size 7 bytes, ${BODY.length} when installed; replacing it`,
		]);
	});

	it("listServers reports each entry's state and the file's own hash", async () => {
		cacheEntry('2.9.10', recorded('2.9.10'));
		const bad = cacheEntry('2.10.27', recorded('2.10.27'));
		truncateSync(bad, 5);
		const listed = await listServers(env);
		expect(listed.map((s) => [s.version, s.state, s.fileSize, s.fileSha256])).toEqual([
			['2.9.10', 'ok', BODY.length, sha(BODY)],
			['2.10.27', 'corrupt', 5, sha(BODY.subarray(0, 5))],
		]);
		// The record stays what it was: that is what the file is compared with.
		expect(listed[1]?.sha256).toBe(sha(BODY));
	});
});
