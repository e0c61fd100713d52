// The verifier's result in words, one home for every place that shows it (the
// timeline, the lesson waits and measures, the clients panel, the rehearsal
// report), so "stored more than once" is never left out of one of them.

import type { StoredMoreThanOnce, VerifyResult } from './events.js';

/** "abc-5 at 105, 140 (acked 105)"; a long run of copies as "at 4253, 4254, …, 4290 (38 copies)". */
function oneDuplicate(d: StoredMoreThanOnce): string {
	const seqs =
		d.seqs.length <= 5
			? d.seqs.join(', ')
			: `${d.seqs.slice(0, 2).join(', ')}, …, ${d.seqs.at(-1)} (${d.seqs.length} copies)`;
	return `${d.msgId} at ${seqs}${d.ackSeq === null ? ' (never acked)' : ` (acked ${d.ackSeq})`}`;
}

/**
 * "2 msgIDs stored more than once: abc-5 at 105, 140 (acked 105); abc-9 at 109, 141 (acked 109)", or
 * null when none was. A retry (or a resend after the stream's duplicate window) stored again: a real
 * server behaviour, not a loss.
 */
export function storedMoreThanOnceText(r: VerifyResult, most = 3): string | null {
	const count = r.storedMoreThanOnce ?? 0;
	if (count === 0) return null;
	const named = (r.duplicates ?? []).slice(0, most).map(oneDuplicate);
	const more = count > named.length ? `; ${count - named.length} more` : '';
	return `${count} msgID${count === 1 ? '' : 's'} stored more than once: ${named.join('; ')}${more}`;
}

/** "lost: abc-7 (acked 107)", naming the first few acked msgIDs the stream does not hold. */
export function lostText(r: VerifyResult, most = 3): string | null {
	if (r.ackedMissing === 0) return null;
	const named = (r.missing ?? []).slice(0, most).map((m) => `${m.msgId} (acked ${m.seq})`);
	if (named.length === 0) return null;
	const more = r.ackedMissing > named.length ? `; ${r.ackedMissing - named.length} more` : '';
	return `lost: ${named.join('; ')}${more}`;
}

/** The findings beyond the three counts, each a short clause (empty when there are none). */
export function verifyFindings(r: VerifyResult, most = 3): string[] {
	const out: string[] = [];
	const lost = lostText(r, most);
	if (lost) out.push(lost);
	const dup = storedMoreThanOnceText(r, most);
	if (dup) out.push(dup);
	if ((r.storedUnacked ?? 0) > 0) out.push(`stored without an ack ${r.storedUnacked}`);
	if (r.timedOutButStored > 0) out.push(`timed out but stored ${r.timedOutButStored}`);
	if ((r.givenUp ?? 0) > 0)
		out.push(`msgIDs given up while "in process" ${r.givenUp} (${r.givenUpStored ?? 0} of them stored)`);
	return out;
}

/** "acked 120, stored 122, acked but missing 0; 1 msgID stored more than once: …; timed out but stored 1". */
export function verifySummary(r: VerifyResult, most = 3): string {
	const counts = `acked ${r.acked}, stored ${r.stored}, acked but missing ${r.ackedMissing}`;
	const findings = verifyFindings(r, most);
	return findings.length > 0 ? `${counts}; ${findings.join('; ')}` : counts;
}
