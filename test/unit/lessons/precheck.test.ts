// `learn --auto --quiet`'s pre-check against a real busy port (a net.Server on
// 127.0.0.1) and a real cache folder: one version missing, one damaged.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_NODES } from '../../../src/base/names.js';
import { firstBusyPort, layout } from '../../../src/cluster/ports.js';
import { loadCourse } from '../../../src/lessons/course.js';
import type { Lesson } from '../../../src/lessons/load.js';
import { precheck, problemLine, versionsNeeded } from '../../../src/lessons/precheck.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
	for (const c of cleanups.splice(0)) c();
});

/** A NATSLAB_HOME whose cache holds a binary file for each version given (no meta.json: "placed by hand"). */
function home(versions: string[]): { env: NodeJS.ProcessEnv; dir: string } {
	const dir = mkdtempSync(join(tmpdir(), 'natslab-precheck-'));
	cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
	for (const v of versions) {
		mkdirSync(join(dir, 'cache', 'servers', v), { recursive: true });
		writeFileSync(join(dir, 'cache', 'servers', v, 'nats-server'), '#!/bin/sh\n', { mode: 0o755 });
	}
	return { env: { ...process.env, NATSLAB_HOME: dir }, dir };
}

/** A port held by a real listener on 127.0.0.1 (the OS picks it, so no other test can hold it). */
async function holdPort(): Promise<number> {
	const server: Server = createServer();
	await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
	cleanups.push(() => server.close());
	const address = server.address();
	if (!address || typeof address === 'string') throw new Error('no port');
	return address.port;
}

/** The problems as printed, every port taken as free (the binary checks alone). */
async function binaryLines(lessons: Lesson[], env: NodeJS.ProcessEnv): Promise<string[]> {
	const problems = await precheck({ lessons, choice: {}, basePort: 24600, env, isFree: async () => true });
	return problems.map(problemLine);
}

const oneLesson = async () => (await loadCourse()).filter((l) => l.id === 'meet-the-cluster');

describe('learn --auto --quiet pre-check', () => {
	it('a busy port in the asked block: one line naming it, with a base port that is free now', async () => {
		const lessons = await loadCourse();
		const busy = await holdPort();
		const h = home(['2.9.10', '2.10.27']);
		const problems = await precheck({ lessons, choice: {}, basePort: busy, env: h.env });
		expect(problems).toHaveLength(1);
		const line = problemLine(problems[0] as (typeof problems)[number]);
		const suggested = Number(/→ --base-port (\d+)$/.exec(line)?.[1]);
		expect(line).toBe(`port ${busy} (n1 client) is in use on 127.0.0.1 → --base-port ${suggested}`);
		expect(suggested).toBeGreaterThan(busy);
		expect(await firstBusyPort(layout(suggested, DEFAULT_NODES))).toBeNull();
	});

	it('the whole course needs 2.10.27 and 2.9.10 (the upgrade lesson); a missing one is named with its install', async () => {
		const lessons = await loadCourse();
		expect(versionsNeeded(lessons, {})).toEqual(['2.10.27', '2.9.10', '2.15.1']);
		const h = home(['2.10.27']);
		// 2.15.1 is missing too, but lesson 12 runs on its own version and is skipped without it.
		expect(await binaryLines(lessons, h.env)).toEqual([
			'nats-server 2.9.10 is not installed → natslab servers install 2.9.10',
		]);
	});

	it('a damaged cached binary (not what its meta.json recorded) is a problem too; all present → none', async () => {
		const lessons = await oneLesson();
		const h = home(['2.10.27']);
		expect(await binaryLines(lessons, h.env)).toEqual([]);
		const meta = {
			version: '2.10.27',
			source: 'github',
			sha256: '0'.repeat(64),
			size: 999,
			installedAt: '',
			origin: '',
		};
		writeFileSync(join(h.dir, 'cache', 'servers', '2.10.27', 'meta.json'), JSON.stringify(meta));
		expect(await binaryLines(lessons, h.env)).toEqual([
			'nats-server 2.10.27 in the cache is damaged (size 10 bytes, 999 when installed) → natslab servers install 2.10.27',
		]);
	});

	it('a lesson with proxied links (partition) also needs the link proxies’ ports free', async () => {
		const course = await loadCourse();
		const h = home(['2.10.27']);
		const proxyPort = 24600 + 3000;
		const isFree = async (p: number) => p !== proxyPort;
		const partition = course.filter((l) => l.id === 'partition');
		const problems = await precheck({ lessons: partition, choice: {}, basePort: 24600, env: h.env, isFree });
		expect(problems.map(problemLine)[0]).toMatch(
			/^port 27600 \(link proxy 1\) is in use on 127\.0\.0\.1 → --base-port \d+$/,
		);
		expect(
			await precheck({ lessons: await oneLesson(), choice: {}, basePort: 24600, env: h.env, isFree }),
		).toEqual([]);
	});

	it('without --base-port only finding no free block at all is a problem (the lab moves up on its own)', async () => {
		const lessons = await oneLesson();
		const h = home(['2.10.27']);
		expect(await precheck({ lessons, choice: {}, env: h.env, isFree: async (p) => p !== 14222 })).toEqual([]);
		const problems = await precheck({ lessons, choice: {}, env: h.env, isFree: async () => false });
		expect(problems).toHaveLength(1);
		expect(problems[0]?.kind).toBe('port');
		expect(problemLine(problems[0] as (typeof problems)[number])).toMatch(
			/^no free port block found from base 14222 .* → --base-port N/,
		);
	});

	it("side by side (--jobs): every lane's block is checked, and a base whose last lane ends above 65535 is refused as runAuto refuses it", async () => {
		const lessons = await oneLesson();
		const h = home(['2.10.27']);
		const busyInLane2 = 24600 + 25;
		const problems = await precheck({
			lessons,
			choice: {},
			basePort: 24600,
			lanes: 2,
			env: h.env,
			isFree: async (p) => p !== busyInLane2,
		});
		expect(problems.map(problemLine)).toEqual([
			`port ${busyInLane2} (n1 client) is in use on 127.0.0.1 → --base-port 24650`,
		]);
		await expect(
			precheck({ lessons, choice: {}, basePort: 61500, lanes: 3, env: h.env, isFree: async () => true }),
		).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/above 65535$/) });
	});
});
