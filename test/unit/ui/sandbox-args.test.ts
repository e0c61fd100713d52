import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FROM_VERSION, DEFAULT_TO_VERSION } from '../../../src/base/versions.js';
import { runCommand } from '../../../src/commands/main.js';
import { parseSandboxArgs, sandboxCommand } from '../../../src/commands/sandbox.js';
import type { ScreenIo } from '../../../src/ui/run.js';

function sink() {
	let text = '';
	const stream = new Writable({
		write(chunk, _enc, done) {
			text += chunk.toString();
			done();
		},
	});
	return { stream, text: () => text };
}

describe('natslab sandbox arguments', () => {
	it('defaults to the course pair', () => {
		expect(parseSandboxArgs([])).toEqual({
			version: DEFAULT_FROM_VERSION,
			upgradeTo: DEFAULT_TO_VERSION,
			basePort: undefined,
			help: false,
		});
	});

	it('takes versions with or without v, and a base port', () => {
		expect(
			parseSandboxArgs(['--version', 'v2.10.27', '--upgrade-to', '2.15.1', '--base-port', '20400']),
		).toEqual({
			version: '2.10.27',
			upgradeTo: '2.15.1',
			basePort: 20400,
			help: false,
		});
	});

	it('has no default upgrade target when the start version is already newer', () => {
		expect(parseSandboxArgs(['--version', '2.15.1'])).toMatchObject({ upgradeTo: null });
	});

	it('explains bad input in one usage line (exit 2)', () => {
		const cases: [string[], string][] = [
			[
				['--version', 'latest'],
				'sandbox: --version latest: not a nats-server release version like 2.10.27 (see natslab sandbox --help)',
			],
			[
				['--upgrade-to', '2.9.10'],
				'sandbox: --upgrade-to 2.9.10 is the version the cluster starts on (see natslab sandbox --help)',
			],
			[
				['--base-port', '80'],
				'sandbox: --base-port 80: needs a whole number from 1024 to 61533 (see natslab sandbox --help)',
			],
			[['--bogus'], "sandbox: unknown option '--bogus' (see natslab sandbox --help)"],
			[['extra'], 'sandbox: unexpected argument "extra" (see natslab sandbox --help)'],
		];
		for (const [args, message] of cases) {
			expect(() => parseSandboxArgs(args)).toThrow(expect.objectContaining({ message, exitCode: 2 }));
		}
	});

	it('prints help generated from the option table without a terminal; a usage error is one line, exit 2', async () => {
		const out = sink();
		const err = sink();
		const io = {
			stdout: out.stream,
			stderr: err.stream,
			stdin: process.stdin,
			env: {},
		} as unknown as ScreenIo;
		expect(await sandboxCommand(['--help'], io)).toBe(0);
		expect(out.text()).toContain('natslab sandbox [--version V] [--upgrade-to V2] [--base-port N]');
		// The default closes the option's text, which wraps at 80 columns under its description.
		expect(out.text()).toMatch(/^ {2}--base-port N +client ports N\.\.N\+2[\s\S]*?\(default\s+14222\)$/m);
		expect(out.text()).toMatch(/^ {2}-h, --help +show this help$/m);
		expect(await runCommand(['sandbox', '--version', 'x'], io)).toBe(2);
		expect(err.text().trim().split('\n')).toHaveLength(1);
	});
});
