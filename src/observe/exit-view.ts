// A stop natslab asked for is not a failure. nats-server before 2.11 exits with
// code 1 on SIGTERM even after a clean shutdown (nats-server PR #2103 made it so
// on purpose; PR #6336 changed it to 0 in 2.11), and lame duck mode ends in 0 on
// every version (docs/nats-behavior.md gotcha 8). Before 2.11 the 1 is a race it
// usually wins: the signal goroutine calls os.Exit(1) after Shutdown(), while
// main returns (exit 0) once Shutdown() is done; on a busy machine main can come
// first (seen on 2.10.27 under the suite's load). So an exit that matches what
// was asked is shown as a planned, neutral stop; anything else stays an error.

import { atLeast } from '../base/versions.js';
import type { NodeState } from './state.js';

/**
 * The exit code a clean SIGTERM shutdown gives on `version` as a rule (null: not known). Before
 * 2.11 a clean one may also end in 0 (the race above); `plannedStop` takes both there.
 */
export function sigtermExitCode(version: string | null | undefined): 0 | 1 | null {
	if (!version) return null;
	return atLeast(version, '2.11.0') ? 0 : 1;
}

/**
 * How the stop natslab asked for ended, when it ended the way that stop ends on the node's version:
 * `brief` "SIGTERM, exit 1" for a node row, `text` "SIGTERM, exit 1 — 2.10.27 exits 1 on SIGTERM"
 * for the timeline. Null for any other exit (a crash, a kill, an unexpected code): that is an error.
 */
export function plannedStop(
	node: Pick<NodeState, 'exit'> & { version?: string | null },
): { brief: string; text: string } | null {
	const exit = node.exit;
	if (!exit?.asked || exit.signal !== null || exit.code === null) return null;
	if (exit.asked === 'ldm')
		return exit.code === 0 ? { brief: 'lame duck, exit 0', text: 'lame duck, exit 0' } : null;
	const expected = sigtermExitCode(node.version);
	// 0 is clean on every version: from 2.11 the rule, before it main's return winning the race.
	const clean = exit.code === 0 || (expected !== 0 && exit.code === 1);
	if (!clean) return null;
	const brief = `SIGTERM, exit ${exit.code}`;
	if (exit.code === 0) return { brief, text: brief };
	return { brief, text: `${brief} — ${node.version ?? 'before 2.11 nats-server'} exits 1 on SIGTERM` };
}
