// What Cluster.open and Cluster.attach do before a Cluster exists: reap what
// crashed runs left, refuse a workspace that is in use, choose ports, prepare
// folders; or read back a detached cluster from its run file.
import { mkdirSync } from 'node:fs';
import { UserError } from '../base/errors.js';
import type { ProcessEvent } from '../base/names.js';
import { DEFAULT_BASE_PORT, DEFAULT_NODES, type NodeName, type NodePorts } from '../base/names.js';
import { natslabPaths } from '../base/paths.js';
import { normalizeVersion } from '../base/versions.js';
import type { ServerOptions } from './config.js';
import { ClusterLinks, stopProxyProcess } from './links/cluster-links.js';
import type { LinksMode } from './links/pairs.js';
import { choosePorts } from './ports.js';
import { isSameProcess } from './process-info.js';
import { classifyRun, reapOrphans, reapServers, selfRef } from './reaper.js';
import { type OwnerRef, readRunFile, removeRunFile } from './run-file.js';
import type { SpawnSettings } from './server-process.js';
import { clearAside } from './trash.js';
import {
	clustersDir,
	DEFAULT_WORKSPACE,
	validateNodeNames,
	validateWorkspaceName,
	WorkspacePaths,
} from './workspace.js';

export interface ClusterOptions {
	version: string;
	binaryFor: (version: string) => Promise<string>;
	/** Default: natslabPaths().state. */
	stateDir?: string;
	/** Default: 'default'. */
	workspace?: string;
	/** Explicit base port: must be free as a whole, or open() fails naming the busy port. */
	basePort?: number;
	/** Where the free-block search starts without `basePort` (default 14222). */
	defaultBasePort?: number;
	nodes?: NodeName[];
	/** Leave servers running after natslab exits, owned by the run file (`natslab cluster up`). */
	detached?: boolean;
	/** Wipe data and logs (default true). */
	fresh?: boolean;
	/** Version-gated extra server options, emitted only for versions that know them (config.ts). */
	serverOptions?: ServerOptions;
	/** false: spawn without `setpriv --pdeathsig` even on Linux (as on platforms without setpriv). */
	pdeathsig?: boolean;
	/** 'proxied': every route goes through natslab's pair proxies, which can cut links (default 'direct'). */
	links?: LinksMode;
	onEvent?: (e: ProcessEvent) => void;
	onNotice?: (msg: string) => void;
}

export interface AttachOptions {
	stateDir?: string;
	workspace?: string;
	binaryFor: (version: string) => Promise<string>;
	onEvent?: (e: ProcessEvent) => void;
	onNotice?: (msg: string) => void;
}

export interface NodeInit {
	version: string;
	ports: NodePorts;
	pid: number | null;
	startTime: string | null;
}

/** Everything a Cluster is built from. */
export interface ClusterInit extends SpawnSettings {
	paths: WorkspacePaths;
	workspace: string;
	basePort: number;
	nodes: Map<NodeName, NodeInit>;
	owner: OwnerRef | null;
	serverOptions: ServerOptions;
	/** The pair proxies of a proxied cluster; null for direct links. */
	links: ClusterLinks | null;
	onEvent: (e: ProcessEvent) => void;
}

export function requireVersion(input: string): string {
	const v = normalizeVersion(input);
	if (!v) throw new UserError(`invalid nats-server version "${input}" (expected e.g. 2.10.27)`);
	return v;
}

export async function prepareOpen(opts: ClusterOptions): Promise<ClusterInit> {
	const version = requireVersion(opts.version);
	const workspace = opts.workspace ?? DEFAULT_WORKSPACE;
	validateWorkspaceName(workspace);
	const nodes = [...(opts.nodes ?? DEFAULT_NODES)];
	validateNodeNames(nodes);
	const stateDir = opts.stateDir ?? natslabPaths().state;
	const paths = WorkspacePaths.of(stateDir, workspace);
	const onNotice = opts.onNotice ?? (() => {});

	for (const r of await reapOrphans(clustersDir(stateDir))) {
		const list = r.servers.map((s) => `${s.node} pid ${s.pid}`).join(', ');
		onNotice(
			`stopped ${r.servers.length} nats-server(s) left by natslab pid ${r.ownerPid} (workspace ${r.workspace}: ${list})`,
		);
	}
	const previous = readRunFile(paths.runFile);
	if (previous === 'invalid') {
		onNotice(`ignored a damaged run file ${paths.runFile}`);
	} else if (previous) {
		const status = classifyRun(previous);
		if (status.kind === 'owned') {
			throw new UserError(`workspace ${workspace} is in use by natslab pid ${status.owner.pid}`);
		}
		if (status.kind === 'detached' && status.running > 0) {
			throw new UserError(
				`a cluster is already up in workspace ${workspace}: stop it with \`natslab cluster down\` first`,
			);
		}
	}

	// Resolve the binary before touching anything, so a bad version fails cleanly.
	await opts.binaryFor(version);
	// A dead run's proxy process holds the proxy ports until it notices the new run file: stop it
	// before the ports are checked, or a proxied open of the same workspace finds its own ports busy.
	if (previous && previous !== 'invalid') await stopProxyProcess(previous.links);
	const choice = await choosePorts({
		nodes,
		explicitBase: opts.basePort,
		searchFrom: opts.defaultBasePort ?? DEFAULT_BASE_PORT,
		proxied: opts.links === 'proxied',
	});
	if (choice.notice) onNotice(choice.notice);

	removeRunFile(paths.runFile);
	if (opts.fresh ?? true) clearAside(paths.dir, [paths.dataRoot, paths.logsDir]);
	for (const dir of [paths.confDir, paths.logsDir, paths.dataRoot]) mkdirSync(dir, { recursive: true });

	const detached = opts.detached ?? false;
	const links = await ClusterLinks.open({
		mode: opts.links ?? 'direct',
		basePort: choice.base,
		nodes,
		clusterPort: (n) => (choice.ports[n] as NodePorts).cluster,
		detached,
		workspaceDir: paths.dir,
		runFile: paths.runFile,
		logsDir: paths.logsDir,
	});
	return {
		paths,
		workspace,
		basePort: choice.base,
		links,
		nodes: new Map(
			nodes.map((n) => [n, { version, ports: choice.ports[n] as NodePorts, pid: null, startTime: null }]),
		),
		owner: detached ? null : selfRef(),
		detached,
		serverOptions: opts.serverOptions ?? {},
		pdeathsig: opts.pdeathsig ?? true,
		binaryFor: opts.binaryFor,
		onEvent: opts.onEvent ?? (() => {}),
		onNotice,
	};
}

/** Null when the workspace has no detached cluster (a crashed owner's servers are reaped first). */
export async function prepareAttach(opts: AttachOptions): Promise<ClusterInit | null> {
	const workspace = opts.workspace ?? DEFAULT_WORKSPACE;
	validateWorkspaceName(workspace);
	const paths = WorkspacePaths.of(opts.stateDir ?? natslabPaths().state, workspace);
	const onNotice = opts.onNotice ?? (() => {});
	const run = readRunFile(paths.runFile);
	if (run === null || run === 'invalid') return null;
	const status = classifyRun(run);
	if (status.kind === 'owned') {
		throw new UserError(
			`the cluster in workspace ${workspace} belongs to a running natslab (pid ${status.owner.pid}): control it there`,
		);
	}
	if (status.kind === 'orphaned') {
		const reaped = await reapServers(run);
		removeRunFile(paths.runFile);
		if (reaped.length > 0)
			onNotice(`stopped ${reaped.length} nats-server(s) left by natslab pid ${status.owner.pid}`);
		return null;
	}
	const nodes = new Map<NodeName, NodeInit>();
	for (const [node, rec] of Object.entries(run.nodes)) {
		const alive = rec.pid !== null && isSameProcess(rec.pid, rec.startTime);
		nodes.set(node, {
			version: rec.version,
			ports: rec.ports,
			pid: alive ? rec.pid : null,
			startTime: alive ? rec.startTime : null,
		});
	}
	return {
		paths,
		workspace,
		basePort: run.basePort,
		nodes,
		owner: null,
		detached: true,
		serverOptions: (run.serverOptions ?? {}) as ServerOptions,
		links: ClusterLinks.attach(
			run.links,
			run.basePort,
			[...nodes.keys()],
			(n) => nodes.get(n)?.ports.cluster ?? 0,
		),
		pdeathsig: false,
		binaryFor: opts.binaryFor,
		onEvent: opts.onEvent ?? (() => {}),
		onNotice,
	};
}
