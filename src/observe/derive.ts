// Facts that follow from the others and are re-checked after every event:
// a leader whose process is gone, hung or draining cannot stay the leader,
// who leads what, which node pairs are routed, and the meta quorum.

import { formatElapsed } from '../base/format.js';
import type { NodeName } from '../base/names.js';
import { majorityOf } from '../monitoring/raft-group.js';
import type { Draft } from './draft.js';
import type { Evidence } from './events.js';
import { trackServersMeta } from './meta-view.js';
import type { MetaState, NodeState, ProcessState } from './state.js';

/** A node in one of these states may hold a Raft leadership. */
export function canLead(p: ProcessState): boolean {
	return p === 'up' || p === 'starting';
}

/** The process exists (its sockets are open, even when it is frozen). */
export function isRunning(p: ProcessState): boolean {
	return p !== 'exited' && p !== 'down';
}

/** Its own monitoring answers can be believed as current. */
function observable(n: NodeState): boolean {
	return (
		n.process === 'up' || n.process === 'starting' || n.process === 'lameDuck' || n.process === 'stopping'
	);
}

const WHY: Record<ProcessState, string> = {
	up: 'up',
	starting: 'starting',
	lameDuck: 'lame duck',
	paused: 'paused',
	stopping: 'stopping',
	down: 'down',
	exited: 'exited',
};

export function pairKey(a: NodeName, b: NodeName): string {
	return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** Make `leader` the meta leader (if it can lead), with one timeline entry. */
export function electMeta(d: Draft, leader: NodeName, evidence: Evidence): void {
	const m = d.meta;
	if (m.leader === leader) return;
	const n = d.node(leader);
	if (!n || !canLead(n.process)) return;
	let text = `meta leader ${leader} elected`;
	if (m.leader !== null) text = `meta leader ${m.leader} → ${leader}`;
	// The number is how long no leader was known, not a hand-over time (docs/measurements.md): it says so.
	else if (m.previous === leader)
		text = `meta leader ${leader} again (${formatElapsed(d.at - m.since)} without a leader)`;
	else if (m.previous)
		text = `meta leader ${m.previous} → ${leader} (${formatElapsed(d.at - m.since)} without a leader)`;
	d.setMeta({ leader, since: d.at, previous: m.leader ?? m.previous ?? null, evidence });
	d.entry('leader', text, { node: leader, evidence });
}

export function loseMeta(d: Draft, why: string, evidence: Evidence): void {
	const old = d.meta.leader;
	if (old === null) return;
	d.setMeta({ leader: null, since: d.at, previous: old, evidence });
	d.entry('leader', `meta leader ${old} ${why}`, { node: old, evidence });
}

type Group = { kind: 'stream' | 'consumer'; key: string };

export function electGroup(d: Draft, g: Group, leader: NodeName | null, evidence: Evidence): void {
	const table = g.kind === 'stream' ? d.streams : d.consumers;
	const cur = table.get(g.key);
	if (!cur || cur.leader === leader) return;
	if (leader !== null) {
		const n = d.node(leader);
		if (!n || !canLead(n.process)) return;
	}
	const label = `${g.kind} ${g.key}`;
	let text: string;
	if (leader === null) text = `${label} has no leader (was ${cur.leader})`;
	else if (cur.leader !== null) text = `${label} leader ${cur.leader} → ${leader}`;
	else if (cur.previousLeader && cur.leaderSince !== null) {
		const gap = `${formatElapsed(d.at - cur.leaderSince)} without a leader`;
		text =
			cur.previousLeader === leader
				? `${label} leader ${leader} again (${gap})`
				: `${label} leader ${cur.previousLeader} → ${leader} (${gap})`;
	} else text = `${label} leader ${leader}`;
	table.patch(g.key, {
		leader,
		leaderSince: d.at,
		previousLeader: cur.leader ?? cur.previousLeader ?? null,
		noQuorum: leader === null ? cur.noQuorum : false,
	});
	d.entry('leader', text, { node: leader ?? cur.leader ?? undefined, evidence });
}

/** Re-derive everything that depends on process states, leaders and routes. */
export function settle(d: Draft): void {
	dropUnfitLeaders(d);
	assignRoles(d);
	updateRoutes(d);
	updateQuorum(d);
	trackServersMeta(d);
}

function dropUnfitLeaders(d: Draft): void {
	const leader = d.meta.leader;
	const ln = leader === null ? undefined : d.node(leader);
	if (leader !== null && (!ln || !canLead(ln.process))) {
		loseMeta(d, `lost (${leader} ${ln ? WHY[ln.process] : 'unknown'})`, d.evidence);
	}
	for (const [kind, table] of [
		['stream', d.streams],
		['consumer', d.consumers],
	] as const) {
		for (const key of table.keys()) {
			const s = table.get(key);
			if (!s || s.leader === null) continue;
			const n = d.node(s.leader);
			if (n && canLead(n.process)) continue;
			table.patch(key, { leader: null, leaderSince: d.at, previousLeader: s.leader });
			d.entry(
				'leader',
				`${kind} ${key} leader ${s.leader} lost (${s.leader} ${n ? WHY[n.process] : 'unknown'})`,
				{
					node: s.leader,
				},
			);
		}
	}
}

function assignRoles(d: Draft): void {
	const streams = d.streams.result();
	const consumers = d.consumers.result();
	for (const name of d.order) {
		const lead = {
			streams: Object.keys(streams).filter((k) => streams[k]?.leader === name),
			consumers: Object.keys(consumers).filter((k) => consumers[k]?.leader === name),
		};
		d.patchNode(name, { isMetaLeader: d.meta.leader === name, leads: lead });
	}
}

/** 'unknown' when neither side has a current /routez answer. */
export function pairState(d: Pick<Draft, 'node'>, a: NodeName, b: NodeName): 'up' | 'down' | 'unknown' {
	const na = d.node(a);
	const nb = d.node(b);
	if (!na || !nb || !isRunning(na.process) || !isRunning(nb.process)) return 'down';
	const views: boolean[] = [];
	if (observable(na) && na.routesSeenAt != null) views.push(na.peers.includes(b));
	if (observable(nb) && nb.routesSeenAt != null) views.push(nb.peers.includes(a));
	if (views.length === 0) return 'unknown';
	return views.some(Boolean) ? 'up' : 'down';
}

function updateRoutes(d: Draft): void {
	let routes = d.routes;
	for (let i = 0; i < d.order.length; i++) {
		for (let j = i + 1; j < d.order.length; j++) {
			const a = d.order[i] as NodeName;
			const b = d.order[j] as NodeName;
			const now = pairState(d, a, b);
			const key = pairKey(a, b);
			const was = routes[key] ?? 'down';
			if (now === 'unknown' || now === was) continue;
			if (routes === d.routes) routes = { ...routes };
			routes[key] = now;
			d.entry('route', `route ${a} ↔ ${b} ${now}`);
		}
	}
	d.routes = routes;
}

function updateQuorum(d: Draft): void {
	const members = d.order.filter((n) => {
		const s = d.node(n);
		return s !== undefined && s.process === 'up' && s.jetstream !== 'shutdown';
	});
	const reachable = largestGroup(d, members);
	const size = d.order.length;
	const needed = majorityOf(size);
	const quorum: MetaState['quorum'] = { reachable, size, needed, ok: reachable >= needed };
	const was = d.meta.quorum;
	d.setMeta({ quorum });
	if (was.ok !== quorum.ok) {
		d.entry(
			'quorum',
			`meta quorum ${quorum.ok ? 'ok' : 'lost'}: ${reachable}/${size} reachable (needs ${needed})`,
		);
	}
}

/** Largest set of members connected through routes (a pair not known to be down counts as routed). */
function largestGroup(d: Draft, members: NodeName[]): number {
	const seen = new Set<NodeName>();
	let best = 0;
	for (const start of members) {
		if (seen.has(start)) continue;
		let size = 0;
		const stack = [start];
		seen.add(start);
		while (stack.length > 0) {
			const cur = stack.pop() as NodeName;
			size++;
			for (const other of members) {
				if (seen.has(other) || pairState(d, cur, other) === 'down') continue;
				seen.add(other);
				stack.push(other);
			}
		}
		best = Math.max(best, size);
	}
	return best;
}
