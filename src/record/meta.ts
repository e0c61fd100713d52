// Small facts a recording carries: natslab's own version, and no secrets.

import { readFileSync } from 'node:fs';
import { dropUserinfo } from '../base/redact.js';

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

/**
 * A URL to the end of its JSON string (escapes included: a password may hold `"` or `\`),
 * or to the next whitespace; a comma-separated list is split before the next scheme.
 */
const URL_IN_JSON = /[a-z][a-z0-9+.-]*:\/\/(?:[^\s"\\]|\\.)*/gi;
const NEXT_URL = /,(?=[a-z][a-z0-9+.-]*:\/\/)/i;

/** A JSON line with every URL's user and password taken out (base/redact.ts, up to the last `@`). */
export function redactSecrets(jsonLine: string): string {
	return jsonLine.replace(URL_IN_JSON, (run) => run.split(NEXT_URL).map(dropUserinfo).join(','));
}
