// Secrets never reach output, logs, reports or recordings: every URL natslab
// prints or writes goes through here first.

/** The URL without `user:password@` and without a trailing slash (it is printed). */
export function redactUrl(url: string): string {
	try {
		const u = new URL(url);
		u.username = '';
		u.password = '';
		return u.toString().replace(/\/+$/, '');
	} catch {
		return url.replace(/\/\/[^@/]*@/, '//').replace(/\/+$/, '');
	}
}
