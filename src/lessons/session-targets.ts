// Node references (roles, `$target`, `client-of:…`) in a step's target,
// actions, waits and records become node names, from the live state, when the
// step needs them (./targets.ts decides; this waits, bounded, for a role to exist).

import { formatMs } from '../base/format.js';
import type { NodeName } from '../base/names.js';
import { waitFor } from '../base/wait.js';
import { findOrFreeFollower, givenUp } from './free-follower.js';
import type { Step } from './load.js';
import type { ActionSpec, NodeRef, WaitSpec } from './schema.js';
import type { SessionParts, Target } from './session-parts.js';
import { resolveNode } from './targets.js';

/** How long a step waits for its role (a meta leader, a stopped node...) to exist. */
const RESOLVE_TIMEOUT_MS = 30_000;

/** Actions that act on the lab, not on one node. */
const LAB_WIDE = ['verify', 'probes', 'stop-probes'];

/** A node reference → a node, waiting (bounded) until the live state has one for the role. */
export async function resolveRef(
	p: SessionParts,
	ref: NodeRef,
	target: NodeName | null,
): Promise<Target | string> {
	const ctx = { target, previous: p.previous, upgradeTo: p.lab.versions.upgradeTo };
	const first = resolveNode(p.lab.getState(), ref, ctx);
	if (first.node !== null) return first;
	p.screen.update({ phase: 'resolving', message: `waiting for ${first.waitingFor}` });
	const wait = { timeoutMs: RESOLVE_TIMEOUT_MS, everyMs: p.tickMs, clock: p.clock, signal: p.signal };
	// When every node leads something, natslab moves C1's leader to make a follower (./free-follower.ts).
	const found =
		ref === 'a-follower'
			? await findOrFreeFollower(p.lab, wait)
			: await waitFor(
					p.lab,
					(s) => {
						const r = resolveNode(s, ref, ctx);
						return r.node !== null ? r : undefined;
					},
					wait,
				).catch(givenUp);
	p.screen.update({ message: null });
	return found ?? `no node for ${ref}: waited ${formatMs(RESOLVE_TIMEOUT_MS)} for ${first.waitingFor}`;
}

/** The node an action acts on (its own `target`, else the step's; none for lab-wide actions) and a link's `peer`. */
export async function actionNode(
	p: SessionParts,
	a: ActionSpec,
	target: Target | null,
): Promise<{ node: NodeName | null; peer: NodeName | null } | { error: string }> {
	if (LAB_WIDE.includes(a.do)) return { node: null, peer: null };
	let node = target?.node ?? null;
	if (a.target) {
		const r = await resolveRef(p, a.target, target?.node ?? null);
		if (typeof r === 'string') return { error: r };
		node = r.node;
	}
	if (!node) return { error: 'action has no target' };
	if (!a.peer) return { node, peer: null };
	const peer = await resolveRef(p, a.peer, target?.node ?? null);
	return typeof peer === 'string' ? { error: peer } : { node, peer: peer.node };
}

/** Node references inside waits (`node`, `from`, `without`) become names now. */
export async function resolveWaits(
	p: SessionParts,
	waits: WaitSpec[],
	target: Target | null,
): Promise<WaitSpec[] | string> {
	const out: WaitSpec[] = [];
	for (const w of waits) {
		const copy = { ...w } as Record<string, unknown>;
		for (const key of ['node', 'from', 'without'] as const) {
			const ref = copy[key];
			if (typeof ref !== 'string' || ref === 'all') continue;
			const r = await resolveRef(p, ref, target?.node ?? null);
			if (typeof r === 'string') return r;
			copy[key] = r.node;
		}
		out.push(copy as WaitSpec);
	}
	return out;
}

/** A record's `node` as a name (left as written when no node has the role now). */
export function resolveRecord<R extends Step['records'][number]>(
	p: SessionParts,
	r: R,
	target: Target | null,
): R {
	if (!('node' in r) || typeof r.node !== 'string') return r;
	const res = resolveNode(p.lab.getState(), r.node, {
		target: target?.node ?? null,
		previous: p.previous,
		upgradeTo: p.lab.versions.upgradeTo,
	});
	return { ...r, node: res.node ?? r.node };
}
