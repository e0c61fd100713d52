// A real local nats-server cluster and full control over each node. Servers
// run from their own config, log to their own file and are recorded in the
// workspace's run file; nothing may outlive natslab by accident (spawn.ts,
// reaper.ts), except a cluster deliberately left running (`detached`).
import { rmSync, writeFileSync } from 'node:fs';
import { UserError } from '../base/errors.js';
import type { NodeAction, NodeName, NodePorts, ProcessEvent } from '../base/names.js';
import { settleAll } from '../base/settle.js';
import { renderNodeConfig, type ServerOptions } from './config.js';
import type { ClusterLinks } from './links/cluster-links.js';
import {
	type AttachOptions,
	type ClusterInit,
	type ClusterOptions,
	prepareAttach,
	prepareOpen,
	requireVersion,
} from './open.js';
import { isSameProcess } from './process-info.js';
import {
	type OnStalledElection,
	restartOnStalledElection,
	waitForAgreedLeader,
	waitForFullMetaGroup,
} from './readiness.js';
import { type RunFile, type RunNodeRecord, removeRunFile, updateRunFile } from './run-file.js';
import { ServerProcess } from './server-process.js';
import { type ClusterStatus, clusterStatusOf, type NodeStatus, probeEndpoints } from './status.js';

export type { ServerOptionName, ServerOptions } from './config.js';
export type { AttachOptions, ClusterOptions } from './open.js';
export type { ClusterStatus, NodeStatus } from './status.js';

export class Cluster {
	readonly nodes: NodeName[];
	readonly workspaceDir: string;
	readonly workspace: string;
	/** Servers run without a parent-death signal and stay up after natslab exits. */
	readonly detached: boolean;
	private readonly servers = new Map<NodeName, ServerProcess>();
	private readonly locks = new Map<NodeName, Promise<unknown>>();
	private readonly noticed = new Set<string>();
	private closed = false;

	private constructor(private readonly init: ClusterInit) {
		this.nodes = [...init.nodes.keys()];
		this.workspaceDir = init.paths.dir;
		this.workspace = init.workspace;
		this.detached = init.detached;
		const emit = (e: ProcessEvent) => {
			try {
				init.onEvent(e);
			} catch {
				// A listener's bug must not break process control.
			}
		};
		for (const [node, n] of init.nodes) {
			const setup = {
				node,
				ports: n.ports,
				configFile: init.paths.configFile(node),
				logFile: init.paths.logFile(node),
				dataDir: init.paths.dataDir(node),
				detached: init.detached,
				pdeathsig: init.pdeathsig,
				binaryFor: init.binaryFor,
				emit,
				onNotice: init.onNotice,
				onChange: (exitedPid?: number) => this.persist(node, exitedPid),
				writeConfig: (version: string) => this.writeConfig(node, version),
			};
			this.servers.set(node, new ServerProcess(setup, n));
		}
	}

	/** Reap what a crashed run left, choose ports, write configs and the run file. Starts no server. */
	static async open(opts: ClusterOptions): Promise<Cluster> {
		const cluster = new Cluster(await prepareOpen(opts));
		for (const node of cluster.nodes) cluster.writeConfig(node, cluster.versionOf(node));
		cluster.persist();
		return cluster;
	}

	/**
	 * Control a cluster left running by `natslab cluster up` (or a detached lab). Null when the
	 * workspace has none; a run whose owner crashed is reaped (and null returned).
	 */
	static async attach(opts: AttachOptions): Promise<Cluster | null> {
		const init = await prepareAttach(opts);
		if (!init) return null;
		const cluster = new Cluster(init);
		cluster.persist();
		return cluster;
	}

	// ── facts ────────────────────────────────────────────────────────────────

	ports(node: NodeName): NodePorts {
		return { ...(this.init.nodes.get(this.requireNode(node)) as { ports: NodePorts }).ports };
	}
	clientUrl(node: NodeName): string {
		return `nats://127.0.0.1:${this.ports(node).client}`;
	}
	httpUrl(node: NodeName): string {
		return `http://127.0.0.1:${this.ports(node).http}`;
	}
	logFile(node: NodeName): string {
		return this.init.paths.logFile(this.requireNode(node));
	}
	configFile(node: NodeName): string {
		return this.init.paths.configFile(this.requireNode(node));
	}
	dataDir(node: NodeName): string {
		return this.init.paths.dataDir(this.requireNode(node));
	}
	get runFile(): string {
		return this.init.paths.runFile;
	}
	versionOf(node: NodeName): string {
		return this.server(node).version;
	}
	pidOf(node: NodeName): number | null {
		const s = this.server(node);
		return s.isRunning() ? s.pid : null;
	}
	/** The extra server options its configs are written with (rehearse --config). */
	get serverOptions(): ServerOptions {
		return this.init.serverOptions;
	}
	/** The pair proxies every route goes through (cluster/links/); null when the servers route directly. */
	get links(): ClusterLinks | null {
		return this.init.links;
	}
	/** Alive (paused counts as alive). */
	isRunning(node: NodeName): boolean {
		return this.server(node).isRunning();
	}
	isPaused(node: NodeName): boolean {
		return this.server(node).isPaused();
	}

	// ── node operations ──────────────────────────────────────────────────────

	/** Start every stopped node at once; rejects with the first failure (the others keep running). */
	async startAll(): Promise<void> {
		await settleAll(this.nodes.filter((n) => !this.isRunning(n)).map((n) => this.start(n)));
	}
	start(node: NodeName): Promise<void> {
		return this.locked(node, (s) => s.start());
	}
	stop(node: NodeName): Promise<void> {
		return this.locked(node, (s) => s.stop('stop'));
	}
	kill(node: NodeName): Promise<void> {
		return this.locked(node, (s) => s.stop('kill'));
	}
	/** Lame duck mode (`<binary> --signal ldm=<pid>`); resolves once the signal is sent. */
	ldm(node: NodeName): Promise<void> {
		return this.locked(node, (s) => s.ldm());
	}
	pause(node: NodeName): Promise<void> {
		return this.locked(node, (s) => s.pause());
	}
	resume(node: NodeName): Promise<void> {
		return this.locked(node, (s) => s.resume());
	}
	restart(node: NodeName): Promise<void> {
		return this.locked(node, async (s) => {
			if (s.isRunning()) await s.stop('stop');
			await s.start();
		});
	}

	/** Stop, switch to `version`, start again on the same store (config regenerated for it). */
	async upgrade(node: NodeName, version: string): Promise<void> {
		const to = requireVersion(version);
		this.requireNode(node);
		// Fetch first: a version that cannot be had must not leave the node stopped.
		await this.init.binaryFor(to);
		return this.locked(node, async (s) => {
			const from = s.version;
			if (s.isRunning()) await s.stop('stop');
			s.version = to;
			this.persist(node);
			if (from !== to) this.init.onNotice(`${node}: nats-server ${from} → ${to}`);
			await s.start();
		});
	}

	/** Every NodeOp but `upgrade` is the method of that name (the compiler checks that one exists). */
	perform(action: NodeAction): Promise<void> {
		const { op, node } = action;
		if (op !== 'upgrade') return this[op](node);
		if (!action.toVersion) return Promise.reject(new UserError('upgrade needs a version to upgrade to'));
		return this.upgrade(node, action.toVersion);
	}

	/** Wait until every running, unpaused node's /jsz names the same meta leader; returns it. */
	waitForMetaLeader(timeoutMs = 30_000, stalled?: OnStalledElection): Promise<NodeName> {
		return waitForAgreedLeader(
			() =>
				this.nodes
					.filter((n) => this.isRunning(n) && !this.isPaused(n))
					.map((name) => ({ name, httpUrl: this.httpUrl(name) })),
			timeoutMs,
			undefined,
			stalled,
		);
	}

	/** A fresh cluster's stalled election (see restartOnStalledElection): one server restarted, with a notice. */
	private readonly onStalledElection: OnStalledElection = restartOnStalledElection({
		nodeCount: () => this.nodes.length,
		restart: (node) => this.restart(node),
		onNotice: (msg) => this.init.onNotice(msg),
	});

	/**
	 * For a freshly started cluster: an agreed meta leader whose group holds every node.
	 * Restarts a node that the meta group left out (see waitForFullMetaGroup), and one server of
	 * an election that stalled (restartOnStalledElection).
	 */
	waitForReady(timeoutMs = 30_000): Promise<NodeName> {
		return waitForFullMetaGroup({
			nodes: this.nodes.map((name) => ({ name, httpUrl: this.httpUrl(name) })),
			leader: () => this.waitForMetaLeader(timeoutMs, this.onStalledElection),
			restart: (node) => this.restart(node),
			onNotice: (msg) => this.init.onNotice(msg),
			timeoutMs,
		});
	}

	async status(): Promise<ClusterStatus> {
		const nodes: NodeStatus[] = await Promise.all(
			this.nodes.map((name) =>
				probeEndpoints({
					name,
					pid: this.pidOf(name),
					running: this.isRunning(name),
					paused: this.isPaused(name),
					version: this.versionOf(name),
					ports: this.ports(name),
					clientUrl: this.clientUrl(name),
					httpUrl: this.httpUrl(name),
					logFile: this.logFile(name),
				}),
			),
		);
		const { workspace, workspaceDir, detached } = this;
		return clusterStatusOf({ workspace, workspaceDir, detached }, nodes);
	}

	/** Stop every server and wait for each exit; `purge` also deletes the workspace folder. */
	async down(opts: { purge?: boolean } = {}): Promise<void> {
		if (!this.closed) {
			// Not through the per-node locks: down must win over an operation in progress.
			const running = [...this.servers.values()].filter((s) => s.isRunning());
			try {
				await Promise.all(running.map((s) => s.stop('stop')));
			} finally {
				// Even when a stop failed: the proxies must not outlive the command (the run file stays for the reaper).
				await this.init.links?.close();
			}
			this.closed = true;
			removeRunFile(this.init.paths.runFile);
		}
		if (opts.purge) rmSync(this.workspaceDir, { recursive: true, force: true });
	}

	// ── internals ────────────────────────────────────────────────────────────

	private writeConfig(node: NodeName, version: string): void {
		const rendered = renderNodeConfig({
			name: node,
			version,
			ports: this.ports(node),
			routePorts: this.init.links?.routePorts(node) ?? this.nodes.map((n) => this.ports(n).cluster),
			advertisePort: this.init.links?.advertisePort,
			storeDir: this.dataDir(node),
			options: this.init.serverOptions,
		});
		for (const o of rendered.omitted) {
			const key = `${o.option}@${version}`;
			if (this.noticed.has(key)) continue;
			this.noticed.add(key);
			this.init.onNotice(`${o.option} left out for nats-server ${version} (it needs ${o.since} or later)`);
		}
		writeFileSync(this.configFile(node), rendered.text);
	}

	/**
	 * Write the run file, as one read-modify-write under its lock (run-file.ts). With `node`, only
	 * that node's record changes and the others are kept as they are on disk: another natslab (a
	 * `cluster node` command) may have changed them.
	 */
	private persist(node?: NodeName, exitedPid?: number): void {
		if (this.closed) return;
		const record = (n: NodeName): RunNodeRecord => {
			const s = this.server(n);
			return { version: s.version, ports: this.ports(n), pid: s.pid, startTime: s.startTime };
		};
		updateRunFile(this.init.paths.runFile, (found) => {
			const onDisk = found === 'invalid' ? null : found;
			let nodes: Record<NodeName, RunNodeRecord>;
			if (node !== undefined && onDisk !== null) {
				const mine = onDisk.nodes[node];
				// An exit clears the record only while it still names the process that exited.
				if (exitedPid !== undefined && mine && mine.pid !== exitedPid) return undefined;
				nodes = { ...onDisk.nodes, [node]: record(node) };
			} else {
				// A live process recorded since this view was read (attach) belongs to another natslab: kept.
				const newer = (n: NodeName) => {
					const d = onDisk?.nodes[n];
					return d?.pid != null && d.pid !== this.server(n).pid && isSameProcess(d.pid, d.startTime)
						? d
						: null;
				};
				nodes = Object.fromEntries(this.nodes.map((n) => [n, newer(n) ?? record(n)]));
			}
			return {
				format: 1,
				workspace: this.workspace,
				basePort: this.init.basePort,
				owner: this.init.owner,
				detached: this.detached,
				serverOptions: this.init.serverOptions,
				nodes,
				...(this.init.links ? { links: this.init.links.record } : {}),
			} satisfies RunFile;
		});
	}

	/** Serialise operations per node so that a restart and a kill never interleave. */
	private locked<T>(node: NodeName, fn: (s: ServerProcess) => Promise<T>): Promise<T> {
		const s = this.server(node);
		const prev = this.locks.get(node) ?? Promise.resolve();
		const next = prev
			.catch(() => {})
			.then(() => {
				if (this.closed) throw new UserError(`the cluster in workspace ${this.workspace} is down`);
				return fn(s);
			});
		this.locks.set(node, next);
		return next;
	}

	private requireNode(node: NodeName): NodeName {
		if (!this.init.nodes.has(node))
			throw new UserError(`unknown node ${node} (nodes: ${this.nodes.join(', ')})`);
		return node;
	}

	private server(node: NodeName): ServerProcess {
		const s = this.servers.get(this.requireNode(node));
		if (!s) throw new Error(`no process record for ${node}`);
		return s;
	}
}
