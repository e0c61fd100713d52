// `cluster node nX ldm [--wait]` and a `start` of a node that is still
// draining. The lame duck signal returns at once, but the server drains for
// seconds more (about 1 s for its leaders + the grace period + ≤ 1 s per
// client, docs/nats-behavior.md §7, §7b): the command says so, and --wait
// waits for the exit instead of letting a `start` collide with it.
import { UserError } from '../base/errors.js';
import type { NodeName } from '../base/names.js';
import type { Cluster } from '../cluster/cluster.js';
import { isDraining, lameDuckSettings, lastLineOf } from '../cluster/lame-duck.js';
import { waitForDeath } from '../cluster/process-info.js';
import { stripLogPrefix } from '../cluster/spawn.js';

/** How long past `lame_duck_duration` --wait keeps waiting before it gives up (the server's own deadline is that duration). */
const EXIT_MARGIN_MS = 30_000;

export interface DrainExit {
	node: NodeName;
	pid: number;
	/** From the signal (or from when the wait began, for a node already draining) to the exit. */
	exitedAfterMs: number;
	/** The process's last log line, e.g. `[INF] Server Exiting..`. */
	lastLogLine: string | null;
}

/** The one line after the signal: the drain goes on, what to expect, how to wait for it. */
export function drainingLine(cluster: Cluster, node: NodeName, pid: number): string {
	const s = lameDuckSettings(cluster.serverOptions);
	return (
		`${node} (pid ${pid}) is in lame duck mode and still draining: it exits on its own after about 1 s ` +
		`to hand its leaders over, plus, when clients are connected, the ${s.grace} grace period and ≤ 1 s per client ` +
		`(at most lame_duck_duration ${s.duration}); --wait waits for the exit (a \`start\` before it is refused; log: ${cluster.logFile(node)})`
	);
}

/** Wait until the draining process `pid` has exited; `since` is when the clock started (the signal). */
export async function waitForDrainExit(
	cluster: Cluster,
	node: NodeName,
	pid: number,
	since: number,
): Promise<DrainExit> {
	const s = lameDuckSettings(cluster.serverOptions);
	const limitMs = s.durationMs + EXIT_MARGIN_MS;
	if (!(await waitForDeath(pid, limitMs))) {
		throw new UserError(
			`${node} (pid ${pid}) was still running ${Math.round(limitMs / 1000)} s after the lame duck signal (lame_duck_duration ${s.duration}); see ${cluster.logFile(node)}`,
		);
	}
	const last = lastLineOf(cluster.logFile(node), pid);
	return {
		node,
		pid,
		exitedAfterMs: Math.round(performance.now() - since),
		lastLogLine: last === null ? null : stripLogPrefix(last),
	};
}

export function exitLine(exit: DrainExit, what: string): string {
	const seconds = (exit.exitedAfterMs / 1000).toFixed(1);
	const said = exit.lastLogLine ? `its last log line: ${exit.lastLogLine}` : 'it logged nothing at the end';
	return `${exit.node} (pid ${exit.pid}) exited ${seconds} s after ${what} (${said})`;
}

/** The pid of `node` when it is running and has entered lame duck mode, else null. */
export function drainingPid(cluster: Cluster, node: NodeName): number | null {
	const pid = cluster.pidOf(node);
	return pid !== null && isDraining(cluster.logFile(node), pid) ? pid : null;
}

/** A `start` of a node still draining: refused in one line unless told to wait. */
export function startWhileDraining(node: NodeName, pid: number, cluster: Cluster): UserError {
	const s = lameDuckSettings(cluster.serverOptions);
	return new UserError(
		`${node} is still draining in lame duck mode (pid ${pid}) and exits on its own (at most lame_duck_duration ${s.duration}): start it once it has exited, or add --wait to wait for that first`,
	);
}
