import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FROM_VERSION, DEFAULT_TO_VERSION } from '../../../src/base/versions.js';
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

	it('explains bad input in one line', () => {
		expect(parseSandboxArgs(['--version', 'latest'])).toEqual({
			error: '--version latest: not a nats-server release version like 2.10.27',
		});
		expect(parseSandboxArgs(['--upgrade-to', '2.9.10'])).toEqual({
			error: '--upgrade-to 2.9.10 is the version the cluster starts on',
		});
		expect(parseSandboxArgs(['--base-port', '80'])).toHaveProperty('error');
		expect(parseSandboxArgs(['--bogus'])).toHaveProperty('error');
	});

	it('prints help without a terminal, and a usage error as one line with exit code 2', async () => {
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
		expect(await sandboxCommand(['--version', 'x'], io)).toBe(2);
		expect(err.text().trim().split('\n')).toHaveLength(1);
	});
});
