// "The moment each side notices" a partition (issue #14): while natslab holds a
// link cut, a node's own monitoring answers tell when it noticed – its /jsz
// stops naming a meta leader (JetStream: seconds), its /routez drops a route
// (the route's stale timeout: 60–90 s on 2.10+, minutes on 2.9.10). Only
// during a cut: the same answers after a stop or a restart are no news.

import { formatMs } from '../base/format.js';
import type { NodeName } from '../base/names.js';
import type { Draft } from './draft.js';
import type { TimelineEntry } from './state.js';

/** Timeline notes of link changes, as lab.changeLinks writes them (cluster/links/table.ts describeLinkOp). */
const CUT = /( isolated: | cut, both directions)/;
const OPENED = /( healed: |open again)/;

/** The newest link-cut note, unless a heal came after it (then no cut is in effect). */
export function cutInEffect(timeline: readonly TimelineEntry[]): TimelineEntry | null {
	for (let i = timeline.length - 1; i >= 0; i--) {
		const e = timeline[i];
		if (e?.kind !== 'note') continue;
		if (OPENED.test(e.text)) return null;
		if (CUT.test(e.text)) return e;
	}
	return null;
}

function sinceCut(d: Draft): string | null {
	const cut = cutInEffect(d.base.timeline);
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
	const since = sinceCut(d);
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
	const since = sinceCut(d);
	if (since) d.entry('route', `${node} noticed: its /routez dropped ${gone.join(', ')} (${since})`, { node });
}
