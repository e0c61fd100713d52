// Named diagnoses of conditions that the servers get into and do not leave on
// their own, derived from the LabStates the lab goes through. Measured here: a
// 2.10.27 node restarted among 2.9.10 peers sometimes ends with a route that
// one side lists and the other does not (~4 of 45 rehearsals), and once a
// replica that never caught up (lag 866 → 4997 over 4 min, `/jsz`
// current:false, `processRemoteSub Parse Error` beside the `$SYS` route errors)
// while its routes were up; a kill + start of that node fixed it at once.
// And once (1 of 4 courses under load; CI once): after losing quorum, the node
// brought back and the survivor stayed routed to each other, a majority of the
// meta group, and elected no meta leader for 45 s (both had voted for
// themselves in the same term, per their tav.idx), where a re-election takes
// 0.5–7.5 s (8 of 8 repeats of the same sequence, docs/nats-behavior.md).
//
// Pure: `trackDiagnoses(tracker, state, now)` folds one more state in,
// `diagnosesOf(tracker, now)` names what has held long enough. `now` is the
// caller's clock (default: the state's own time, which stands still while
// polls change nothing, so a live caller passes its clock).
// A condition must hold for a while so that a reconnect in flight or a replica
// still catching up after a restart is not named.

import { formatMs } from '../base/format.js';
import type { NodeName } from '../base/names.js';
import type { LabState, NodeState } from './state.js';

export type DiagnosisKind = 'one-way-route' | 'replica-stuck' | 'no-meta-election';

export interface Diagnosis {
	kind: DiagnosisKind;
	/** The node a restart fixes. */
	node: NodeName;
	/** When the condition began (state time). */
	since: number;
	heldMs: number;
	/** "n1 lists a route to n2 but n2 does not list n1". */
	summary: string;
	/** Which endpoints said what, which numbers. */
	evidence: string[];
	/** "restart n1: kill + start fixed it at once". */
	hint: string;
}

/** A diagnosis as results and reports carry it (without the live timing). */
export type DiagnosisNote = Pick<Diagnosis, 'kind' | 'node' | 'summary' | 'evidence' | 'hint'>;

export function diagnosisNote(d: Diagnosis): DiagnosisNote {
	return { kind: d.kind, node: d.node, summary: d.summary, evidence: d.evidence, hint: d.hint };
}

/** A route seen from one side only must last this long to be named. */
export const ONE_WAY_ROUTE_HOLD_MS = 10_000;
/** A replica must stay behind, not catching up, this long to be named. */
export const REPLICA_STUCK_HOLD_MS = 20_000;
/**
 * A routed majority with no meta leader must last this long to be named: a SIGKILL election
 * takes 4–9 s (election timeout), a quorum regained 0.5–7.5 s; 30 s is well past both.
 */
export const NO_META_ELECTION_HOLD_MS = 30_000;

interface OneWay {
	lister: NodeName;
	missing: NodeName;
	since: number;
}

interface Behind {
	stream: string;
	node: NodeName;
	leader: NodeName;
	since: number;
	firstLag: number;
	lastLag: number;
	current: boolean;
	offline: boolean;
}

/** A routed majority of the meta group, none of whom names a meta leader. */
interface Leaderless {
	members: NodeName[];
	since: number;
}

export interface DiagnosisTracker {
	now: number;
	oneWay: Record<string, OneWay>;
	behind: Record<string, Behind>;
	/** The servers named a meta leader at some point (a brand-new cluster may rightly wait for all). */
	hadLeader?: boolean;
	leaderless?: Leaderless | null;
	/** The last state folded in (for the evidence). */
	state: LabState | null;
}

export function initialDiagnosisTracker(): DiagnosisTracker {
	return { now: 0, oneWay: {}, behind: {}, hadLeader: false, leaderless: null, state: null };
}

const up = (n: NodeState | undefined): n is NodeState => n?.process === 'up';
/** /routez of the current process answered: its peer list means something. */
const routesKnown = (n: NodeState): boolean => n.routesSeenAt !== null && n.routesSeenAt !== undefined;

function upNodes(state: LabState): NodeState[] {
	return state.cluster.order.map((name) => state.cluster.nodes[name]).filter(up);
}

function trackOneWay(prev: Record<string, OneWay>, state: LabState, now: number): Record<string, OneWay> {
	const next: Record<string, OneWay> = {};
	const nodes = upNodes(state).filter(routesKnown);
	for (const a of nodes) {
		for (const b of nodes) {
			if (a === b || !a.peers.includes(b.name) || b.peers.includes(a.name)) continue;
			const key = `${a.name}>${b.name}`;
			next[key] = prev[key] ?? { lister: a.name, missing: b.name, since: now };
		}
	}
	return next;
}

/** Every other up node is routed to `n`, seen from either side. */
function routedToAll(state: LabState, n: NodeState): boolean {
	return upNodes(state).every((o) => o === n || n.peers.includes(o.name) || o.peers.includes(n.name));
}

function trackBehind(prev: Record<string, Behind>, state: LabState, now: number): Record<string, Behind> {
	const next: Record<string, Behind> = {};
	for (const [stream, st] of Object.entries(state.cluster.streams)) {
		const leader = st.leader;
		// Only the leader's own view knows whether the others are current.
		if (leader === null || (st.viewFrom != null && st.viewFrom !== leader)) continue;
		for (const r of st.replicas) {
			if (r.name === leader) continue;
			const node = state.cluster.nodes[r.name];
			const behind = !r.current || r.lag > 0;
			if (!behind || !up(node) || !routesKnown(node) || !routedToAll(state, node)) continue;
			const key = `${stream}|${r.name}`;
			const was = prev[key];
			const same = was !== undefined && was.leader === leader;
			next[key] = {
				stream,
				node: r.name,
				leader,
				since: same ? was.since : now,
				firstLag: same ? was.firstLag : r.lag,
				lastLag: r.lag,
				current: r.current,
				offline: r.offline,
			};
		}
	}
	return next;
}

/**
 * Up nodes that answered /routez, are routed to each other and make a majority of the meta
 * group, while none of them names a meta leader in its /jsz. Null otherwise.
 */
function leaderlessMajority(state: LabState): NodeName[] | null {
	const nodes = upNodes(state).filter(routesKnown);
	const routed = nodes.filter((n) => nodes.every((o) => o === n || n.peers.includes(o.name)));
	if (routed.length < state.cluster.meta.quorum.needed) return null;
	if (routed.some((n) => n.seesMetaLeader !== null)) return null;
	return routed.map((n) => n.name).sort();
}

function trackLeaderless(
	prev: Leaderless | null | undefined,
	state: LabState,
	now: number,
): Leaderless | null {
	const members = leaderlessMajority(state);
	if (members === null) return null;
	return prev && prev.members.join() === members.join() ? prev : { members, since: now };
}

const namesLeader = (state: LabState): boolean => upNodes(state).some((n) => n.seesMetaLeader !== null);

export function trackDiagnoses(
	t: DiagnosisTracker,
	state: LabState,
	now: number = state.now,
): DiagnosisTracker {
	const at = Math.max(t.now, now);
	if (state === t.state) return at === t.now ? t : { ...t, now: at };
	return {
		now: at,
		oneWay: trackOneWay(t.oneWay, state, at),
		behind: trackBehind(t.behind, state, at),
		hadLeader: t.hadLeader === true || namesLeader(state),
		leaderless: t.hadLeader === true ? trackLeaderless(t.leaderless, state, at) : null,
		state,
	};
}

/** Folds a whole sequence of states (tests, reports). */
export function diagnoseStates(states: Iterable<LabState>): Diagnosis[] {
	let t = initialDiagnosisTracker();
	for (const s of states) t = trackDiagnoses(t, s);
	return diagnosesOf(t);
}

function peersText(n: NodeState | undefined): string {
	if (!n) return 'unknown';
	return n.peers.length > 0 ? [...n.peers].sort().join(', ') : 'none';
}

/** Counts of the log lines seen beside the measured cases (`$SYS` route errors, processRemoteSub). */
function logEvidence(state: LabState): string[] {
	const out: string[] = [];
	for (const [key, w] of Object.entries(state.warnings)) {
		if (!/processRemoteSub|dedicated route for account/.test(key)) continue;
		// The reducer keys lines by level and normalised text ("ERR <addr> - rid:N - …").
		const text = key.startsWith(`${w.level} `) ? key.slice(w.level.length + 1) : key;
		out.push(`${w.count}× [${w.level}] ${text.length > 72 ? `${text.slice(0, 71)}…` : text}`);
	}
	return out.slice(0, 2);
}

/** The newer process of the two (it restarted last, so its restart is the cheaper fix). */
function newer(state: LabState, a: NodeName, b: NodeName): NodeName {
	const sa = state.cluster.nodes[a]?.since ?? 0;
	const sb = state.cluster.nodes[b]?.since ?? 0;
	return sb > sa ? b : a;
}

const restartHint = (node: NodeName) => `restart ${node}: kill + start fixed it at once`;

export function diagnosesOf(t: DiagnosisTracker, now: number = t.now): Diagnosis[] {
	const state = t.state;
	if (!state) return [];
	const out: Diagnosis[] = [];
	const logs = logEvidence(state);
	for (const w of Object.values(t.oneWay)) {
		const heldMs = now - w.since;
		if (heldMs < ONE_WAY_ROUTE_HOLD_MS) continue;
		const node = newer(state, w.lister, w.missing);
		out.push({
			kind: 'one-way-route',
			node,
			since: w.since,
			heldMs,
			summary: `${w.lister} lists a route to ${w.missing} but ${w.missing} does not list ${w.lister}`,
			evidence: [
				`${w.lister} /routez: ${peersText(state.cluster.nodes[w.lister])}`,
				`${w.missing} /routez: ${peersText(state.cluster.nodes[w.missing])}`,
				`held ${formatMs(heldMs)}`,
				...logs,
			],
			hint: restartHint(node),
		});
	}
	for (const b of Object.values(t.behind)) {
		const heldMs = now - b.since;
		if (heldMs < REPLICA_STUCK_HOLD_MS || b.lastLag < b.firstLag) continue;
		const trend = b.lastLag > b.firstLag ? 'grows' : 'does not shrink';
		out.push({
			kind: 'replica-stuck',
			node: b.node,
			since: b.since,
			heldMs,
			summary: `${b.node}'s replica of ${b.stream} is behind and its lag ${trend} (${b.firstLag} → ${b.lastLag}) while its routes are up`,
			evidence: [
				`${b.leader} /jsz ${b.stream}: ${b.node} current:${b.current} lag:${b.lastLag}${b.offline ? ' offline' : ''}`,
				`lag ${b.firstLag} → ${b.lastLag} over ${formatMs(heldMs)}`,
				`${b.node} /routez: ${peersText(state.cluster.nodes[b.node])}`,
				...logs,
			],
			hint: restartHint(b.node),
		});
	}
	const l = t.leaderless;
	if (l && now - l.since >= NO_META_ELECTION_HOLD_MS) {
		const heldMs = now - l.since;
		// The node that came back last is the one whose restart starts a fresh election.
		const node = l.members.reduce((a, b) => newer(state, a, b));
		out.push({
			kind: 'no-meta-election',
			node,
			since: l.since,
			heldMs,
			summary: `${l.members.join(' and ')} are routed to each other, a majority of the meta group, and elect no meta leader`,
			evidence: [
				...l.members.map(
					(m) =>
						`${m} /jsz: no meta leader · /routez: ${peersText(state.cluster.nodes[m])}${raftText(state.cluster.nodes[m])}`,
				),
				`held ${formatMs(heldMs)} (an election takes 4–9 s)`,
			],
			hint: `restart ${node}: a fresh start begins a new election`,
		});
	}
	return out.sort((a, b) => a.kind.localeCompare(b.kind) || a.node.localeCompare(b.node));
}

/** " · /raftz _meta_ term 12 candidate" where the server has /raftz (2.10.17+). */
function raftText(n: NodeState | undefined): string {
	const meta = n?.raft?.find((g) => g.group === '_meta_');
	if (!meta) return '';
	return ` · /raftz meta term ${meta.term ?? '?'} ${meta.state.toLowerCase()}`;
}

/** One line for a screen or a report: "one-way-route: n1 lists … (14 s) → restart n1: …". */
export function diagnosisLine(d: Diagnosis): string {
	return `${d.kind}: ${d.summary} (${formatMs(d.heldMs)}) → ${d.hint}`;
}

/** Short form for a panel border: "one-way-route n1→n2". */
export function diagnosisTag(d: Diagnosis): string {
	return `${d.kind} ${d.node}`;
}
