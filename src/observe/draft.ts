// Copy-on-write access to a LabState for one reduce() call: handlers read and
// patch nodes, streams, probes…; only what really changes gets a new object,
// everything else is shared with the previous state. Never deep-clones.

import type { NodeName } from '../base/names.js';
import type { Evidence } from './events.js';
import type {
	ConsumerState,
	LabState,
	LogEntry,
	MetaState,
	NodeState,
	ProbeState,
	StreamState,
	TimelineEntry,
} from './state.js';

export const TIMELINE_LIMIT = 500;
export const LOG_LIMIT = 1000;

type Dict<T> = Record<string, T>;

/** Structural equality for the small values kept in state (primitives, arrays, flat objects). */
export function same(a: unknown, b: unknown): boolean {
	if (Object.is(a, b)) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Array.isArray(a) || Array.isArray(b)) {
		if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
		return a.every((v, i) => same(v, b[i]));
	}
	const ka = Object.keys(a);
	if (ka.length !== Object.keys(b).length) return false;
	return ka.every((k) => same((a as Dict<unknown>)[k], (b as Dict<unknown>)[k]));
}

function differs<T extends object>(cur: T, patch: Partial<T>): boolean {
	for (const k of Object.keys(patch) as (keyof T)[]) if (!same(cur[k], patch[k])) return true;
	return false;
}

/** A lazily copied record: the first write copies the record, later writes reuse the copy. */
class Table<T extends object> {
	private copy: Dict<T> | null = null;
	constructor(private readonly original: Dict<T>) {}
	get(key: string): T | undefined {
		return (this.copy ?? this.original)[key];
	}
	set(key: string, value: T): void {
		this.copy ??= { ...this.original };
		this.copy[key] = value;
	}
	patch(key: string, patch: Partial<T>): boolean {
		const cur = this.get(key);
		if (!cur || !differs(cur, patch)) return false;
		this.set(key, { ...cur, ...patch });
		return true;
	}
	keys(): string[] {
		return Object.keys(this.copy ?? this.original);
	}
	result(): Dict<T> {
		return this.copy ?? this.original;
	}
	get changed(): boolean {
		return this.copy !== null;
	}
}

export class Draft {
	readonly nodes: Table<NodeState>;
	readonly streams: Table<StreamState>;
	readonly consumers: Table<ConsumerState>;
	readonly probes: Table<ProbeState>;
	order: NodeName[];
	probeOrder: string[];
	meta: MetaState;
	routes: Record<string, 'up' | 'down'>;
	warnings: LabState['warnings'];
	private readonly added: TimelineEntry[] = [];
	private touched = false;

	constructor(
		readonly base: LabState,
		/** Time of the event being folded in. */
		readonly at: number,
		/** Evidence of that event, used for every timeline entry it causes unless told otherwise. */
		readonly evidence: Evidence,
	) {
		this.nodes = new Table(base.cluster.nodes);
		this.streams = new Table(base.cluster.streams);
		this.consumers = new Table(base.cluster.consumers);
		this.probes = new Table(base.clients.probes);
		this.order = base.cluster.order;
		this.probeOrder = base.clients.order;
		this.meta = base.cluster.meta;
		this.routes = base.cluster.routes ?? {};
		this.warnings = base.warnings;
	}

	node(name: NodeName): NodeState | undefined {
		return this.nodes.get(name);
	}

	patchNode(name: NodeName, patch: Partial<NodeState>): boolean {
		return this.nodes.patch(name, patch);
	}

	setMeta(patch: Partial<MetaState>): void {
		if (differs(this.meta, patch)) this.meta = { ...this.meta, ...patch };
	}

	/** Mark the state as changed even if no table changed (e.g. addressBook, counters elsewhere). */
	touch(): void {
		this.touched = true;
	}

	entry(
		kind: TimelineEntry['kind'],
		text: string,
		opts: { node?: NodeName; probe?: string; evidence?: Evidence } = {},
	): void {
		const e: TimelineEntry = { at: this.at, text, kind, evidence: opts.evidence ?? this.evidence };
		if (opts.node !== undefined) e.node = opts.node;
		if (opts.probe !== undefined) e.probe = opts.probe;
		this.added.push(e);
	}

	get entriesAdded(): number {
		return this.added.length;
	}

	/** The new state, or the base state itself when nothing changed. */
	finish(log?: Omit<LogEntry, 'id' | 'transition'>): LabState {
		const b = this.base;
		const clusterChanged =
			this.nodes.changed ||
			this.streams.changed ||
			this.consumers.changed ||
			this.order !== b.cluster.order ||
			this.meta !== b.cluster.meta ||
			this.routes !== (b.cluster.routes ?? {});
		const clientsChanged = this.probes.changed || this.probeOrder !== b.clients.order;
		const changed =
			clusterChanged ||
			clientsChanged ||
			this.added.length > 0 ||
			log !== undefined ||
			this.warnings !== b.warnings ||
			this.touched;
		if (!changed) return b;
		const next: LabState = {
			...b,
			now: Math.max(b.now, this.at),
			warnings: this.warnings,
		};
		if (clusterChanged) {
			next.cluster = {
				...b.cluster,
				order: this.order,
				nodes: this.nodes.result(),
				meta: this.meta,
				streams: this.streams.result(),
				consumers: this.consumers.result(),
				routes: this.routes,
			};
		}
		if (clientsChanged) next.clients = { probes: this.probes.result(), order: this.probeOrder };
		if (this.added.length > 0) next.timeline = insertByTime(b.timeline, this.added, TIMELINE_LIMIT);
		if (log) {
			const entry: LogEntry = { ...log, id: b.nextLogId, transition: this.added.length > 0 };
			next.logs = appendBounded(b.logs, [entry], LOG_LIMIT);
			next.nextLogId = b.nextLogId + 1;
		}
		return next;
	}
}

/**
 * Timeline entries are kept in time order: log lines reach us up to a poll tick later than the
 * monitoring answers and process events they belong with, so a late entry is slotted in.
 */
function insertByTime(list: TimelineEntry[], add: TimelineEntry[], limit: number): TimelineEntry[] {
	let out = appendBounded(list, add, limit);
	for (let i = out.length - add.length; i < out.length; i++) {
		const e = out[i] as TimelineEntry;
		let j = i;
		while (j > 0 && (out[j - 1] as TimelineEntry).at > e.at) j--;
		if (j === i) continue;
		if (out === list) out = [...out];
		out.splice(i, 1);
		out.splice(j, 0, e);
	}
	return out;
}

function appendBounded<T>(list: T[], add: T[], limit: number): T[] {
	const total = list.length + add.length;
	const drop = Math.max(0, total - limit);
	if (drop === 0) return [...list, ...add];
	return [...list.slice(drop), ...add].slice(-limit);
}
