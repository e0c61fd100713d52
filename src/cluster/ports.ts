// Port layout and choice. A cluster with base B uses client B+i, cluster
// B+2000+i and monitoring B+4000+i (i = 0, 1, 2 …), all on 127.0.0.1; with
// proxied links also B+3000 … B+3000+n(n-1) (one proxy per ordered pair and
// the advertise port, cluster/links/pairs.ts).
import { createServer } from 'node:net';
import { EXIT, UserError } from '../base/errors.js';
import { DEFAULT_BASE_PORT, type NodeName, type NodePorts } from '../base/names.js';
import { valueOption } from '../base/options.js';

export const CLUSTER_PORT_OFFSET = 2000;
export const HTTP_PORT_OFFSET = 4000;
/** Pair proxies of proxied links sit between the cluster ports (+2000) and monitoring (+4000). */
export const PROXY_PORT_OFFSET = 3000;
/** The most nodes a natslab cluster has (`--nodes 5`). */
export const MAX_NODE_COUNT = 5;

/** Proxied links: one proxy per ordered pair of nodes, plus the advertise port nothing listens on. */
export function proxyPortCount(nodeCount: number): number {
	return nodeCount * (nodeCount - 1) + 1;
}

/**
 * When the default block is taken, try the next block this far up, this many times. Blocks are
 * sized for the largest cluster's largest range: 5 nodes' 21 proxy ports (B+3000..B+3020), so
 * two neighbouring blocks never share a port, proxied or not.
 */
export const BLOCK_STEP = 25;
export const MAX_BLOCK_TRIES = 20;

export function portsFor(base: number, index: number): NodePorts {
	return {
		client: base + index,
		cluster: base + CLUSTER_PORT_OFFSET + index,
		http: base + HTTP_PORT_OFFSET + index,
	};
}

export function layout(base: number, nodes: readonly NodeName[]): Record<NodeName, NodePorts> {
	return Object.fromEntries(nodes.map((n, i) => [n, portsFor(base, i)]));
}

/**
 * Every port of a layout with a human label, e.g. `{port: 14223, label: 'n2 client'}`; with
 * `proxiedBase`, the link proxies' ports of that base too.
 */
export function labelledPorts(
	ports: Record<NodeName, NodePorts>,
	proxiedBase?: number,
): { port: number; label: string }[] {
	const nodes = Object.entries(ports).flatMap(([node, p]) => [
		{ port: p.client, label: `${node} client` },
		{ port: p.cluster, label: `${node} cluster` },
		{ port: p.http, label: `${node} monitoring` },
	]);
	if (proxiedBase === undefined) return nodes;
	const count = proxyPortCount(Object.keys(ports).length);
	const proxies = Array.from({ length: count }, (_, k) => ({
		port: proxiedBase + PROXY_PORT_OFFSET + k,
		label: k === count - 1 ? 'link advertise port' : `link proxy ${k + 1}`,
	}));
	return [...nodes, ...proxies];
}

/** The cluster size the commands start (n1, n2, n3; `--nodes 5` for n1..n5). */
export const DEFAULT_NODE_COUNT = 3;

/** The highest base port whose whole layout (up to the last monitoring port) fits below 65536. */
export function maxBasePort(nodeCount: number): number {
	return 65535 - HTTP_PORT_OFFSET - nodeCount + 1;
}

/** The one base-port rule: a whole number from 1024 up to maxBasePort. */
export function validateBasePort(base: number, nodeCount: number): void {
	if (!Number.isInteger(base) || base < 1024 || base > maxBasePort(nodeCount)) {
		throw new UserError(
			`invalid base port ${base}: it must be a whole number from 1024 to ${maxBasePort(nodeCount)}`,
			EXIT.usage,
		);
	}
}

/** `--base-port N` as typed: the same rule, in the words of the option (usage exit code). */
export function parseBasePort(raw: string, flag = '--base-port', nodeCount = DEFAULT_NODE_COUNT): number {
	const base = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
	try {
		validateBasePort(base, nodeCount);
	} catch (err) {
		throw new UserError(`${flag} ${raw}: needs a whole number from 1024 to ${maxBasePort(nodeCount)}`, {
			exitCode: EXIT.usage,
			cause: err,
		});
	}
	return base;
}

/** n1..nN: the node names of a cluster of `count` nodes. */
export function nodeNames(count: number): NodeName[] {
	return Array.from({ length: count }, (_, i) => `n${i + 1}`);
}

/** `--nodes 3|5` as every command that starts a cluster declares it: the node names it asks for. */
export const NODES_OPTION = valueOption(
	'3|5',
	'cluster size: n1..n3, or n1..n5 (R3 and R5 streams, quorum 3 of 5)',
	(raw: string, flagName: string) => {
		if (raw !== '3' && raw !== String(MAX_NODE_COUNT))
			throw new UserError(`${flagName} must be 3 or ${MAX_NODE_COUNT}, not "${raw}"`, EXIT.usage);
		return nodeNames(Number(raw));
	},
	'3',
);

/** `--base-port N` as every command that starts a cluster declares it (one rule, one help line). */
export const BASE_PORT_OPTION = valueOption(
	'N',
	'client ports N..N+2 (N+4 with --nodes 5), routes N+2000..,\nmonitoring N+4000.., link proxies (if any) N+3000..',
	parseBasePort,
	String(DEFAULT_BASE_PORT),
);

/** True when 127.0.0.1:port can be bound right now (the same check nats-server's bind would make). */
export function isPortFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const server = createServer();
		server.unref();
		server.once('error', () => resolve(false));
		server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
			server.close(() => resolve(true));
		});
	});
}

export type PortProbe = (port: number) => Promise<boolean>;

/** The first busy port of a layout, or null when all are free. */
export async function firstBusyPort(
	ports: Record<NodeName, NodePorts>,
	isFree: PortProbe = isPortFree,
	proxiedBase?: number,
): Promise<{ port: number; label: string } | null> {
	const all = labelledPorts(ports, proxiedBase);
	const free = await Promise.all(all.map((p) => isFree(p.port)));
	const i = free.indexOf(false);
	return i < 0 ? null : (all[i] ?? null);
}

export interface PortChoice {
	base: number;
	ports: Record<NodeName, NodePorts>;
	/** Set when the default block was busy and another one was chosen. */
	notice?: string;
}

/**
 * An explicit base port must be free as a whole (else a one-line UserError naming the busy
 * port). Without one, start at `searchFrom` and move up one block (BLOCK_STEP) at a time.
 */
export async function choosePorts(opts: {
	nodes: readonly NodeName[];
	explicitBase?: number;
	searchFrom: number;
	/** How to tell a free port (default: try to bind it on 127.0.0.1). */
	isFree?: PortProbe;
	/** Proxied links: the link proxies' ports must be free too. */
	proxied?: boolean;
}): Promise<PortChoice> {
	const isFree = opts.isFree ?? isPortFree;
	const proxiedBase = (base: number) => (opts.proxied ? base : undefined);
	if (opts.explicitBase !== undefined) {
		validateBasePort(opts.explicitBase, opts.nodes.length);
		const ports = layout(opts.explicitBase, opts.nodes);
		const busy = await firstBusyPort(ports, isFree, proxiedBase(opts.explicitBase));
		if (busy) {
			throw new UserError(
				`port ${busy.port} (${busy.label}) is already in use on 127.0.0.1: choose another base port`,
				EXIT.environment,
			);
		}
		return { base: opts.explicitBase, ports };
	}
	validateBasePort(opts.searchFrom, opts.nodes.length);
	let firstBusy: { port: number; label: string } | null = null;
	for (let i = 0; i < MAX_BLOCK_TRIES; i++) {
		const base = opts.searchFrom + i * BLOCK_STEP;
		if (base + HTTP_PORT_OFFSET + opts.nodes.length - 1 > 65535) break;
		const ports = layout(base, opts.nodes);
		const busy = await firstBusyPort(ports, isFree, proxiedBase(base));
		if (!busy) {
			if (i === 0) return { base, ports };
			const c = ports[opts.nodes[0] as NodeName] as NodePorts;
			return {
				base,
				ports,
				notice: `port ${firstBusy?.port} (${firstBusy?.label}) is in use, so the cluster uses client ports ${c.client}-${c.client + opts.nodes.length - 1} (base port ${base})`,
			};
		}
		firstBusy ??= busy;
	}
	throw new UserError(
		`no free port block found from base ${opts.searchFrom} (first busy: ${firstBusy?.port}): pass --base-port`,
		EXIT.environment,
	);
}

/**
 * Port blocks for clusters that run side by side (`learn --all --auto --jobs N`): `lanes`
 * neighbouring blocks BLOCK_STEP apart, one per lane, kept by it for every cluster it starts.
 * With an explicit base, the blocks from it (each checked as its cluster starts, as any explicit
 * base); else the first run of `lanes` blocks from `searchFrom` up that is free as a whole now.
 * Chosen once, up front: a lane that searched at each start could take the block of another
 * lane whose nodes are down for a moment in its lesson.
 */
export async function chooseLaneBases(opts: {
	nodes: readonly NodeName[];
	lanes: number;
	explicitBase?: number;
	searchFrom: number;
	isFree?: PortProbe;
	proxied?: boolean;
}): Promise<number[]> {
	const isFree = opts.isFree ?? isPortFree;
	const bases = (first: number) => Array.from({ length: opts.lanes }, (_, k) => first + k * BLOCK_STEP);
	/** The last lane's last monitoring port. */
	const lastPort = (first: number) =>
		first + (opts.lanes - 1) * BLOCK_STEP + HTTP_PORT_OFFSET + opts.nodes.length - 1;
	const fits = (first: number) => lastPort(first) <= 65535;
	if (opts.explicitBase !== undefined) {
		validateBasePort(opts.explicitBase, opts.nodes.length);
		if (!fits(opts.explicitBase))
			throw new UserError(
				`invalid base port ${opts.explicitBase}: ${opts.lanes} clusters side by side need blocks up to ${lastPort(opts.explicitBase)}, above 65535`,
				EXIT.usage,
			);
		return bases(opts.explicitBase);
	}
	validateBasePort(opts.searchFrom, opts.nodes.length);
	let firstBusy: { port: number; label: string } | null = null;
	for (let i = 0; i < MAX_BLOCK_TRIES && fits(opts.searchFrom + i * BLOCK_STEP); i++) {
		const first = opts.searchFrom + i * BLOCK_STEP;
		const busy = await Promise.all(
			bases(first).map((b) => firstBusyPort(layout(b, opts.nodes), isFree, opts.proxied ? b : undefined)),
		);
		const found = busy.find((b) => b !== null) ?? null;
		if (!found) return bases(first);
		firstBusy ??= found;
	}
	throw new UserError(
		`no ${opts.lanes} free port blocks side by side from base ${opts.searchFrom} (first busy: ${firstBusy?.port}): pass --base-port`,
		EXIT.environment,
	);
}
