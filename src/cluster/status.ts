// A point-in-time report of a cluster: process facts from the kernel, plus
// /varz, /jsz and /healthz summaries from each reachable node.

import type { NodeName, NodePorts } from '../base/names.js';
import { normalizeHealthz, normalizeJsz, normalizeVarz } from '../monitoring/normalize.js';
import type { HealthzSnapshot, JszSnapshot, VarzSnapshot } from '../monitoring/types.js';
import { httpGet } from './monitor.js';

export interface NodeStatus {
	name: NodeName;
	pid: number | null;
	running: boolean;
	/** SIGSTOPped (natslab `pause`): alive but frozen; its endpoints are not queried. */
	paused: boolean;
	version: string;
	ports: NodePorts;
	clientUrl: string;
	httpUrl: string;
	logFile: string;
	varz?: VarzSnapshot;
	jsz?: JszSnapshot;
	healthz?: HealthzSnapshot;
	/** Why an endpoint could not be read (e.g. connection refused). */
	unreachable?: string;
}

export interface ClusterStatus {
	workspace: string;
	workspaceDir: string;
	detached: boolean;
	/** The meta leader every queried node agrees on, or null. */
	metaLeader: NodeName | null;
	nodes: NodeStatus[];
}

/** Fill in the live endpoint summaries of one running, unpaused node. */
export async function probeEndpoints(status: NodeStatus, timeoutMs = 1000): Promise<NodeStatus> {
	if (!status.running || status.paused) return status;
	const [varz, jsz, healthz] = await Promise.allSettled([
		httpGet(`${status.httpUrl}/varz`, timeoutMs),
		httpGet(`${status.httpUrl}/jsz`, timeoutMs),
		httpGet(`${status.httpUrl}/healthz`, timeoutMs),
	]);
	const out: NodeStatus = { ...status };
	if (varz.status === 'fulfilled' && varz.value.status === 200) out.varz = normalizeVarz(varz.value.body);
	if (jsz.status === 'fulfilled' && jsz.value.status === 200) out.jsz = normalizeJsz(jsz.value.body);
	if (healthz.status === 'fulfilled')
		out.healthz = normalizeHealthz(healthz.value.status, bodyText(healthz.value.body));
	const failed = [varz, jsz, healthz].find((r) => r.status === 'rejected');
	if (failed?.status === 'rejected') {
		out.unreachable = failed.reason instanceof Error ? failed.reason.message : String(failed.reason);
	}
	return out;
}

/** The leader all nodes with a /jsz answer name, when they agree. */
export function agreedLeader(nodes: NodeStatus[]): NodeName | null {
	const seen = nodes.filter((n) => n.jsz).map((n) => n.jsz?.metaLeader ?? null);
	if (seen.length === 0) return null;
	const first = seen[0] ?? null;
	return first !== null && seen.every((l) => l === first) ? first : null;
}

/** The monitor keeps parsed JSON; the shared normaliser wants the text the server sent. */
function bodyText(body: unknown): string {
	return typeof body === 'string' ? body : JSON.stringify(body);
}
