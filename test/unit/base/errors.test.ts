// The one error type: exit codes, `cause`, and filesystem errors on the user's
// paths turned into one line naming the path and the fix (real fs errors).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT, fsUserError, isUserError, UserError, withFsErrors } from '../../../src/base/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'natslab-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('UserError', () => {
	it('defaults to exit 1, takes a code or options with a cause, and is told apart by isUserError', () => {
		const cause = new Error('low level');
		expect(new UserError('x').exitCode).toBe(EXIT.failed);
		expect(new UserError('x', 2).exitCode).toBe(EXIT.usage);
		const e = new UserError('x', { exitCode: EXIT.environment, cause });
		expect(e.exitCode).toBe(3);
		expect(e.cause).toBe(cause);
		expect(isUserError(e)).toBe(true);
		expect(isUserError(new Error('x'))).toBe(false);
		expect(isUserError('x')).toBe(false);
	});
});

describe('filesystem errors on user paths', () => {
	it('ENOTDIR names the file in the way and the path natslab needed, exit 3, cause kept', () => {
		const file = join(dir, 'state');
		writeFileSync(file, 'x');
		let caught: unknown;
		try {
			mkdirSync(join(file, 'clusters', 'sandbox'), { recursive: true });
		} catch (err) {
			caught = err;
		}
		const e = fsUserError(caught);
		expect(isUserError(e)).toBe(true);
		expect((e as UserError).exitCode).toBe(EXIT.environment);
		expect((e as UserError).message).toBe(
			`${file} is a file where natslab needs a folder (for ${join(file, 'clusters', 'sandbox')}): move it away or choose another path`,
		);
		expect((e as UserError).cause).toBe(caught);
	});

	it('ENOENT and EISDIR through withFsErrors name the path and say what it is for', async () => {
		const { readFile } = await import('node:fs/promises');
		await expect(
			withFsErrors('the report', join(dir, 'nope.md'), () => readFile(join(dir, 'nope.md'))),
		).rejects.toMatchObject({
			name: 'UserError',
			exitCode: 3,
			message: `the report: ${join(dir, 'nope.md')} does not exist: create it or choose another path`,
		});
		await expect(withFsErrors('the report', dir, () => readFile(dir))).rejects.toMatchObject({
			message: `the report: ${dir} is a folder where natslab needs a file: remove it or choose another path`,
		});
	});

	it('leaves errors that are not the user’s to fix as they are (they stay internal)', () => {
		const bug = new TypeError('undefined is not a function');
		expect(fsUserError(bug)).toBe(bug);
		const odd = Object.assign(new Error('x'), { code: 'ERR_SOMETHING' });
		expect(fsUserError(odd)).toBe(odd);
	});
});
