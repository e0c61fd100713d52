// NATS subject filters: whether two of them can catch the same message. The
// servers refuse a stream whose subjects overlap another stream's ("subjects
// overlap with an existing stream"), so a rehearsal checks before it starts.

/**
 * True when some subject matches both filters. Token by token: `*` matches one token, `>` (last
 * token only) one or more. `orders.>` and `*.created` overlap (orders.created); `a.*` and `a.b.c` do not.
 */
export function subjectsOverlap(a: string, b: string): boolean {
	const x = a.split('.');
	const y = b.split('.');
	for (let i = 0; ; i++) {
		const s = x[i];
		const t = y[i];
		if (s === undefined || t === undefined) return s === t;
		// `>` needs at least one token on the other side: it has one here (s, t are both defined).
		if (s === '>' || t === '>') return true;
		if (s !== t && s !== '*' && t !== '*') return false;
	}
}

/** The first of `subjects` (with its index) that overlaps one of `others`, and that one; null if none. */
export function firstOverlap(
	subjects: readonly string[],
	others: readonly string[],
): { index: number; subject: string; other: string } | null {
	for (const [index, subject] of subjects.entries()) {
		const other = others.find((o) => subjectsOverlap(subject, o));
		if (other !== undefined) return { index, subject, other };
	}
	return null;
}
