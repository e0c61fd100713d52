import { describe, expect, it } from 'vitest';
import { isUserError } from '../../../src/base/errors.js';
import { expectChecksum, parseChecksums, parseVersionOutput } from '../../../src/servers/verify.js';

const A = 'a'.repeat(64);
const B = 'B'.repeat(64);

describe('parseChecksums', () => {
	it('reads sha256sum lines in text and binary mode, CRLF too', () => {
		const sums = parseChecksums(
			`${A}  nats-server-v2.10.27-linux-amd64.tar.gz\r\n${B} *nats-server-v2.10.27-windows-amd64.zip\n\n`,
		);
		expect(sums.get('nats-server-v2.10.27-linux-amd64.tar.gz')).toBe(A);
		expect(sums.get('nats-server-v2.10.27-windows-amd64.zip')).toBe('b'.repeat(64)); // lowercased
		expect(sums.size).toBe(2);
	});

	it('ignores lines that are not checksums (short hash, no name, comments)', () => {
		const sums = parseChecksums(
			`# comment\n${'c'.repeat(63)}  short.tar.gz\n${A}\nnot a line\n${A}  ./ok.tar.gz\n`,
		);
		expect([...sums.keys()]).toEqual(['ok.tar.gz']);
	});
});

describe('expectChecksum', () => {
	it('passes equal hashes regardless of case', () => {
		expect(() => expectChecksum('x', A.toUpperCase(), A)).not.toThrow();
	});

	it('names the file and both hashes on a mismatch', () => {
		let err: unknown;
		try {
			expectChecksum('nats-server-v2.10.27-linux-amd64.tar.gz from github', A, 'd'.repeat(64));
		} catch (e) {
			err = e;
		}
		expect(isUserError(err)).toBe(true);
		expect((err as Error).message).toBe(
			`checksum mismatch for nats-server-v2.10.27-linux-amd64.tar.gz from github: expected sha256 ${A}, got ${'d'.repeat(64)}`,
		);
	});
});

describe('parseVersionOutput', () => {
	it('reads what real servers print', () => {
		expect(parseVersionOutput('nats-server: v2.9.10\n')).toBe('2.9.10');
		expect(parseVersionOutput('nats-server: v2.10.27')).toBe('2.10.27');
		expect(parseVersionOutput('nats-server: v2.11.0-RC.1')).toBe('2.11.0-RC.1');
	});

	it('rejects anything else', () => {
		expect(parseVersionOutput('Usage: nats-server [options]')).toBeNull();
		expect(parseVersionOutput('hello')).toBeNull();
		expect(parseVersionOutput('')).toBeNull();
	});
});
