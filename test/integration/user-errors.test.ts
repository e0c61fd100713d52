// User problems are reported as the user's, by the real program (`node dist/cli.js`,
// so `npm run build` first): one line naming the path or the input and the fix,
// with the documented exit code (README "Exit codes"); 70 is for natslab's own bugs.
// Before: a state path that is a file gave `natslab: internal error: ENOTDIR … run.json`,
// exit 70; `servers add /etc/passwd` printed execa's raw text.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FROM_VERSION } from '../../src/base/versions.js';
import { binaryDir } from '../support/binaries.js';
import { TEST_BASE_PORTS } from '../support/ports.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = process.env.NATSLAB_TEST_CLI ?? join(ROOT, 'dist', 'cli.js');

describe('user problems are reported as such, with the documented exit codes', () => {
	let home: string;

	function natslab(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
		const env: NodeJS.ProcessEnv = { ...process.env, NATSLAB_HOME: home, NO_COLOR: '1', ...extraEnv };
		delete env.NATSLAB_MIRROR;
		const r = spawnSync(process.execPath, [CLI, ...args], {
			cwd: ROOT,
			env,
			encoding: 'utf8',
			timeout: 60_000,
		});
		return { code: r.status, stdout: r.stdout, stderr: r.stderr };
	}

	beforeAll(() => {
		home = mkdtempSync(join(tmpdir(), 'natslab-usererr-'));
		mkdirSync(join(home, 'cache', 'servers'), { recursive: true });
		symlinkSync(
			join(binaryDir(), DEFAULT_FROM_VERSION),
			join(home, 'cache', 'servers', DEFAULT_FROM_VERSION),
		);
	});

	afterAll(() => {
		rmSync(home, { recursive: true, force: true });
	});

	it('a state folder that is a file: exit 3, one line naming the file and the fix, not an internal error', () => {
		const state = join(home, 'state');
		writeFileSync(state, 'not a folder\n');
		try {
			const r = natslab(['cluster', 'up', '--base-port', String(TEST_BASE_PORTS.userErrors)]);
			expect(r.code).toBe(3);
			expect(r.stderr.trim().split('\n').at(-1)).toBe(
				`natslab: ${state} is a file where natslab needs a folder (for ${join(state, 'clusters', 'default')}): move it away or choose another path`,
			);
			expect(r.stderr).not.toContain('internal error');
		} finally {
			rmSync(state, { force: true });
		}
	});

	it('servers add of a file that is not a program: exit 2, the path and what to give instead', () => {
		const r = natslab(['servers', 'add', '/etc/passwd']);
		expect(r.code).toBe(2);
		expect(r.stderr).toBe(
			'natslab: /etc/passwd is not executable, so it is not a nats-server binary natslab can run: give the path to one (or chmod +x it if it is one)\n',
		);
	});

	it('an option before the command word gets a usage line that shows where it goes (exit 2)', () => {
		const r = natslab(['--base-port', '23100', 'sandbox']);
		expect(r.code).toBe(2);
		expect(r.stderr).toBe(
			'natslab: options go after the command word, e.g. natslab sandbox --base-port 23100 (see natslab --help)\n',
		);
		expect(natslab(['frobnicate']).stderr).toBe(
			'natslab: unknown command "frobnicate" (see natslab --help)\n',
		);
	});

	it('bad option values are usage errors in one line (exit 2), the same base-port rule everywhere', () => {
		for (const args of [
			['sandbox', '--base-port', '80'],
			['learn', '1', '--auto', '--base-port', '80'],
			['rehearse', '--base-port', '80'],
			['cluster', 'up', '--base-port', '80'],
		]) {
			const r = natslab(args);
			const command = args[0] === 'cluster' ? 'cluster up' : args[0];
			expect(r.code, args.join(' ')).toBe(2);
			expect(r.stderr).toBe(
				`natslab: ${command}: --base-port 80: needs a whole number from 1024 to 61533 (see natslab ${command} --help)\n`,
			);
		}
	});
});
