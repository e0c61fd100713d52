// The pieces of the one crash path that can be checked without ending the test
// process (the endings themselves run against the real program in
// test/integration/closed-output.test.ts): writes to a closed stream never
// throw, and a closed output is told apart from a crash.

import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isClosedOutputError, writeSafely } from '../../../src/lab/cleanup.js';

describe('writeSafely', () => {
	it('writes to an open stream', () => {
		const s = new PassThrough();
		expect(writeSafely(s, 'hello\n')).toBe(true);
		expect(s.read()?.toString()).toBe('hello\n');
	});

	it('skips a destroyed or ended stream instead of throwing or erroring again', () => {
		const destroyed = new PassThrough();
		destroyed.on('error', () => {});
		destroyed.destroy();
		expect(writeSafely(destroyed, 'x')).toBe(false);
		const ended = new PassThrough();
		ended.end();
		expect(writeSafely(ended, 'x')).toBe(false);
	});

	it('swallows a write that throws (a dead terminal)', () => {
		const dead = new Writable();
		dead.write = () => {
			throw Object.assign(new Error('write EIO'), { code: 'EIO' });
		};
		expect(writeSafely(dead, 'x')).toBe(false);
	});
});

describe('isClosedOutputError', () => {
	it('is EPIPE, EIO and writes after them; anything else is a crash', () => {
		for (const code of ['EPIPE', 'EIO', 'ERR_STREAM_DESTROYED']) {
			expect(isClosedOutputError(Object.assign(new Error(code), { code }))).toBe(true);
		}
		expect(isClosedOutputError(Object.assign(new Error('x'), { code: 'ENOTDIR' }))).toBe(false);
		expect(isClosedOutputError(new TypeError('x is not a function'))).toBe(false);
		expect(isClosedOutputError('EPIPE')).toBe(false);
	});
});
