// The one pure reducer: every LabEvent is folded into LabState here. It never
// reads the clock (time comes from the events) and returns the same object when
// an event changes nothing. Handlers per event kind live in ./reduce-*.ts; the
// facts that follow from others (unfit leaders, roles, routes, quorum) are
// re-derived by ./derive.ts after each event.

import type { NodeName, ProcessEvent } from '../base/names.js';
import { majorityOf } from '../monitoring/raft-group.js';
import { settle } from './derive.js';
import { Draft } from './draft.js';
import type { Evidence, LabEvent, PollEvent } from './events.js';
import { reduceClient } from './reduce-client.js';
import { coreReachEvidence, keepCoreReach, reduceCoreReach } from './reduce-core-reach.js';
import { reduceLog } from './reduce-log.js';
import { reducePoll } from './reduce-poll.js';
import { emptyNode, reduceProcess } from './reduce-process.js';
import type { LabState, NodeState } from './state.js';
import { countWarning } from './warnings.js';

export function initialLabState(opts: {
	nodes: NodeName[];
	clusterName?: string;
	addressBook?: Record<string, NodeName>;
	now?: number;
}): LabState {
	const now = opts.now ?? 0;
	const nodes: Record<NodeName, NodeState> = {};
	for (const n of opts.nodes) nodes[n] = emptyNode(n, now);
	const size = opts.nodes.length;
	return {
		now,
		addressBook: { ...(opts.addressBook ?? {}) },
		cluster: {
			name: opts.clusterName ?? 'lab',
			order: [...opts.nodes],
			nodes,
			meta: {
				leader: null,
				since: now,
				evidence: null,
				previous: null,
				quorum: { reachable: 0, size, needed: majorityOf(size), ok: false },
			},
			streams: {},
			consumers: {},
			routes: {},
		},
		clients: { probes: {}, order: [] },
		timeline: [],
		logs: [],
		warnings: {},
		nextLogId: 1,
	};
}

export function reduce(state: LabState, event: LabEvent): LabState {
	const d = new Draft(state, event.at, evidenceOf(event));
	switch (event.kind) {
		case 'process':
			reduceProcess(d, event);
			break;
		case 'log':
			reduceLog(d, event);
			if (event.level === 'WRN' || event.level === 'ERR' || event.level === 'FTL') {
				d.warnings = countWarning(d.warnings, event.level, event.raw);
			}
			break;
		case 'poll':
			reducePoll(d, event);
			break;
		case 'client':
			reduceClient(d, event);
			break;
		case 'action':
			d.entry('action', `${event.by}: ${actionText(event.action)}`, { node: event.action.node });
			break;
		case 'note':
			d.entry('note', event.text, event.node === undefined ? {} : { node: event.node });
			break;
		case 'core-reach':
			reduceCoreReach(d, event);
			break;
	}
	settle(d);
	if (event.kind === 'log') {
		return d.finish({ node: event.node, at: event.at, level: event.level, raw: event.raw });
	}
	if (event.kind === 'core-reach') return keepCoreReach(d.finish(), event);
	return d.finish();
}

function actionText(a: { op: string; node: NodeName; toVersion?: string }): string {
	switch (a.op) {
		case 'ldm':
			return `lame duck ${a.node}`;
		case 'pause':
			return `pause ${a.node} (SIGSTOP)`;
		case 'resume':
			return `resume ${a.node} (SIGCONT)`;
		case 'kill':
			return `kill ${a.node} (SIGKILL)`;
		case 'upgrade':
			return `upgrade ${a.node}${a.toVersion ? ` to ${a.toVersion}` : ''}`;
		default:
			return `${a.op} ${a.node}`;
	}
}

function evidenceOf(e: LabEvent): Evidence {
	switch (e.kind) {
		case 'log':
			return { source: 'log', node: e.node, line: e.raw };
		case 'process':
			return { source: 'process', node: e.node, detail: processDetail(e) };
		case 'poll':
			return pollEvidence(e);
		case 'client':
			return { source: 'client', probe: e.probe, detail: e.type };
		case 'action':
			return { source: 'action', detail: `${e.by}: ${actionText(e.action)}` };
		case 'note':
			return { source: 'action', detail: e.text };
		case 'core-reach':
			return coreReachEvidence(e);
	}
}

function processDetail(e: ProcessEvent): string {
	switch (e.type) {
		case 'spawned':
			return `spawned pid ${e.pid} (v${e.version})`;
		case 'ready':
			return `pid ${e.pid} accepts client connections`;
		case 'signalled':
			return e.signal === 'ldm'
				? `lame duck signal sent to pid ${e.pid}`
				: `${e.signal} sent to pid ${e.pid}`;
		case 'exited':
			return `pid ${e.pid} exited, ${e.signal ? `signal ${e.signal}` : `code ${e.code}`}`;
		case 'spawnFailed':
			return `spawn failed: ${e.error}`;
	}
}

function pollEvidence(e: PollEvent): Evidence {
	return e.ok
		? { source: 'endpoint', node: e.node, endpoint: e.endpoint }
		: { source: 'endpoint', node: e.node, endpoint: e.endpoint, detail: e.error };
}
