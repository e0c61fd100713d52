// Waiting on real evidence: a node is started when its client port accepts TCP
// (or it exits); a cluster is formed when every running node's /jsz names the
// same JetStream meta leader.
import { UserError } from '../base/errors.js';
import { formatWholeSeconds } from '../base/format.js';
import type { NodeName } from '../base/names.js';
import { monitoringGetJson } from '../monitoring/http.js';
import { agreedMetaLeader } from '../monitoring/meta-leader.js';
import { normalizeJsz, normalizeRoutez, normalizeVarz } from '../monitoring/normalize.js';
import { metaLeaderAt, tcpAccepts } from './monitor.js';
import { isAlive } from './process-info.js';
import type { ExitInfo } from './spawn.js';

export const START_TIMEOUT_MS = 20_000;
const POLL_MS = 15;
/** /jsz polls while waiting for an agreed meta leader and a full meta group. */
const LEADER_POLL_MS = 25;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type StartOutcome = { ok: true } | { ok: false; exit: ExitInfo } | { ok: false; timeout: true };

/** Resolve when `port` accepts while `pid` lives, or when the process exits first. */
export async function waitForClientPort(
	pid: number,
	port: number,
	exited: Promise<ExitInfo>,
	timeoutMs = START_TIMEOUT_MS,
): Promise<StartOutcome> {
	let exit: ExitInfo | null = null;
	void exited.then((e) => {
		exit = e;
	});
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (exit) return { ok: false, exit };
		if ((await tcpAccepts(port, 250)) && !exit && isAlive(pid)) return { ok: true };
		if (exit) return { ok: false, exit };
		if (Date.now() > deadline) return { ok: false, timeout: true };
		await sleep(POLL_MS);
	}
}

export interface LeaderTarget {
	name: NodeName;
	httpUrl: string;
}

/**
 * A fresh cluster's servers, routed to each other, that name no meta leader for this long have
 * a stalled election: elections take 0.5–9 s here, and a stalled one has been seen to last 30 s
 * and more (docs/nats-behavior.md §8, `no-meta-election`). A restart of one server starts a new one.
 */
export const STALLED_ELECTION_MS = 15_000;

/** What waitForAgreedLeader does when no target has named a leader for `afterMs` (again after each time). */
export interface OnStalledElection {
	afterMs: number;
	/** Given the targets; whatever it does (e.g. restart one), the wait goes on to its own deadline. */
	handle: (nodes: LeaderTarget[]) => Promise<void>;
}

/**
 * Poll /jsz of `targets()` (the running, unpaused nodes, re-read every round) until they all
 * name the same meta leader, and that leader is one of them. Returns its name.
 */
export async function waitForAgreedLeader(
	targets: () => LeaderTarget[],
	timeoutMs: number,
	pollMs = LEADER_POLL_MS,
	stalled?: OnStalledElection,
): Promise<NodeName> {
	const deadline = Date.now() + timeoutMs;
	let last: string[] = [];
	let leaderlessSince = Date.now();
	for (;;) {
		const nodes = targets();
		if (nodes.length === 0) throw new UserError('no node is running, so there is no meta leader to wait for');
		const views = await Promise.all(
			nodes.map(async (n) => ({ node: n.name, metaLeader: await metaLeaderAt(n.httpUrl, 1000) })),
		);
		const agreed = agreedMetaLeader(views);
		if (agreed !== null) return agreed;
		last = views.map((v) => `${v.node}: ${v.metaLeader ?? 'none'}`);
		if (Date.now() > deadline) {
			throw new UserError(
				`no agreed JetStream meta leader after ${formatWholeSeconds(timeoutMs)} (${last.join(', ')})`,
			);
		}
		if (views.some((v) => v.metaLeader !== null)) leaderlessSince = Date.now();
		else if (stalled && Date.now() - leaderlessSince >= stalled.afterMs) {
			await stalled.handle(nodes);
			leaderlessSince = Date.now();
		}
		await sleep(pollMs);
	}
}

/**
 * Whether every one of `nodes` lists every other in its /routez (by name on 2.10+, by server id
 * on 2.9, translated through each one's /varz). False when any of them does not answer.
 */
export async function routedToEachOther(nodes: LeaderTarget[], timeoutMs = 1000): Promise<boolean> {
	try {
		const varz = await Promise.all(
			nodes.map(async (n) => normalizeVarz((await monitoringGetJson(`${n.httpUrl}/varz`, timeoutMs)).body)),
		);
		const idToName: Record<string, NodeName> = {};
		for (const v of varz) if (v.serverId) idToName[v.serverId] = v.serverName;
		const names = varz.map((v) => v.serverName);
		const routez = await Promise.all(
			nodes.map(async (n) =>
				normalizeRoutez((await monitoringGetJson(`${n.httpUrl}/routez`, timeoutMs)).body, idToName),
			),
		);
		return routez.every((r, i) => names.every((name, j) => i === j || r.peers.includes(name)));
	} catch {
		return false;
	}
}

/**
 * For a fresh cluster: when every node runs, is routed to every other, and none has named a meta
 * leader for `afterMs` (STALLED_ELECTION_MS), restart the last of them, saying why. Nothing while
 * a node is not running or not routed: part of a 2.12+ cluster rightly waits for the rest, and a
 * cut route is another story (the routes, not the election).
 */
export function restartOnStalledElection(opts: {
	nodeCount: () => number;
	restart: (node: NodeName) => Promise<void>;
	onNotice: (msg: string) => void;
	afterMs?: number;
}): OnStalledElection {
	const afterMs = opts.afterMs ?? STALLED_ELECTION_MS;
	return {
		afterMs,
		handle: async (targets) => {
			const last = targets.at(-1);
			if (!last || targets.length !== opts.nodeCount() || !(await routedToEachOther(targets))) return;
			const names = targets.map((t) => t.name);
			opts.onNotice(
				`${names.slice(0, -1).join(', ')} and ${last.name} are routed to each other and elected no JetStream meta leader in ${formatWholeSeconds(afterMs)} (a stalled election, seen under load); restarting ${last.name} starts a new one`,
			);
			await opts.restart(last.name);
		},
	};
}

/** The meta group as the leader's /jsz describes it: the leader plus its replicas. */
export async function metaGroupAt(httpUrl: string, timeoutMs = 1000): Promise<NodeName[] | null> {
	try {
		const answer = await monitoringGetJson(`${httpUrl}/jsz`, timeoutMs);
		if (answer.status !== 200) return null;
		const jsz = normalizeJsz(answer.body);
		if (!jsz.metaLeader) return null;
		return [jsz.metaLeader, ...jsz.replicas.map((r) => r.name)].filter((n) => n !== '');
	} catch {
		return null;
	}
}

/**
 * Measured 2026-12-01 (70 fresh clusters, 2.9.10/2.10.27/2.15.1, idle and loaded, docs/measurements.md
 * "Stop 17"): the leader's group held all three within 0–30 ms of the agreed leader, or never
 * (2.10.27, 2 of 40). A second is far past the first and cuts the wait for the second by 4 s.
 */
export const META_GROUP_GRACE_MS = 1000;
const RESTARTED_JOIN_GRACE_MS = 5000;

/**
 * A fresh cluster is ready only when every server is in the JetStream meta group.
 * Measured on 2.10.27 (about one fresh cluster in ten on a loaded 2-core machine): the meta
 * group bootstrapped with two of the three servers, the third never joined on its own (2 min),
 * every /healthz said 200, and an R3 stream could not be placed. Restarting the missing server
 * fixed it every time, so after `graceMs` the missing nodes are handed to `restart`.
 */
export async function waitForFullMetaGroup(opts: {
	nodes: LeaderTarget[];
	leader: () => Promise<NodeName>;
	restart: (node: NodeName) => Promise<void>;
	onNotice: (msg: string) => void;
	timeoutMs: number;
	/** How long after the agreed leader a node may be missing before it is restarted (META_GROUP_GRACE_MS). */
	graceMs?: number;
}): Promise<NodeName> {
	const deadline = Date.now() + opts.timeoutMs;
	// Counted from the first look at the leader's group, not from the start: the election before it
	// takes its own time.
	let restartAt: number | null = null;
	const all = opts.nodes.map((n) => n.name);
	for (;;) {
		const leader = await opts.leader();
		const target = opts.nodes.find((n) => n.name === leader);
		const members = target ? await metaGroupAt(target.httpUrl) : null;
		const missing = members ? all.filter((n) => !members.includes(n)) : all;
		if (members && missing.length === 0) return leader;
		if (Date.now() > deadline) {
			throw new UserError(
				`JetStream meta group incomplete: ${missing.join(', ')} not in it (leader ${leader})`,
			);
		}
		if (members) restartAt ??= Date.now() + (opts.graceMs ?? META_GROUP_GRACE_MS);
		if (members && restartAt !== null && Date.now() > restartAt) {
			for (const node of missing) {
				opts.onNotice(`${node} is not in the JetStream meta group (a bootstrap race); restarting it`);
				await opts.restart(node);
			}
			// A restarted server needs its start and a catch-up before it can be counted: longer.
			restartAt = Date.now() + (opts.graceMs ?? RESTARTED_JOIN_GRACE_MS);
		}
		// The leader's group usually fills within a poll or two of the election: look again at
		// the leader poll's cadence, not 100 ms later (issue #12).
		await sleep(LEADER_POLL_MS);
	}
}
