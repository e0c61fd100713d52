// `natslab learn <id> --auto --quiet` as a workshop runs it (`node dist/cli.js`, so
// `npm run build` first): the pre-check passes, one ✓ line for the lesson and the
// last line, exit 0. Then with the block's first port held by another process:
// exit 1, the problem line with its fix, and no server started.

import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TO_VERSION } from '../../src/base/versions.js';
import { isPortFree } from '../../src/cluster/ports.js';
import { type LabHome, labHome } from '../support/lab-home.js';
import { TEST_BASE_PORTS } from '../support/ports.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = process.env.NATSLAB_TEST_CLI ?? join(ROOT, 'dist', 'cli.js');
const BASE = TEST_BASE_PORTS.learnQuiet;
const homes: LabHome[] = [];
afterAll(() => {
	for (const h of homes) h.remove();
});

function quietLesson(home: LabHome) {
	return execa(
		process.execPath,
		[CLI, 'learn', 'meet-the-cluster', '--auto', '--quiet', '--base-port', String(BASE)],
		{ cwd: ROOT, env: { ...home.env, NO_COLOR: '1' }, reject: false, timeout: 150_000, stdin: 'ignore' },
	);
}

describe('learn --auto --quiet', () => {
	it('one lesson: its ✓ line and the last line, exit 0, no server left', { timeout: 180_000 }, async () => {
		const home = labHome('natslab-learn-quiet-', [DEFAULT_TO_VERSION]);
		homes.push(home);
		const r = await quietLesson(home);
		expect(r.exitCode, r.stderr).toBe(0);
		const lines = r.stdout.trim().split('\n');
		expect(lines).toHaveLength(2);
		expect(lines[0]).toMatch(/^✓ 1\/\d+ meet-the-cluster {2}\d+\.\d s$/);
		expect(lines[1]).toMatch(
			new RegExp(`^natslab course: 1/1 passed in \\d+\\.\\d s \\(nats-server ${DEFAULT_TO_VERSION}\\)$`),
		);
		expect(r.stdout).not.toContain('\x1b[');
		expect(r.stderr).toBe('');
		for (const port of [BASE, BASE + 1, BASE + 2]) expect(await isPortFree(port)).toBe(true);
	});

	it('its base port held: exit 1, the problem and its fix, nothing started', {
		timeout: 60_000,
	}, async () => {
		const home = labHome('natslab-learn-quiet-busy-', [DEFAULT_TO_VERSION]);
		homes.push(home);
		const holder = createServer();
		await new Promise<void>((done) => holder.listen({ port: BASE, host: '127.0.0.1' }, done));
		try {
			const r = await quietLesson(home);
			expect(r.exitCode, r.stderr).toBe(1);
			const lines = r.stdout.trim().split('\n');
			expect(lines[0]).toMatch(
				new RegExp(`^port ${BASE} \\(n1 client\\) is in use on 127\\.0\\.0\\.1 → --base-port \\d+$`),
			);
			expect(lines.at(-1)).toBe('natslab course: not started — 1 problem');
			expect(r.stdout).not.toContain('✓');
			// Nothing started: no lesson workspace was made, and the rest of the block stays free.
			expect(existsSync(join(home.dir, 'state', 'clusters'))).toBe(false);
			for (const port of [BASE + 1, BASE + 2, BASE + 4000]) expect(await isPortFree(port)).toBe(true);
		} finally {
			await new Promise((done) => holder.close(done));
		}
	});
});
