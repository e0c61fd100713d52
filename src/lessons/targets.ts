// Resolve a step's node reference (a name, a role, $target, $previous,
// client-of:<probe>) against the live state when the step starts, so a step
// never depends on where leaders happened to land.

import type { NodeName } from '../base/names.js';
import { probe, probesOn } from '../observe/client-selectors.js';
import type { ProbeKind } from '../observe/events.js';
import {
	agreedMetaLeader,
	isDown,
	isUp,
	mainConsumer,
	mainStream,
	node,
	nodeNames,
} from '../observe/selectors.js';
import type { LabState } from '../observe/state.js';
import type { NodeRef } from './schema.js';

export interface TargetContext {
	/** This step's resolved target (for $target). */
	target?: NodeName | null;
	/** The previous step's target (for $previous). */
	previous?: NodeName | null;
	/** The lab's upgrade version, for `an-old-node`. */
	upgradeTo?: string | null;
}

export type Resolution = { node: NodeName; why: string } | { node: null; waitingFor: string };

export function resolveNode(state: LabState, ref: NodeRef, ctx: TargetContext = {}): Resolution {
	if (/^n\d+$/.test(ref)) {
		return node(state, ref)
			? { node: ref, why: 'named by the lesson' }
			: { node: null, waitingFor: `a node named ${ref}` };
	}
	if (ref === '$target')
		return ctx.target ? { node: ctx.target, why: 'this step’s target' } : none('a target');
	if (ref === '$previous')
		return ctx.previous ? { node: ctx.previous, why: 'the previous step’s node' } : none('a previous target');
	if (ref.startsWith('client-of:')) {
		const kind = ref.slice('client-of:'.length) as ProbeKind;
		const p = probe(state, kind);
		if (p?.node && p.state === 'connected') return { node: p.node, why: `the node ${kind} is connected to` };
		return none(`${kind} to be connected`);
	}
	const meta = agreedMetaLeader(state);
	const stream = mainStream(state);
	const consumer = mainConsumer(state);
	switch (ref) {
		case 'meta-leader':
			return meta ? { node: meta, why: 'the meta leader' } : none('an agreed meta leader');
		case 'stream-leader':
			return stream?.leader && isUp(state, stream.leader)
				? { node: stream.leader, why: `the ${stream.name} stream leader` }
				: none('a stream leader');
		case 'consumer-leader':
			return consumer?.leader && isUp(state, consumer.leader)
				? { node: consumer.leader, why: `the ${consumer.name} consumer leader` }
				: none('a consumer leader');
		case 'a-follower':
			return follower(state, meta);
		case 'a-running-node': {
			const candidates = nodeNames(state).filter((n) => isUp(state, n));
			const { led } = leadership(state, meta);
			const pick = prefer(candidates, [
				(n) => !led.has(n),
				(n) => n !== meta && n !== stream?.leader,
				(n) => n !== meta,
			]);
			return pick ? { node: pick, why: 'a running node' } : none('a running node');
		}
		case 'a-stream-follower': {
			if (!stream?.leader) return none('a stream leader');
			const candidates = nodeNames(state).filter((n) => isUp(state, n) && n !== stream.leader);
			const pick = prefer(candidates, [(n) => n !== meta]);
			return pick
				? { node: pick, why: `a running node that does not lead ${stream.name} (${stream.leader} does)` }
				: none(`a running node other than the ${stream.name} leader`);
		}
		case 'a-stopped-node': {
			const pick = nodeNames(state).find((n) => isDown(state, n));
			return pick ? { node: pick, why: 'a stopped node' } : none('a stopped node');
		}
		case 'an-old-node': {
			const to = ctx.upgradeTo;
			if (!to) return none('an upgrade version (the lab has none)');
			if (!meta) return none('an agreed meta leader');
			const old = nodeNames(state).filter((n) => isUp(state, n) && node(state, n)?.version !== to);
			const { led } = leadership(state, meta);
			// Followers first, the meta leader last (the order NATS recommends).
			const pick = prefer(old, [
				(n) => !led.has(n),
				(n) => n !== meta && n !== stream?.leader,
				(n) => n !== meta,
			]);
			if (!pick) return none(`a running node not yet on ${to}`);
			const groups = led.get(pick);
			const why =
				pick === meta
					? `the meta leader, upgraded last`
					: `not yet on ${to}, ${groups ? `leads ${groups.join(' and ')}` : 'and leads nothing'}`;
			return { node: pick, why };
		}
		default:
			return none(`a node for ${ref}`);
	}
}

/**
 * A running node that leads nothing: not the meta group, no stream, no consumer (issue #10: lesson
 * 3 once restarted C1's leader). With three nodes the leaders can sit on all three; then there is
 * none, and the answer says who leads what instead of picking a leader.
 */
function follower(state: LabState, meta: NodeName | null): Resolution {
	if (!meta) return none('an agreed meta leader');
	const { led, unknown } = leadership(state, meta);
	if (unknown.length > 0) return none(`the leaders of ${unknown.join(', ')} to be known`);
	const candidates = nodeNames(state).filter((n) => isUp(state, n) && !led.has(n));
	const pick = prefer(candidates, [(n) => probesOn(state, n).length > 0]);
	const who = [...led.entries()]
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([n, groups]) => `${n} leads ${groups.join(' and ')}`)
		.join(', ');
	return pick
		? { node: pick, why: `a follower: it leads nothing; ${who}` }
		: none(`a running node that leads nothing (now ${who})`);
}

/**
 * When no running node leads nothing (all leaders known): the main consumer, if its leader leads
 * only that consumer. A consumer leader stepdown then moves it to a replica that already leads
 * something, and the node it leaves leads nothing (./free-follower.ts does that).
 */
export function consumerLeaderToFree(state: LabState): { node: NodeName; consumer: string } | null {
	const meta = agreedMetaLeader(state);
	if (!meta || follower(state, meta).node !== null) return null;
	const { led, unknown } = leadership(state, meta);
	const consumer = mainConsumer(state);
	if (unknown.length > 0 || !consumer?.leader || !isUp(state, consumer.leader)) return null;
	const groups = led.get(consumer.leader) ?? [];
	return groups.length === 1 && groups[0] === consumer.name
		? { node: consumer.leader, consumer: consumer.name }
		: null;
}

/** Node → what it leads ("the meta group", "ORDERS", "ORDERS > C1"), and the groups whose leader is not known. */
function leadership(
	state: LabState,
	meta: NodeName | null,
): { led: Map<NodeName, string[]>; unknown: string[] } {
	const led = new Map<NodeName, string[]>(meta ? [[meta, ['the meta group']]] : []);
	const unknown: string[] = [];
	for (const group of [...Object.values(state.cluster.streams), ...Object.values(state.cluster.consumers)]) {
		if (group.leader === null) unknown.push(group.name);
		else led.set(group.leader, [...(led.get(group.leader) ?? []), group.name]);
	}
	return { led, unknown };
}

function none(waitingFor: string): Resolution {
	return { node: null, waitingFor };
}

/** The first candidate passing the first tier that any candidate passes; else the first candidate. */
function prefer(candidates: NodeName[], tiers: ((n: NodeName) => boolean)[]): NodeName | null {
	for (const tier of tiers) {
		const found = candidates.find(tier);
		if (found) return found;
	}
	return candidates[0] ?? null;
}
