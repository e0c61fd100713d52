// Reaping: servers recorded in a run file whose owning natslab is gone (a
// SIGKILL, or a platform without a parent-death signal) are stopped by the next
// natslab. Only the exact processes recorded are touched: PID + start time.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isSameProcess, processStartTime, signalPid, waitForDeath } from './process-info.js';
import { type OwnerRef, type RunFile, readRunFile, removeRunFile } from './run-file.js';

export const REAP_TERM_WAIT_MS = 2000;

export type RunStatus =
	/** The owning natslab process is alive (maybe this very process). */
	| { kind: 'owned'; owner: OwnerRef }
	/** Left running on purpose (`cluster up`); owned by the run file. */
	| { kind: 'detached'; running: number }
	/** The owner died: whatever still runs is an orphan. */
	| { kind: 'orphaned'; owner: OwnerRef; running: number };

/** Servers of a run file that are still the very processes that were recorded. */
export function liveServers(run: RunFile): { node: string; pid: number }[] {
	const out: { node: string; pid: number }[] = [];
	for (const [node, rec] of Object.entries(run.nodes)) {
		if (rec.pid !== null && isSameProcess(rec.pid, rec.startTime)) out.push({ node, pid: rec.pid });
	}
	return out;
}

export function classifyRun(run: RunFile): RunStatus {
	const running = liveServers(run).length;
	if (run.owner === null) return { kind: 'detached', running };
	if (isSameProcess(run.owner.pid, run.owner.startTime)) return { kind: 'owned', owner: run.owner };
	return { kind: 'orphaned', owner: run.owner, running };
}

/** SIGTERM, wait up to `termWaitMs`, then SIGKILL. Resolves when the process is dead. */
export async function terminate(
	pid: number,
	startTime: string,
	termWaitMs = REAP_TERM_WAIT_MS,
): Promise<void> {
	if (!isSameProcess(pid, startTime)) return;
	signalPid(pid, 'SIGTERM');
	// A paused (SIGSTOPped) server only acts on the SIGTERM once it runs again.
	signalPid(pid, 'SIGCONT');
	if (await waitForDeath(pid, termWaitMs)) return;
	if (isSameProcess(pid, startTime)) signalPid(pid, 'SIGKILL');
	await waitForDeath(pid, 5000);
}

/** Stop every still-running server recorded in `run`. Returns what was stopped. */
export async function reapServers(run: RunFile): Promise<{ node: string; pid: number }[]> {
	const victims: { node: string; pid: number; startTime: string }[] = [];
	for (const [node, rec] of Object.entries(run.nodes)) {
		if (rec.pid !== null && rec.startTime && isSameProcess(rec.pid, rec.startTime)) {
			victims.push({ node, pid: rec.pid, startTime: rec.startTime });
		}
	}
	// A detached proxied cluster's link proxy process (cluster/links/) goes with its servers.
	const links = run.links;
	const proxies = links?.pid && links.startTime ? [terminate(links.pid, links.startTime)] : [];
	await Promise.all([...victims.map((v) => terminate(v.pid, v.startTime)), ...proxies]);
	return victims.map(({ node, pid }) => ({ node, pid }));
}

export interface ReapReport {
	workspace: string;
	ownerPid: number;
	servers: { node: string; pid: number }[];
}

/**
 * Reap every workspace under `clustersDir` whose owner died (not detached ones, not ones whose
 * owner lives). Their run files are removed; configs, logs and data stay for inspection.
 */
export async function reapOrphans(clustersDir: string): Promise<ReapReport[]> {
	let names: string[];
	try {
		names = readdirSync(clustersDir);
	} catch {
		return [];
	}
	const reports: ReapReport[] = [];
	await Promise.all(
		names.map(async (workspace) => {
			const path = join(clustersDir, workspace, 'run.json');
			const run = readRunFile(path);
			if (run === null || run === 'invalid') return;
			const status = classifyRun(run);
			if (status.kind !== 'orphaned') return;
			const servers = await reapServers(run);
			removeRunFile(path);
			if (servers.length > 0) reports.push({ workspace, ownerPid: status.owner.pid, servers });
		}),
	);
	return reports;
}

/** This process as an owner reference. */
export function selfRef(): OwnerRef {
	const startTime = processStartTime(process.pid);
	// Cannot happen on Linux or macOS; a constant keeps the record valid elsewhere.
	return { pid: process.pid, startTime: startTime ?? 'unknown' };
}
