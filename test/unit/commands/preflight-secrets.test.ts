// Secrets stay secret (issue #16): a user:password@ in the target or a --monitor URL is never
// printed, in text or JSON, even when nothing answers. Real sockets: 127.0.0.1 port 9 (discard) is
// closed here, so every request is refused at once.
import { describe, expect, it } from 'vitest';
import { preflightCommand } from '../../../src/commands/preflight.js';

async function run(args: string[]) {
	const out = { stdout: '', stderr: '' };
	const code = await preflightCommand(args, {
		stdout: { write: (s: string) => (out.stdout += s) },
		stderr: { write: (s: string) => (out.stderr += s) },
	});
	return { code, ...out };
}

describe('preflight never prints a password', () => {
	const url = 'http://ops:hunter2@127.0.0.1:9';
	it.each([[[]], [['--json']]])('not in the target, the URLs or the verdict %j', async (extra) => {
		const r = await run([url, '--monitor', url, ...extra]);
		expect(r.code).toBe(2); // could not tell: nothing answered
		expect(`${r.stdout}${r.stderr}`).not.toMatch(/hunter2|ops:/);
		expect(`${r.stdout}${r.stderr}`).toContain('127.0.0.1:9');
	});
});
