// A point-in-time report of a cluster: process facts from the kernel, plus
// /varz, /jsz and /healthz summaries from each reachable node, and every
// stream's and consumer's Raft leader. Plain /jsz lists no streams on any
// version, so /jsz is asked with accounts, streams and consumers (the same
// question the lab's pollers ask; 2.9.10, 2.10.27 and 2.15.1 all answer it).

import type { NodeName, NodePorts } from '../base/names.js';
import { jsonOrText, monitoringGet } from '../monitoring/http.js';
import { JSZ_STREAMS_PATH, streamSnapshotOf, streamsOfJsz } from '../monitoring/jsz-streams.js';
import { agreedMetaLeader } from '../monitoring/meta-leader.js';
import { normalizeHealthz, normalizeJsz, normalizeVarz } from '../monitoring/normalize.js';
import { isLeadersOwnView, majorityOf } from '../monitoring/raft-group.js';
import type { HealthzSnapshot, JszSnapshot, StreamSnapshot, VarzSnapshot } from '../monitoring/types.js';

export const STATUS_JSZ_PATH = JSZ_STREAMS_PATH;

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
	/** The streams this node holds, as it sees them (dropped from the report by clusterStatusOf). */
	streams?: StreamSnapshot[];
}

export interface ClusterStatus {
	workspace: string;
	workspaceDir: string;
	detached: boolean;
	/** The meta leader every queried node agrees on, or null. */
	metaLeader: NodeName | null;
	/** Meta group size as the servers report it (`meta_cluster.cluster_size`). */
	metaClusterSize: number | null;
	/** Votes the meta group needs: the servers' `quorum_needed` (2.15+), else a majority of the size. */
	metaQuorumNeeded: number | null;
	/** Every stream any node holds, each as its leader sees it (see pickStreamViews). */
	streams: StreamSnapshot[];
	nodes: NodeStatus[];
}

/** Fill in the live endpoint summaries of one running, unpaused node. */
export async function probeEndpoints(status: NodeStatus, timeoutMs = 1000): Promise<NodeStatus> {
	if (!status.running || status.paused) return status;
	const get = (path: string) => monitoringGet(`${status.httpUrl}${path}`, timeoutMs);
	const [varz, jsz, healthz] = await Promise.all([get('/varz'), get(STATUS_JSZ_PATH), get('/healthz')]);
	const out: NodeStatus = { ...status };
	if (varz.ok && varz.status === 200) out.varz = normalizeVarz(jsonOrText(varz.body));
	if (jsz.ok && jsz.status === 200) Object.assign(out, jszFacts(status.name, jsonOrText(jsz.body)));
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

/** What a node's `/jsz?accounts=true&streams=true&consumers=true` answer says: meta group and streams. */
export function jszFacts(node: NodeName, json: unknown): Pick<NodeStatus, 'jsz' | 'streams'> {
	return {
		jsz: withQuorum(normalizeJsz(json)),
		streams: streamsOf(json, node),
	};
}

/**
 * Only 2.15+ reports `meta_cluster.quorum_needed`; before, the meta group needs a majority of the
 * `cluster_size` it reports all the same (the debug log says so: "cluster size 3, quorum 2").
 */
function withQuorum(jsz: JszSnapshot): JszSnapshot {
	if (jsz.quorumNeeded !== null || jsz.clusterSize === null) return jsz;
	return { ...jsz, quorumNeeded: majorityOf(jsz.clusterSize) };
}

/** Every stream `node` reports, once per name (the first account holding it), sorted by name. */
function streamsOf(json: unknown, node: NodeName): StreamSnapshot[] {
	const byName = new Map<string, StreamSnapshot>();
	for (const s of streamsOfJsz(json)) if (!byName.has(s.name)) byName.set(s.name, streamSnapshotOf(s, node));
	return [...byName.values()].sort((a, b) => a.stream.localeCompare(b.stream));
}

/**
 * One view per stream: the answer of the node that names itself the stream's leader (only the
 * leader knows whether the other replicas are current; a follower lists them all as not current),
 * else the first node holding it. All answers of one `status` were taken at the same moment.
 */
export function pickStreamViews(nodes: NodeStatus[]): StreamSnapshot[] {
	const byName = new Map<string, StreamSnapshot>();
	for (const view of nodes.flatMap((n) => n.streams ?? [])) {
		const held = byName.get(view.stream);
		const ownView = isLeadersOwnView(view.leader, view.viewFrom);
		if (!held || (ownView && !isLeadersOwnView(held.leader, held.viewFrom))) byName.set(view.stream, view);
	}
	return [...byName.values()].sort((a, b) => a.stream.localeCompare(b.stream));
}

/** The whole report from the nodes' answers: the agreed meta leader, its group, every stream once. */
export function clusterStatusOf(
	where: { workspace: string; workspaceDir: string; detached: boolean },
	answered: NodeStatus[],
): ClusterStatus {
	const metaLeader = agreedLeader(answered);
	const streams = pickStreamViews(answered);
	const nodes = answered.map(({ streams: _perNode, ...node }) => node);
	return { ...where, metaLeader, ...metaGroupOf(answered, metaLeader), streams, nodes };
}

/** The meta group's size and quorum as the agreed leader reports them (else any node that answers). */
export function metaGroupOf(
	nodes: NodeStatus[],
	leader: NodeName | null,
): { metaClusterSize: number | null; metaQuorumNeeded: number | null } {
	const views = nodes.flatMap((n) => (n.jsz ? [{ node: n.name, jsz: n.jsz }] : []));
	const chosen =
		views.find((v) => v.node === leader)?.jsz ?? views.find((v) => v.jsz.clusterSize !== null)?.jsz;
	return { metaClusterSize: chosen?.clusterSize ?? null, metaQuorumNeeded: chosen?.quorumNeeded ?? null };
}
