// No password is ever printed or recorded, whatever it holds: `/`, `?`, `"`, `\`
// and `@` unencoded make `new URL` read part of it as a port or a path, so the
// user:password is everything up to the LAST `@` (base/redact.ts), in a printed
// URL and in a recording's JSON line (record/meta.ts) alike.
import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../../src/base/redact.js';
import { redactSecrets } from '../../../src/record/meta.js';

const PASSWORDS = ['p/ss', '12/ss', 'p?ss', 'p"ss', 'p\\ss', 'p@ss', 'a/b@c"d\\e', 'plain'];

describe('redactUrl', () => {
	it.each(PASSWORDS)('takes out the password %s', (password) => {
		const out = redactUrl(`nats://sys:${password}@h.example:4222`);
		expect(out).toBe('nats://h.example:4222');
		expect(out).not.toContain('sys');
	});

	it('keeps a URL without credentials as it was (trailing slash dropped)', () => {
		expect(redactUrl('http://h1:8222/')).toBe('http://h1:8222');
		expect(redactUrl('nats://10.0.0.1:4222')).toBe('nats://10.0.0.1:4222');
	});
});

describe('redactSecrets (a recording line)', () => {
	it.each(PASSWORDS)('takes out the password %s from a JSON line, lists and text included', (password) => {
		const url = `nats://sys:${password}@h1:4222`;
		const line = JSON.stringify({
			t: 1,
			lab: {
				kind: 'note',
				text: `could not connect to ${url}: timeout`,
				how: `over NATS (${url},nats://u:${password}@h2:4222)`,
			},
		});
		const out = redactSecrets(line);
		expect(out).not.toContain(JSON.stringify(password).slice(1, -1));
		expect(out).not.toContain('sys:');
		const back = JSON.parse(out) as { lab: { text: string; how: string } };
		expect(back.lab.text).toBe('could not connect to nats://h1:4222: timeout');
		expect(back.lab.how).toBe('over NATS (nats://h1:4222,nats://h2:4222)');
	});
});
