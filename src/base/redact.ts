// Secrets never reach output, logs, reports or recordings: every URL natslab
// prints or writes goes through here first. A password may hold `/`, `?`, `"`,
// `\` or `@` unencoded, and `new URL` then reads part of it as a port or a path:
// so the user:password is whatever lies between `://` and the LAST `@`, taken out
// before anything parses the URL.

const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^\s]*@/i;

/** The URL without anything up to its last `@` (user:password), as written. */
export function dropUserinfo(url: string): string {
	return url.replace(USERINFO, '$1');
}

/** The URL without `user:password@` and without a trailing slash (it is printed). */
export function redactUrl(url: string): string {
	const bare = dropUserinfo(url);
	try {
		return new URL(bare).toString().replace(/\/+$/, '');
	} catch {
		return bare.replace(/\/+$/, '');
	}
}
