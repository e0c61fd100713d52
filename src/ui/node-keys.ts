// What a node key means right now. `s` is stop or start and `p` pause or resume
// depending on the node's process state; keys that cannot apply are refused with
// a sentence the learner can act on instead of being sent to the Lab.

import type { NodeAction, NodeName } from '../base/names.js';
import { compareVersions } from '../base/versions.js';
import type { LabState } from '../observe/state.js';
import { isAlive } from './format.js';

export type NodeKey = 'r' | 's' | 'k' | 'l' | 'p' | 'u';

export const NODE_KEYS: readonly NodeKey[] = ['r', 's', 'k', 'l', 'p', 'u'];

export function isNodeKey(ch: string): ch is NodeKey {
	return (NODE_KEYS as readonly string[]).includes(ch);
}

export type NodeKeyResolution = { action: NodeAction; say: string } | { refused: string };

export function resolveNodeKey(
	key: NodeKey,
	node: NodeName,
	state: LabState,
	upgradeTo: string | null,
): NodeKeyResolution {
	const n = state.cluster.nodes[node];
	if (!n) return { refused: `there is no node ${node}` };
	const p = n.process;
	const alive = isAlive(p);
	const notRunning = { refused: `${node} is not running (s starts it)` };
	const stopping = { refused: `${node} is already stopping` };
	switch (key) {
		case 'r':
			if (p === 'stopping') return stopping;
			if (!alive) return notRunning;
			if (p === 'starting') return { refused: `${node} is still starting (k kills it)` };
			return { action: { op: 'restart', node }, say: `restarting ${node}` };
		case 's':
			if (p === 'stopping') return stopping;
			if (alive) return { action: { op: 'stop', node }, say: `stopping ${node} (SIGTERM)` };
			return { action: { op: 'start', node }, say: `starting ${node}` };
		case 'k':
			if (!alive) return { refused: `${node} is not running` };
			return { action: { op: 'kill', node }, say: `kill -9 ${node}` };
		case 'l':
			if (p === 'lameDuck') return { refused: `${node} is already in lame duck mode` };
			if (p === 'paused') return { refused: `${node} is paused (p resumes it)` };
			if (p === 'stopping') return stopping;
			if (p !== 'up' && p !== 'starting') return notRunning;
			return { action: { op: 'ldm', node }, say: `${node} enters lame duck mode` };
		case 'p':
			if (p === 'paused') return { action: { op: 'resume', node }, say: `resuming ${node} (SIGCONT)` };
			if (p === 'stopping') return stopping;
			if (!alive) return notRunning;
			return { action: { op: 'pause', node }, say: `pausing ${node} (SIGSTOP: hung, not dead)` };
		case 'u':
			if (!upgradeTo) return { refused: 'no upgrade version: start with --upgrade-to <version>' };
			if (n.version === upgradeTo) return { refused: `${node} already runs ${upgradeTo}` };
			if (p === 'stopping') return stopping;
			return {
				action: { op: 'upgrade', node, toVersion: upgradeTo },
				say: `upgrading ${node} to ${upgradeTo}`,
			};
	}
}

const ONGOING: Record<NodeAction['op'], string> = {
	restart: 'restarting',
	stop: 'stopping',
	start: 'starting',
	kill: 'being killed',
	ldm: 'entering lame duck mode',
	pause: 'being paused',
	resume: 'being resumed',
	upgrade: 'being upgraded',
};

/** What a node is doing while `action` is in flight: "restarting". */
export function ongoing(action: NodeAction): string {
	return ONGOING[action.op];
}

/** What `u` will do to `node`, said before it is done; a downgrade says so. */
export function upgradeNotice(
	node: NodeName,
	state: LabState,
	to: string,
): { text: string; downgrade: boolean } {
	const n = state.cluster.nodes[node];
	const from = n?.version ?? null;
	const downgrade = from !== null && to !== '' && compareVersions(to, from) < 0;
	const how = n && isAlive(n.process) ? 'stops it, starts' : 'starts';
	const change = `${from ?? '?'} → ${to}`;
	const text = downgrade
		? `u again: DOWNGRADE ${node} ${change} (any other key: no) · an older server may not read what a newer one stored`
		: `u again: upgrade ${node} ${change} (any other key: no) · ${how} ${to} on the same config and data`;
	return { text, downgrade };
}
