// Waiting on real evidence: a node is started when its client port accepts TCP
// (or it exits); a cluster is formed when every running node's /jsz names the
// same JetStream meta leader.
import { UserError } from '../errors.js';
import { metaLeaderAt, tcpAccepts } from './monitor.js';
import { isAlive } from './process-info.js';
import type { ExitInfo } from './spawn.js';
import type { NodeName } from './types.js';

export const START_TIMEOUT_MS = 20_000;
const POLL_MS = 15;

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
	pollMs = 25,
): Promise<NodeName> {
	const deadline = Date.now() + timeoutMs;
	let last: string[] = [];
	for (;;) {
		const nodes = targets();
		if (nodes.length === 0) throw new UserError('no node is running, so there is no meta leader to wait for');
		const leaders = await Promise.all(nodes.map((n) => metaLeaderAt(n.httpUrl, 1000)));
		const first = leaders[0] ?? null;
		if (first !== null && leaders.every((l) => l === first) && nodes.some((n) => n.name === first)) {
			return first;
		}
		last = nodes.map((n, i) => `${n.name}: ${leaders[i] ?? 'none'}`);
		if (Date.now() > deadline) {
			throw new UserError(
				`no agreed JetStream meta leader after ${Math.round(timeoutMs / 1000)} s (${last.join(', ')})`,
			);
		}
		await sleep(pollMs);
	}
}
