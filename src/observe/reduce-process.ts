// Process facts from the cluster layer: spawned, ready, signalled, exited.
// These are the strongest evidence there is: a SIGKILLed server prints
// nothing, a SIGSTOPped one answers nothing, only the process events tell.

import type { NodeName, ProcessEvent } from '../base/names.js';
import type { Draft } from './draft.js';
import { plannedStop } from './exit-view.js';
import { noteDeparture } from './meta-view.js';
import type { NodeState } from './state.js';

export function emptyNode(name: NodeName, at: number): NodeState {
	return {
		name,
		version: null,
		pid: null,
		process: 'down',
		exit: null,
		since: at,
		...noLiveFacts(),
		isMetaLeader: false,
		leads: { streams: [], consumers: [] },
		serverId: null,
		lastError: null,
		lameDuckSince: null,
		routesSeenAt: null,
	};
}

/** What a freshly spawned process knows: nothing about routes, leaders or health yet. */
export function freshProcess(at: number, pid: number | null, version: string | null): Partial<NodeState> {
	return {
		pid,
		version,
		process: 'starting',
		exit: null,
		since: at,
		...noLiveFacts(),
		lastError: null,
		lameDuckSince: null,
		routesSeenAt: null,
	};
}

/** What only a running process can tell (routes, leader view, health, clients, JetStream, Raft): unknown. */
function noLiveFacts(): Pick<
	NodeState,
	'peers' | 'routeConnections' | 'seesMetaLeader' | 'health' | 'clients' | 'jetstream' | 'raft' | 'metaView'
> {
	return {
		peers: [],
		routeConnections: 0,
		seesMetaLeader: null,
		health: null,
		clients: null,
		jetstream: 'off',
		raft: null,
		metaView: null,
	};
}

/** Everything a process that is gone no longer has; its peers lose their routes to it at once (localhost). */
export function processGone(d: Draft, name: NodeName, patch: Partial<NodeState>): void {
	d.patchNode(name, {
		...patch,
		since: d.at,
		...noLiveFacts(),
	});
	for (const other of d.order) {
		const o = d.node(other);
		if (o?.peers.includes(name)) d.patchNode(other, { peers: o.peers.filter((p) => p !== name) });
	}
}

export function reduceProcess(d: Draft, e: ProcessEvent): void {
	if (!d.node(e.node)) {
		d.nodes.set(e.node, emptyNode(e.node, e.at));
		d.order = [...d.order, e.node];
	}
	const n = d.node(e.node) as NodeState;
	switch (e.type) {
		case 'spawned': {
			const upgraded = n.version !== null && n.version !== e.version;
			d.patchNode(e.node, freshProcess(e.at, e.pid, e.version));
			d.entry(
				'process',
				upgraded
					? `${e.node} upgraded ${n.version} → ${e.version} (pid ${e.pid})`
					: `${e.node} starting (v${e.version}, pid ${e.pid})`,
				{ node: e.node },
			);
			return;
		}
		case 'ready':
			if (n.process === 'starting' && (n.pid === null || n.pid === e.pid)) {
				d.patchNode(e.node, { process: 'up', since: e.at });
				d.entry('process', `${e.node} up (client port open)`, { node: e.node });
			}
			return;
		case 'spawnFailed':
			processGone(d, e.node, {
				process: 'exited',
				exit: { code: null, signal: null, at: e.at },
				lastError: e.error,
			});
			d.entry('process', `${e.node} failed to start: ${e.error}`, { node: e.node });
			return;
		case 'exited': {
			if (n.pid !== null && n.pid !== e.pid) return; // an older process of this node
			if (n.process === 'exited' || n.process === 'down') return;
			noteDeparture(d, e.node, 'exited');
			const exit: NonNullable<NodeState['exit']> = { code: e.code, signal: e.signal, at: e.at };
			const asked = e.signal === null ? stopAsked(n) : undefined;
			if (asked) exit.asked = asked;
			processGone(d, e.node, { process: 'exited', exit });
			const planned = plannedStop({ exit, version: n.version });
			const how = e.signal ?? `code ${e.code ?? '?'}`;
			d.entry('process', planned ? `${e.node} stopped (${planned.text})` : `${e.node} exited (${how})`, {
				node: e.node,
			});
			return;
		}
		case 'signalled':
			signalled(d, n, e.signal);
			return;
	}
}

/**
 * The stop natslab asked for before an exit by code: SIGTERM (the node was stopping: a SIGKILL, the
 * other way to stopping, ends by signal) or lame duck (it was draining).
 */
function stopAsked(n: NodeState): 'SIGTERM' | 'ldm' | undefined {
	if (n.process === 'stopping') return 'SIGTERM';
	if (n.process === 'lameDuck' || n.lameDuckSince != null) return 'ldm';
	return undefined;
}

function signalled(
	d: Draft,
	n: NodeState,
	signal: 'SIGTERM' | 'SIGKILL' | 'SIGSTOP' | 'SIGCONT' | 'ldm',
): void {
	const name = n.name;
	if (n.process === 'exited' || n.process === 'down') return;
	switch (signal) {
		case 'SIGSTOP':
			if (n.process === 'paused') return;
			noteDeparture(d, name, 'paused');
			d.patchNode(name, { process: 'paused', since: d.at });
			d.entry('process', `${name} paused (SIGSTOP): hung, not dead`, { node: name });
			return;
		case 'SIGCONT':
			if (n.process !== 'paused') return;
			d.patchNode(name, { process: n.lameDuckSince != null ? 'lameDuck' : 'up', since: d.at });
			d.entry('process', `${name} resumed (SIGCONT)`, { node: name });
			return;
		case 'ldm':
			enterLameDuck(d, n, 'signal');
			return;
		case 'SIGTERM':
		case 'SIGKILL':
			if (n.process === 'stopping') return;
			noteDeparture(d, name, signal === 'SIGKILL' ? 'killed' : 'stopped');
			d.patchNode(name, { process: 'stopping', since: d.at });
			d.entry('process', signal === 'SIGKILL' ? `${name} killed (SIGKILL)` : `${name} stopping (SIGTERM)`, {
				node: name,
			});
			return;
	}
}

/**
 * The node drains: no new clients, leaders handed over, clients closed after the grace period.
 * The signal only changes the state (the action is already in the timeline); the server's own
 * `Entering lame duck mode` line makes the timeline entry. A frozen process cannot start draining
 * until it is resumed, so a signal to a paused node changes nothing yet.
 */
export function enterLameDuck(d: Draft, n: NodeState, from: 'signal' | 'log'): void {
	const active = n.process === 'up' || n.process === 'starting' || n.process === 'lameDuck';
	if (!active) return;
	if (n.process !== 'lameDuck')
		d.patchNode(n.name, { process: 'lameDuck', since: d.at, lameDuckSince: d.at });
	if (from === 'log') d.entry('lameDuck', `${n.name} entered lame duck mode`, { node: n.name });
}
