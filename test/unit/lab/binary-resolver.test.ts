// `learn --all --auto` skips a lesson whose own version cannot be had (VersionUnavailable).
// Only "no source had it" is that: a checksum mismatch or a cache that cannot be written is
// a failure, or a broken install would pass the course check.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUserError } from '../../../src/base/errors.js';
import { binaryResolver, labBinary } from '../../../src/lab/binary-resolver.js';
import { unavailableVersionOf } from '../../../src/lab/version-unavailable.js';
import { expectChecksum } from '../../../src/servers/verify.js';

let home: string;
beforeAll(async () => {
	home = await mkdtemp(join(tmpdir(), 'natslab-binary-resolver-'));
});
afterAll(async () => {
	await rm(home, { recursive: true, force: true });
});

/** Why labBinary failed: the error, and the version it counts as unavailable (null: a real failure). */
async function failureOf(binaryFor: (v: string) => Promise<string>, version: string) {
	const err = await labBinary(binaryFor, version).then(
		() => null,
		(e: unknown) => e,
	);
	expect(isUserError(err)).toBe(true);
	return { err: err as Error, unavailable: unavailableVersionOf(err) };
}

describe('labBinary', () => {
	it('counts a version no source had as unavailable (the course may skip its lesson)', async () => {
		// The PATH source alone, with nothing on PATH: the real installer says no source had it.
		const binaryFor = binaryResolver({
			env: { NATSLAB_HOME: join(home, 'ok'), PATH: '' },
			install: { source: 'path' },
		});
		const { err, unavailable } = await failureOf(binaryFor, '2.99.1');
		expect(err.message).toMatch(/nats-server 2\.99\.1 is not available: path: no nats-server on PATH/);
		expect(unavailable).toBe('2.99.1');
	});

	it('keeps a checksum mismatch a failure, not an unavailable version', async () => {
		const binaryFor = async () => {
			expectChecksum('nats-server-v2.99.1.tar.gz', 'aa'.repeat(32), 'bb'.repeat(32));
			return '/never';
		};
		const { err, unavailable } = await failureOf(binaryFor, '2.99.1');
		expect(err.message).toMatch(/checksum mismatch/);
		expect(unavailable).toBeNull();
	});

	it('keeps a cache folder that cannot be written a failure', async () => {
		// NATSLAB_HOME is a file: the cache folder below it cannot be made.
		const notADir = join(home, 'a-file');
		await writeFile(notADir, 'not a folder');
		const binaryFor = binaryResolver({
			env: { NATSLAB_HOME: notADir, PATH: '' },
			install: { source: 'path' },
		});
		const { err, unavailable } = await failureOf(binaryFor, '2.99.1');
		expect(err.message).not.toMatch(/is not available/);
		expect(unavailable).toBeNull();
	});
});
