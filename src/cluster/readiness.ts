// Waiting on real evidence: a node is started when its client port accepts TCP
// (or it exits); a cluster is formed when every running node's /jsz names the
// same JetStream meta leader.
import { UserError } from '../base/errors.js';
import { formatWholeSeconds } from '../base/format.js';
import type { NodeName } from '../base/names.js';
import { monitoringGetJson } from '../monitoring/http.js';
import { agreedMetaLeader } from '../monitoring/meta-leader.js';
import { normalizeJsz } from '../monitoring/normalize.js';
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
 * Poll /jsz of `targets()` (the running, unpaused nodes, re-read every round) until they all
 * name the same meta leader, and that leader is one of them. Returns its name.
 */
export async function waitForAgreedLeader(
	targets: () => LeaderTarget[],
	timeoutMs: number,
	pollMs = LEADER_POLL_MS,
): Promise<NodeName> {
	const deadline = Date.now() + timeoutMs;
	let last: string[] = [];
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
		await sleep(pollMs);
	}
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
	graceMs?: number;
}): Promise<NodeName> {
	const deadline = Date.now() + opts.timeoutMs;
	let restartAt = Date.now() + (opts.graceMs ?? 5000);
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
		if (members && Date.now() > restartAt) {
			for (const node of missing) {
				opts.onNotice(`${node} is not in the JetStream meta group (a bootstrap race); restarting it`);
				await opts.restart(node);
			}
			restartAt = Date.now() + (opts.graceMs ?? 5000);
		}
		// The leader's group usually fills within a poll or two of the election: look again at
		// the leader poll's cadence, not 100 ms later (issue #12).
		await sleep(LEADER_POLL_MS);
	}
}
