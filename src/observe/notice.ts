// "The moment each side notices" a partition (issue #14): while natslab holds a
// link cut, a node's own monitoring answers tell when it noticed – its /jsz
// stops naming a meta leader (JetStream: seconds), its /routez drops a route
// (the route's stale timeout: 60–90 s on 2.10+, minutes on 2.9.10). Only
// during a cut: the same answers after a stop or a restart are no news.

import { formatMs } from '../base/format.js';
import type { NodeName } from '../base/names.js';
import type { Draft } from './draft.js';
import type { TimelineEntry } from './state.js';

/**
 * Timeline notes of link changes, as lab.changeLinks writes them (cluster/links/table.ts
 * describeLinkOp). LabState holds no link table, so the links a note names are replayed from these
 * notes: a heal of n1–n2 leaves n3's isolation standing. A delay note leaves a cut as it was.
 */
const ISOLATED = /\b(n\d+) isolated: every link of it cut/;
const HEALED = /\b(n\d+) healed: every link of it open again/;
const LINK_CUT = /\blink (n\d+)–(n\d+) cut, both directions/;
const LINK_OPEN = /\blink (n\d+)–(n\d+) open again/;
const ALL_OPEN = /^every link open again/;

const pairKey = (a: NodeName, b: NodeName): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** Each link cut now ("n1|n3"), with the note that cut it (a second cut of a cut link keeps the first). */
export function cutLinks(
	timeline: readonly TimelineEntry[],
	nodes: readonly NodeName[],
): Map<string, TimelineEntry> {
	const cut = new Map<string, TimelineEntry>();
	const touching = (n: NodeName) => nodes.filter((o) => o !== n).map((o) => pairKey(n, o));
	for (const e of timeline) {
		if (e.kind !== 'note') continue;
		const iso = ISOLATED.exec(e.text);
		const healed = HEALED.exec(e.text);
		const link = LINK_CUT.exec(e.text);
		const open = LINK_OPEN.exec(e.text);
		if (iso?.[1]) for (const k of touching(iso[1])) if (!cut.has(k)) cut.set(k, e);
		if (healed?.[1]) for (const k of touching(healed[1])) cut.delete(k);
		if (link?.[1] && link[2] && !cut.has(pairKey(link[1], link[2]))) cut.set(pairKey(link[1], link[2]), e);
		if (open?.[1] && open[2]) cut.delete(pairKey(open[1], open[2]));
		if (ALL_OPEN.test(e.text)) cut.clear();
	}
	return cut;
}

/**
 * The cut `node` noticed: the newest note that cut one of its links to `peers` (all other nodes
 * when not given) and still stands. With `anyCut`, a cut elsewhere counts when none touches the
 * node (a node can lose the meta leader through a cut between others). Null when none stands.
 */
export function cutInEffect(
	timeline: readonly TimelineEntry[],
	nodes: readonly NodeName[],
	node: NodeName,
	opts: { peers?: readonly NodeName[]; anyCut?: boolean } = {},
): TimelineEntry | null {
	const cut = cutLinks(timeline, nodes);
	const peers = opts.peers ?? nodes.filter((o) => o !== node);
	const newest = (notes: TimelineEntry[]) =>
		notes.reduce<TimelineEntry | null>((a, b) => (a === null || b.at > a.at ? b : a), null);
	const own = newest(peers.flatMap((p) => cut.get(pairKey(node, p)) ?? []));
	return own ?? (opts.anyCut ? newest([...cut.values()]) : null);
}

function sinceCut(d: Draft, node: NodeName, opts: Parameters<typeof cutInEffect>[3]): string | null {
	const cut = cutInEffect(d.base.timeline, d.order, node, opts);
	return cut ? `${formatMs(d.at - cut.at)} after the cut` : null;
}

/** A node's own /jsz named a meta leader and now names none. */
export function noticeMetaLost(
	d: Draft,
	node: NodeName,
	named: NodeName | null,
	names: NodeName | null,
): void {
	if (named === null || names !== null) return;
	const since = sinceCut(d, node, { anyCut: true });
	if (since)
		d.entry('leader', `${node} noticed: its /jsz names no meta leader (named ${named}; ${since})`, { node });
}

/** A node's own /routez dropped routes to peers that are still running. */
export function noticeRoutesDropped(
	d: Draft,
	node: NodeName,
	before: readonly NodeName[] | null,
	after: readonly NodeName[],
): void {
	if (before === null) return;
	const gone = before.filter((p) => !after.includes(p) && d.node(p)?.process === 'up');
	if (gone.length === 0) return;
	const since = sinceCut(d, node, { peers: gone });
	if (since) d.entry('route', `${node} noticed: its /routez dropped ${gone.join(', ')} (${since})`, { node });
}
