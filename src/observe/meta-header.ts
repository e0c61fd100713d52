// What the header says about the meta group: the servers' own view (meta-view.ts)
// first, natslab's knowledge after it and marked as natslab's. Only before any
// server has answered /jsz (start-up, a replay of logs) does it fall back to
// natslab's picture built from logs and process events.
// Definitions: docs/screen-definitions.md.

import { formatDuration } from '../base/format.js';
import type { NodeName } from '../base/names.js';
import { majorityOf } from '../monitoring/raft-group.js';
import { answersNow, serversMetaLeader, serversMetaQuorum } from './meta-view.js';
import { metaLeaderAgeMs, metaLeaderDoubt, metaQuorumText } from './selectors.js';
import type { LabState, NodeState } from './state.js';

export type Tone = 'ok' | 'bad' | 'doubt' | 'unknown';

export interface MetaHeader {
	quorum: { text: string; tone: Tone };
	leader: { text: string; tone: Tone };
	/** What natslab knows that the servers do not say (yet): " · natslab: n3 killed 2s ago". */
	note: string;
	/** Who disagrees, or whom the leader counts out: " (n1 sees none)", " · n3 not current per n1". */
	detail: string;
}

/** `quiz`: a lesson question is open and "(needs 2)" would answer one. */
export function metaHeader(s: LabState, now: number = s.now, quiz = false): MetaHeader {
	const needs = (n: number) => (quiz ? '' : ` (needs ${n})`);
	const view = serversMetaLeader(s.cluster);
	const since = formatDuration(now - (s.cluster.meta.servers?.since ?? now));
	const size = s.cluster.order.length;
	const unknownQuorum = {
		text: `meta quorum ?/${size}${needs(majorityOf(size))}`,
		tone: 'unknown' as const,
	};
	// natslab's own count (members up and routed), where no server's answer can count it but none
	// contradicts it either: before the leader's /jsz has answered, or while no leader is named.
	const ownCount: MetaHeader['quorum'] = {
		text: quiz ? metaQuorumText(s).replace(/ \(needs \d+\)/, '') : metaQuorumText(s),
		tone: s.cluster.meta.quorum.ok ? 'ok' : 'bad',
	};
	switch (view.kind) {
		case 'unknown': {
			const meta = s.cluster.meta;
			const age = formatDuration(metaLeaderAgeMs(s, now));
			return {
				quorum: ownCount,
				leader: meta.leader
					? { text: `meta leader ${meta.leader} for ${age}`, tone: 'ok' }
					: { text: `no meta leader for ${age}`, tone: 'bad' },
				note: '',
				detail: metaLeaderDoubt(s),
			};
		}
		case 'agreed': {
			if (answering(s, view.leader)) return leading(s, view.leader, since, ownCount, needs, '');
			return {
				quorum: unknownQuorum,
				leader: { text: `meta leader ${view.leader} (per ${view.per.join(',')})`, tone: 'doubt' },
				note: natslabNote(s, view.leader, now),
				detail: '',
			};
		}
		case 'none':
			return {
				quorum: ownCount,
				leader: { text: `no meta leader for ${since}`, tone: 'bad' },
				note: '',
				detail: '',
			};
		case 'split': {
			if (view.leader !== undefined) {
				const odd = view.views.filter((v) => v.leader !== view.leader);
				const doubt = ` (${odd.map((v) => `${v.node} sees ${v.leader ?? 'none'}`).join(', ')})`;
				return leading(s, view.leader, since, ownCount, needs, doubt);
			}
			const who = view.views.map((v) => `${v.node}→${v.leader ?? 'none'}`).join(' ');
			const gone = view.views.find((v) => v.leader !== null && !answering(s, v.leader))?.leader;
			return {
				quorum: unknownQuorum,
				leader: { text: `meta leader split: ${who}`, tone: 'doubt' },
				note: gone ? natslabNote(s, gone, now) : '',
				detail: '',
			};
		}
	}
}

/** The servers name `leader`, which answers: its own count of the quorum, and how long it has led. */
function leading(
	s: LabState,
	leader: NodeName,
	since: string,
	ownCount: MetaHeader['quorum'],
	needs: (n: number) => string,
	doubt: string,
): MetaHeader {
	const q = serversMetaQuorum(s.cluster);
	return {
		quorum: q
			? {
					text: `meta quorum ${q.current}/${q.size}${needs(q.needed)}${q.ok ? '' : ' – lost'}`,
					tone: q.ok ? 'ok' : 'bad',
				}
			: ownCount,
		leader: { text: `meta leader ${leader} for ${since}`, tone: 'ok' },
		note: '',
		// Which member the leader's count leaves out, in its own words (`current: false`).
		detail: `${doubt}${q && q.behind.length > 0 ? ` · ${q.behind.join(',')} not current per ${leader}` : ''}`,
	};
}

function answering(s: LabState, name: NodeName): boolean {
	const n = s.cluster.nodes[name];
	return n !== undefined && answersNow(n.process);
}

/** " · natslab: n3 killed 2s ago" for a leader the servers name whose process natslab saw go or freeze. */
function natslabNote(s: LabState, name: NodeName, now: number): string {
	const n = s.cluster.nodes[name];
	if (!n) return '';
	const departed = s.cluster.meta.servers?.departed;
	const mine = departed?.node === name ? departed : null;
	const how = mine?.how ?? processWord(n);
	return ` · natslab: ${name} ${how} ${formatDuration(now - (mine?.at ?? n.since))} ago`;
}

function processWord(n: NodeState): string {
	if (n.process === 'paused') return 'paused';
	if (n.exit?.signal === 'SIGKILL') return 'killed';
	if (n.process === 'stopping') return 'stopping';
	return n.process === 'exited' ? 'exited' : 'down';
}

/**
 * The meta badge of a node row, as the servers report it: '◆META' on the leader they agree on
 * while it answers, '◇META' on a leader only others still name (frozen, gone, or a split view).
 * Before any /jsz answer, natslab's own leader.
 */
export function metaBadge(s: LabState, name: NodeName): string | null {
	const view = serversMetaLeader(s.cluster);
	switch (view.kind) {
		case 'unknown':
			return s.cluster.nodes[name]?.isMetaLeader ? '◆META' : null;
		case 'none':
			return null;
		case 'agreed':
			if (view.leader !== name) return null;
			return answering(s, name) ? '◆META' : '◇META';
		case 'split':
			if (view.leader === name) return '◆META';
			return view.views.some((v) => v.leader === name) ? '◇META' : null;
	}
}
