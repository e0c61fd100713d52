// The one handler: what the user can fix is one line with its exit code, natslab's
// own bugs are `internal error` with exit 70 and the details in crash.log.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/base/errors.js';
import { reportFailure } from '../../../src/commands/report.js';

const home = mkdtempSync(join(tmpdir(), 'natslab-report-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function report(err: unknown): { code: number; stderr: string } {
	const stderr = new PassThrough();
	const code = reportFailure(err, { stderr, env: { NATSLAB_HOME: home } });
	return { code, stderr: stderr.read()?.toString() ?? '' };
}

function fsError(fn: () => void): unknown {
	try {
		fn();
	} catch (err) {
		return err;
	}
	throw new Error('no error');
}

describe('reportFailure', () => {
	it('prints a UserError as its first line, with its code', () => {
		expect(report(new UserError('cluster up: bad thing\nmore', 2))).toEqual({
			code: 2,
			stderr: 'natslab: cluster up: bad thing\n',
		});
	});

	it('turns a filesystem error on a user path into exit 3 naming the path', () => {
		const file = join(home, 'a-file');
		writeFileSync(file, 'x');
		const err = fsError(() => mkdirSync(join(file, 'sub')));
		const r = report(err);
		expect(r.code).toBe(3);
		expect(r.stderr).toBe(
			`natslab: ${file} is a file where natslab needs a folder (for ${join(file, 'sub')}): move it away or choose another path\n`,
		);
	});

	it('keeps a missing file of natslab’s own (a shipped asset) an internal error, logged with its stack', () => {
		const own = resolve(import.meta.dirname, '..', '..', '..', 'assets', 'no-such-template.conf');
		const err = fsError(() => readFileSync(own));
		const r = report(err);
		expect(r.code).toBe(70);
		const log = join(home, 'state', 'crash.log');
		expect(r.stderr).toBe(
			`natslab: internal error: ENOENT: no such file or directory, open '${own}' (details in ${log})\n`,
		);
		expect(readFileSync(log, 'utf8')).toContain('no-such-template.conf');
	});

	it('reports any other error as an internal error in one line', () => {
		const r = report(new TypeError('cannot read properties of undefined\n    at x'));
		expect(r.code).toBe(70);
		expect(r.stderr).toMatch(
			/^natslab: internal error: cannot read properties of undefined( \(details in .*\))?\n$/,
		);
	});
});
