// `a-follower` is a running node that leads nothing. With three nodes and three leader
// roles (meta, ORDERS, C1) each node leads one thing in about 2 fresh labs of 7; then
// natslab makes a follower honestly: a real consumer leader stepdown moves C1's
// leadership onto a node that already leads something, the timeline says so, and the
// target is picked once the servers' /jsz shows the new leader.

import type { NodeName } from '../base/names.js';
import { WaitAborted, WaitTimeout, waitFor } from '../base/wait.js';
import type { Lab } from '../lab/types.js';
import { mainConsumer } from '../observe/selectors.js';
import { errorMessage } from '../probes/timing.js';
import { consumerLeaderToFree, resolveNode } from './targets.js';

/** Stepdowns tried before giving up (each one normally frees a node at once). */
export const STEPDOWN_ATTEMPTS = 3;
/** How long one stepdown may take to show in the monitoring state. */
const NEW_LEADER_TIMEOUT_MS = 15_000;

export interface FreeFollowerOptions {
	/** How long to wait for the leaders to be known in the first place. */
	timeoutMs: number;
	everyMs?: number;
	clock?: () => number;
	signal?: AbortSignal;
}

type Found = { node: NodeName; why: string };

/**
 * Resolves `a-follower`, moving C1's leader first when every running node leads something.
 * Null when none could be found or made in time (the caller reports what it waited for).
 */
export async function findOrFreeFollower(lab: Lab, opts: FreeFollowerOptions): Promise<Found | null> {
	const wait = { everyMs: opts.everyMs, clock: opts.clock, signal: opts.signal };
	let moved: string | null = null;
	for (let attempt = 0; ; attempt++) {
		const seen = await waitFor(
			lab,
			(s): { found: Found } | { free: { node: NodeName; consumer: string } } | undefined => {
				const r = resolveNode(s, 'a-follower');
				if (r.node !== null) return { found: r };
				const free = consumerLeaderToFree(s);
				return free ? { free } : undefined;
			},
			{ ...wait, timeoutMs: opts.timeoutMs },
		).catch(givenUp);
		if (!seen) return null;
		if ('found' in seen) {
			const { node, why } = seen.found;
			return { node, why: moved ? `${why}; ${moved}` : why };
		}
		if (attempt >= STEPDOWN_ATTEMPTS || !lab.stepDownConsumerLeader) return null;
		const { node: from, consumer } = seen.free;
		const [stream, name] = consumer.split(' > ') as [string, string];
		lab.emit({
			kind: 'note',
			at: Date.now(),
			node: from,
			text: `natslab moved ${name}'s leader off ${from} (consumer leader stepdown) so that one server leads nothing`,
		});
		try {
			await lab.stepDownConsumerLeader(stream, name);
		} catch (err) {
			lab.emit({ kind: 'note', at: Date.now(), node: from, text: `natslab: ${errorMessage(err)}` });
			continue;
		}
		moved = `natslab moved ${name}'s leader off ${from} first (consumer leader stepdown)`;
		// The answer does not say who leads next: wait for the servers' /jsz to show someone else.
		const to = await waitFor(
			lab,
			(s) => {
				const leader = mainConsumer(s, consumer)?.leader;
				return leader && leader !== from ? leader : undefined;
			},
			{ ...wait, timeoutMs: NEW_LEADER_TIMEOUT_MS },
		).catch(givenUp);
		if (to) moved = `natslab moved ${name}'s leader off ${from} to ${to} first (consumer leader stepdown)`;
		// Still on `from` (re-elected, or not polled yet): the next round sees the layout again.
	}
}

/** A wait that timed out or was aborted ends in null; anything else is a bug and stays an error. */
export function givenUp(err: unknown): null {
	if (err instanceof WaitTimeout || err instanceof WaitAborted) return null;
	throw err;
}
