// Log lines → state. A line speaks for the process that wrote it, so lines of
// an older process of the same node (different pid) change nothing but the
// log view. Lines are trusted for what only they tell: who was elected, who
// stepped down, when lame duck began, what a start-up failure said.

import { canLead, electGroup, electMeta, loseMeta } from './derive.js';
import type { Draft } from './draft.js';
import type { Evidence, LogLineEvent } from './events.js';
import { consumerKey, newConsumer, newStream, streamKey } from './groups.js';
import { enterLameDuck, freshProcess } from './reduce-process.js';
import type { NodeState } from './state.js';

export function reduceLog(d: Draft, e: LogLineEvent): void {
	let n = d.node(e.node);
	if (!n) return;
	const p = e.parsed;
	// A new process seen only through its log (no process event): start tracking it, unless the
	// banner is older than what we know (a log file read from its start replays earlier processes).
	if (
		p.type === 'ServerStarting' &&
		e.pid !== null &&
		e.pid !== n.pid &&
		n.process !== 'starting' &&
		(n.pid === null || e.at >= n.since)
	) {
		d.patchNode(e.node, freshProcess(e.at, e.pid, n.version));
		d.entry('process', `${e.node} starting (pid ${e.pid})`, { node: e.node });
		n = d.node(e.node) as NodeState;
	}
	if (e.pid !== null && n.pid !== null && e.pid !== n.pid) return;
	// Lines reach us a tick after they were written, often after the exit event of their process:
	// they describe a process that is gone. Only the reason it failed is still news.
	const gone = n.process === 'exited' || n.process === 'down';
	if (gone && p.type !== 'ConfigError' && p.type !== 'Fatal') return;
	const ev: Evidence = { source: 'log', node: e.node, line: e.raw };
	const name = e.node;
	switch (p.type) {
		case 'ServerVersion':
			d.patchNode(name, { version: p.version });
			return;
		case 'ServerIdentity':
			if (p.field === 'id') d.patchNode(name, { serverId: p.value });
			return;
		case 'ServerReady':
			if (n.process === 'starting') {
				d.patchNode(name, {
					process: 'up',
					since: e.at,
					jetstream: n.jetstream === 'starting' ? 'up' : n.jetstream,
				});
				d.entry('process', `${name} up (ready for clients)`, { node: name });
			}
			return;
		case 'JetStreamStarting':
		case 'JetStreamClusterStarting':
		case 'JetStreamBootstrapping':
		case 'JetStreamRecovering':
			if (n.jetstream === 'off') d.patchNode(name, { jetstream: 'starting' });
			return;
		case 'JetStreamStarted':
			d.patchNode(name, { jetstream: 'up' });
			return;
		case 'MetaLeaderElected': {
			const leader = p.leader === 'self' ? name : p.leader;
			d.patchNode(name, { seesMetaLeader: leader });
			electMeta(d, leader, ev);
			return;
		}
		case 'NoMetaLeader':
		case 'MetaLeaderContactMissing':
			d.patchNode(name, { seesMetaLeader: null });
			if (p.type === 'NoMetaLeader' && d.meta.leader === name) loseMeta(d, 'stepped down', ev);
			return;
		case 'StreamLeaderElected':
			electGroupFromLog(d, 'stream', streamKey(p.account, p.stream), name, ev);
			return;
		case 'ConsumerLeaderElected':
			electGroupFromLog(d, 'consumer', consumerKey(p.account, p.stream, p.consumer), name, ev);
			return;
		case 'StreamQuorumLost':
			stalled(d, 'stream', streamKey(p.account, p.stream), name);
			return;
		case 'ConsumerQuorumLost':
			stalled(d, 'consumer', consumerKey(p.account, p.stream, p.consumer), name);
			return;
		case 'LameDuckEntered':
			enterLameDuck(d, n, 'log');
			return;
		case 'JetStreamShutdownStarted':
		case 'JetStreamShutdown':
			if (n.jetstream !== 'shutdown') {
				d.patchNode(name, { jetstream: 'shutdown' });
				// Worth a line in lame duck only: 2.10+ stops JetStream 1 s in, 2.9.10 only at the very end.
				if (n.lameDuckSince != null)
					d.entry('lameDuck', `${name} JetStream shut down (lame duck)`, { node: name });
			}
			return;
		case 'ClosingClients':
			d.entry('lameDuck', `${name} closing its clients`, { node: name });
			return;
		case 'ShutdownStarted':
			if (n.process === 'up' || n.process === 'lameDuck' || n.process === 'starting') {
				d.patchNode(name, { process: 'stopping', since: e.at });
				d.entry('process', `${name} shutting down`, { node: name });
			}
			return;
		case 'HealthcheckFailed': {
			const h = n.health;
			if (h && e.at < h.since) return; // an older failure than what /healthz already told
			if (h && !h.ok && h.error === p.error) return;
			d.patchNode(name, {
				health: {
					ok: false,
					status: h?.status && h.status !== 200 ? h.status : 503,
					error: p.error,
					since: h && !h.ok ? h.since : e.at,
				},
			});
			if (!h || h.ok) d.entry('health', `${name} unhealthy: ${p.error}`, { node: name });
			return;
		}
		case 'ConfigError':
		case 'Fatal':
			d.patchNode(name, { lastError: p.message });
			d.entry('process', `${name} cannot start: ${p.message}`, { node: name });
			return;
		default:
			return;
	}
}

function electGroupFromLog(
	d: Draft,
	kind: 'stream' | 'consumer',
	key: string,
	leader: string,
	ev: Evidence,
): void {
	const table = kind === 'stream' ? d.streams : d.consumers;
	const cur = table.get(key);
	if (!cur) {
		if (kind === 'stream') d.streams.set(key, newStream(key));
		else d.consumers.set(key, newConsumer(key));
	} else if (cur.leader === leader && cur.noQuorum) {
		table.patch(key, { noQuorum: false }); // re-elected itself after a stall
	}
	electGroup(d, { kind, key }, leader, ev);
}

/** `has NO quorum, stalled` counts only from the current leader (a resumed, frozen ex-leader says it too). */
function stalled(d: Draft, kind: 'stream' | 'consumer', key: string, node: string): void {
	const table = kind === 'stream' ? d.streams : d.consumers;
	const cur = table.get(key);
	if (!cur || cur.noQuorum || (cur.leader !== null && cur.leader !== node)) return;
	const n = d.node(node);
	if (cur.leader === null && (!n || !canLead(n.process))) return;
	table.patch(key, { noQuorum: true });
	d.entry('quorum', `${kind} ${key} has no quorum: stalled (${node})`, { node });
}
