// Small facts a recording carries: natslab's own version, and no secrets.

import { readFileSync } from 'node:fs';
import { redactUrl } from '../base/redact.js';

let version: string | null = null;

/** natslab's version from its package.json (src/record and dist/app are both two levels below it). */
export function natslabVersion(): string {
	if (version === null) {
		try {
			const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
				version?: string;
			};
			version = pkg.version ?? 'unknown';
		} catch {
			version = 'unknown';
		}
	}
	return version;
}

/** A URL with `user:password@` in it (inside a JSON line: no quotes, no backslashes). */
const URL_WITH_USER = /[a-z][a-z0-9+.-]*:\/\/[^\s"\\/@]+@[^\s"\\]*/gi;

/** A JSON line with every URL's user and password taken out (base/redact.ts's redactUrl). */
export function redactSecrets(jsonLine: string): string {
	return jsonLine.replace(URL_WITH_USER, (url) => redactUrl(url));
}
