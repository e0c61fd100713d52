// Which servers of a watched cluster are there. natslab did not start them, so
// there is no process to see: a server is up while it answers, a new server id
// under the same name is a new process (a restart), and it is gone when it says
// so ($SYS.SERVER.<id>.SHUTDOWN) or stops answering for GONE_MS. These become
// the reducer's process events (pid 0: not known from afar; the screen hides
// it), and what the server itself said becomes a timeline note in its words.

import type { NodeName } from '../base/names.js';
import type { LabEvent } from '../observe/events.js';

/** A server that does not answer this long is shown as gone (it may be partitioned, not dead: the note says so). */
export const GONE_MS = 3000;
/** Remote servers have no pid natslab knows. */
export const REMOTE_PID = 0;

export interface Sighting {
	name: NodeName;
	serverId: string;
	version: string;
	/** The server's own start time (/varz `start`); null when unreadable. */
	startedAt: number | null;
	/** /varz `cluster.name`; null for a server without a cluster block. */
	cluster: string | null;
}

interface Known {
	serverId: string;
	up: boolean;
	failingSince: number | null;
}

export class Presence {
	private readonly known = new Map<NodeName, Known>();
	/** Server ids that said SHUTDOWN: an answer still in flight from one is not a comeback. */
	private readonly ended = new Set<string>();

	constructor(
		private readonly emit: (e: LabEvent) => void,
		private readonly now: () => number = Date.now,
	) {}

	/** The server name that has this id now (events name servers by id). */
	nameOf(serverId: string): NodeName | null {
		for (const [name, k] of this.known) if (k.serverId === serverId) return name;
		return null;
	}

	names(): NodeName[] {
		return [...this.known.keys()];
	}

	/** It answered. `quiet`: the first sighting when watching starts (the process was already running). */
	saw(s: Sighting, quiet = false): void {
		if (this.ended.has(s.serverId)) return;
		const at = this.now();
		const k = this.known.get(s.name);
		if (k?.up && k.serverId === s.serverId) {
			k.failingSince = null;
			return;
		}
		if (k?.up) this.leave(s.name, at);
		// A server seen for the first time has been up since its own start time; a restart since now.
		const since = quiet && s.startedAt !== null && s.startedAt <= at ? s.startedAt : at;
		this.known.set(s.name, { serverId: s.serverId, up: true, failingSince: null });
		this.emit({
			kind: 'process',
			node: s.name,
			at: since,
			type: 'spawned',
			pid: REMOTE_PID,
			version: s.version,
		});
		this.emit({ kind: 'process', node: s.name, at: since, type: 'ready', pid: REMOTE_PID });
		if (quiet) return;
		const what = k
			? k.serverId === s.serverId
				? 'answers again'
				: 'is a new process (new server id): it restarted'
			: 'answers';
		this.note(s.name, `${s.name} ${what} (v${s.version}, server id ${s.serverId.slice(0, 8)}…)`, at);
	}

	/** It did not answer; after GONE_MS of that it is shown as gone. */
	failed(name: NodeName, why: string): void {
		const k = this.known.get(name);
		if (!k?.up) return;
		const at = this.now();
		k.failingSince ??= at;
		if (at - k.failingSince < GONE_MS) return;
		this.note(
			name,
			`${name} does not answer (${why}): gone from view (stopped, or cut off from natslab)`,
			at,
		);
		this.leave(name, at);
	}

	/** `$SYS.SERVER.<id>.SHUTDOWN`: the server's own word that it is going. */
	shutdown(serverId: string): void {
		this.ended.add(serverId);
		const name = this.nameOf(serverId);
		const k = name ? this.known.get(name) : undefined;
		if (!name || !k?.up) return;
		const at = this.now();
		this.note(name, `${name} is shutting down (its $SYS.SERVER.${serverId.slice(0, 8)}….SHUTDOWN event)`, at);
		this.leave(name, at);
	}

	/** `$SYS.SERVER.<id>.LAMEDUCK`: it entered lame duck mode (2.10+ sends it). */
	lameDuck(serverId: string): void {
		const name = this.nameOf(serverId);
		if (!name || !this.known.get(name)?.up) return;
		const at = this.now();
		this.emit({ kind: 'process', node: name, at, type: 'signalled', pid: REMOTE_PID, signal: 'ldm' });
		this.note(
			name,
			`${name} entered lame duck mode (its $SYS.SERVER.${serverId.slice(0, 8)}….LAMEDUCK event)`,
			at,
		);
	}

	private leave(name: NodeName, at: number): void {
		const k = this.known.get(name);
		if (!k?.up) return;
		k.up = false;
		k.failingSince = null;
		this.emit({ kind: 'process', node: name, at, type: 'exited', pid: REMOTE_PID, code: null, signal: null });
	}

	private note(node: NodeName, text: string, at: number): void {
		this.emit({ kind: 'note', at, text, node });
	}
}

/** A /varz body → a sighting (null when it names no server). */
export function sightingOf(json: unknown): Sighting | null {
	if (typeof json !== 'object' || json === null) return null;
	const v = json as Record<string, unknown>;
	const serverId = typeof v.server_id === 'string' ? v.server_id : null;
	const name = typeof v.server_name === 'string' && v.server_name !== '' ? v.server_name : serverId;
	if (!name || !serverId) return null;
	const cluster = (v.cluster as { name?: unknown } | undefined)?.name;
	const start = typeof v.start === 'string' ? Date.parse(v.start) : Number.NaN;
	return {
		name,
		serverId,
		version: typeof v.version === 'string' ? v.version : '?',
		startedAt: Number.isFinite(start) ? start : null,
		cluster: typeof cluster === 'string' && cluster !== '' ? cluster : null,
	};
}
