// natslab watch's command line: every misuse is one UserError line with the
// usage exit code (2), and a bad URL is echoed without its password.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../../src/base/errors.js';
import { watchCommand } from '../../../src/commands/watch.js';

const io = {
	stdout: process.stdout,
	stderr: process.stderr,
	stdin: process.stdin,
	env: {},
} as unknown as Parameters<typeof watchCommand>[1];

async function refusal(args: string[]): Promise<string> {
	try {
		await watchCommand(args, io);
	} catch (err) {
		if (isUserError(err)) {
			expect(err.exitCode).toBe(2);
			expect(err.message.split('\n')).toHaveLength(1);
			return err.message;
		}
		throw err;
	}
	throw new Error(`watch ${args.join(' ')} was not refused`);
}

describe('natslab watch usage', () => {
	it('refuses what cannot work, in one line, exit 2', async () => {
		expect(await refusal([])).toContain('--server nats://… (with a system-account user) or --monitor');
		expect(await refusal(['--server', 'nats://a:4222', '--monitor', 'http://a:8222'])).toContain(
			'give --server or --monitor, not both',
		);
		expect(await refusal(['--monitor', 'http://a:8222', '--json'])).toContain('--json needs --once');
		expect(await refusal(['--server', 'nats://a:4222', '--password', 'pw'])).toContain(
			'--password and --password-file need --user',
		);
		expect(await refusal(['--server', 'nats://a:4222', '--user', 'u', '--creds', 'x.creds'])).toContain(
			'give one of --user, --creds, --nkey',
		);
		const bad = await refusal(['--server', 'http://u:hunter2@a:8222']);
		expect(bad).toContain('needs nats:// URLs');
		expect(bad).not.toContain('hunter2');
	});

	it('--record to a path it cannot write: one line (exit 3), before the "connecting…" placeholder', async () => {
		const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 80, rows: 24 });
		let shown = '';
		stdout.on('data', (c) => {
			shown += String(c);
		});
		const tty = { ...io, stdout, stdin: { isTTY: true } } as unknown as Parameters<typeof watchCommand>[1];
		const args = ['--monitor', 'http://127.0.0.1:9', '--record', '/no-such-dir-natslab/x.jsonl'];
		const err = await watchCommand(args, tty).then(
			() => null,
			(e: unknown) => e,
		);
		expect(isUserError(err) && err.exitCode).toBe(3);
		expect((err as Error).message).toContain('--record');
		expect((err as Error).message.split('\n')).toHaveLength(1);
		expect(shown).toBe('');
	});
});
