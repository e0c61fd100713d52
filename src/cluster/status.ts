// A point-in-time report of a cluster: process facts from the kernel, plus
// /varz, /jsz and /healthz summaries from each reachable node.

import type { NodeName, NodePorts } from '../base/names.js';
import { jsonOrText, monitoringGet } from '../monitoring/http.js';
import { agreedMetaLeader } from '../monitoring/meta-leader.js';
import { normalizeHealthz, normalizeJsz, normalizeVarz } from '../monitoring/normalize.js';
import type { HealthzSnapshot, JszSnapshot, VarzSnapshot } from '../monitoring/types.js';

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
	const get = (path: string) => monitoringGet(`${status.httpUrl}${path}`, timeoutMs);
	const [varz, jsz, healthz] = await Promise.all([get('/varz'), get('/jsz'), get('/healthz')]);
	const out: NodeStatus = { ...status };
	if (varz.ok && varz.status === 200) out.varz = normalizeVarz(jsonOrText(varz.body));
	if (jsz.ok && jsz.status === 200) out.jsz = normalizeJsz(jsonOrText(jsz.body));
	if (healthz.ok) out.healthz = normalizeHealthz(healthz.status, healthz.body);
	const failed = [varz, jsz, healthz].find((r) => !r.ok);
	if (failed && !failed.ok) out.unreachable = failed.error;
	return out;
}

/** The meta leader every node with a /jsz answer names, when they agree on a running node. */
export function agreedLeader(nodes: NodeStatus[]): NodeName | null {
	const views = nodes.flatMap((n) => (n.jsz ? [{ node: n.name, metaLeader: n.jsz.metaLeader }] : []));
	return agreedMetaLeader(
		views,
		nodes.filter((n) => n.running).map((n) => n.name),
	);
}
