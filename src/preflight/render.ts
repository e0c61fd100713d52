// The verdict as text (one headline, then one line per reason) and as JSON
// for scripts. Monitoring URLs are printed without user:password (gather.ts).

import { PREFLIGHT_EXIT, type ServerAnswers, type Verdict } from './types.js';

export function verdictText(v: Verdict): string {
	const lines: string[] = [];
	if (v.outcome === 'safe') {
		const c = v.checked;
		lines.push(
			`safe: ${v.target} may be taken down now (${c.servers} servers answered; it holds ${c.streams} stream${c.streams === 1 ? '' : 's'} and ${c.consumers} consumer${c.consumers === 1 ? '' : 's'}, each keeps a quorum of current replicas; the meta group keeps its majority)`,
		);
	} else if (v.outcome === 'not-safe') {
		lines.push(`not safe: ${v.target} may not be taken down now`);
		for (const r of v.reasons) lines.push(`  ${r.asset}: ${r.text}`);
		for (const u of v.unknown) lines.push(`  could not tell: ${u}`);
	} else {
		lines.push(`could not tell whether ${v.target} may be taken down: ${v.unknown.join('; ')}`);
	}
	for (const n of v.notes) lines.push(`  note: ${n}`);
	return `${lines.join('\n')}\n`;
}

/** One line while --wait waits: the first reason. */
export function waitingLine(v: Verdict): string {
	const first =
		v.outcome === 'not-safe'
			? `${v.reasons[0]?.asset}: ${v.reasons[0]?.text}`
			: v.outcome === 'unknown'
				? v.unknown[0]
				: 'safe';
	return `preflight: waiting (${v.outcome === 'not-safe' ? 'not safe' : 'could not tell'}: ${first})\n`;
}

export function verdictJson(v: Verdict, servers: ServerAnswers[]): string {
	const body = {
		...v,
		safe: v.outcome === 'safe',
		exitCode: PREFLIGHT_EXIT[v.outcome],
		servers: servers.map((s) => ({
			url: s.url,
			name: s.name,
			version: s.version,
			...(s.error ? { error: s.error } : {}),
			...(s.jsz ? { metaLeader: s.jsz.metaLeader } : {}),
			...(s.healthz ? { healthz: s.healthz } : {}),
			...(s.metaHealthz ? { metaHealthz: s.metaHealthz } : {}),
			...(s.routePeers ? { routes: s.routePeers } : {}),
		})),
	};
	return `${JSON.stringify(body, null, 2)}\n`;
}
