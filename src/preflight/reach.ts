// Who answered, and who counts as up. A --monitor URL that did not answer
// could be any server, so once one is silent only the servers that answered
// count as up; when all answered, a server natslab was not given is judged by
// the group leaders' views alone.

import type { NodeName } from '../base/names.js';
import { atLeast } from '../base/versions.js';
import type { ServerAnswers } from './types.js';

/** The servers that answered, and who counts as up: a server that did not answer may be any name. */
export interface Reachability {
	answered: ServerAnswers[];
	names: Set<NodeName>;
	/** Some --monitor URL did not answer: a replica on a server that did not answer counts as down. */
	someSilent: boolean;
}

export function reachabilityOf(servers: ServerAnswers[]): Reachability {
	const answered = servers.filter((s): s is ServerAnswers & { name: NodeName } => s.name !== null);
	return {
		answered,
		names: new Set(answered.map((s) => s.name as NodeName)),
		someSilent: answered.length < servers.length,
	};
}

/** Up as far as the answers show: it answered, or every URL answered (it is one natslab was not given). */
export function reachable(r: Reachability, name: NodeName): boolean {
	return r.names.has(name) || !r.someSilent;
}

/** 2.11+ answers `/healthz?js-meta-only=true`; older servers are judged by their /jsz meta view. */
export function hasMetaOnlyHealthz(version: string | null): boolean {
	return version !== null && atLeast(version, '2.11.0');
}
