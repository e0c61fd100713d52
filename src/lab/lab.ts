// The engine, wired: binaries → cluster → (log tail + pollers + probes) → one
// store. Everything the screen, the lessons and the rehearsal know comes out of
// this store; everything they do goes through act(). createLab resolves as soon
// as the cluster has an agreed meta leader (the dashboard can show it), or, for a
// lab started with part of its nodes, as soon as those accept clients; the lab
// stream and the probes it was asked for come up behind it (./probe-startup.ts).
// With `upWhen: 'running'` (the sandbox) it resolves once the servers accept clients
// and the election is checked behind the screen (./election-behind.ts).

import { UserError } from '../base/errors.js';
import { type ActionSource, LAB_STREAM, type NodeAction, type NodeName } from '../base/names.js';
import { natslabPaths } from '../base/paths.js';
import { settleAll } from '../base/settle.js';
import { Cluster, type ServerOptions } from '../cluster/cluster.js';
import type { LinksMode } from '../cluster/links/pairs.js';
import { describeLinkOp } from '../cluster/links/table.js';
import type { LabEvent } from '../observe/events.js';
import { parseLogLine } from '../observe/log-parser.js';
import { tailLogFiles } from '../observe/log-tail.js';
import { Poller } from '../observe/pollers.js';
import { initialLabState, reduce } from '../observe/reducer.js';
import type { ProbeSpec } from '../probes/spec.js';
import type { InstallOptions } from '../servers/index.js';
import { binaryResolver, labBinary } from './binary-resolver.js';
import { registerCleanup } from './cleanup.js';
import { coreReachRunner } from './core-reach.js';
import { type ElectionRun, electBehind } from './election-behind.js';
import { lazyProbeHub, probesModule } from './lazy-probes.js';
import { watchLinks } from './link-state.js';
import { startProbesBehind } from './probe-startup.js';
import { createLabStore } from './store.js';
import type { Lab, SetupEvent } from './types.js';

export interface CreateLabOptions {
	version: string;
	upgradeTo?: string | null;
	/** Workspace folder name under <state>/clusters (default "sandbox"). */
	workspace?: string;
	basePort?: number;
	/** 'proxied': the servers route through natslab's pair proxies, so links can be cut (cluster/links/). */
	links?: LinksMode;
	/** Node names (default n1..n3; rehearse --nodes 5 asks for n1..n5). */
	nodes?: NodeName[];
	/**
	 * The nodes to start (default: all). With fewer, the others stay not started and the lab is up
	 * when the started ones accept clients: a fresh 2.12+ cluster elects no meta leader with 2 of 3.
	 */
	start?: NodeName[];
	/** Extra server settings for every node's config (rehearse --config), version-gated by cluster/config.ts. */
	serverOptions?: ServerOptions;
	probes?: ProbeSpec[];
	/**
	 * When createLab resolves: 'elected' (default) once the cluster has an agreed meta leader, so
	 * lessons and scripts act on an elected cluster; 'running' once every server accepts clients,
	 * the election then checked behind (`lab.election`; the sandbox screen shows it as it happens).
	 */
	upWhen?: 'elected' | 'running';
	onSetup?: (e: SetupEvent) => void;
	env?: NodeJS.ProcessEnv;
	signal?: AbortSignal;
	/**
	 * Spawn servers without a parent-death signal so that `release()` can leave them running as a
	 * normal `cluster up` cluster (rehearse --keep). Use the workspace "default" for that.
	 */
	detached?: boolean;
	/** Install options for missing binaries (source, mirror). */
	install?: Pick<InstallOptions, 'source' | 'mirror'>;
	/** Sees every event the store folds in, in order (test/support's lesson recorder saves them as fixtures). */
	onLabEvent?: (e: LabEvent) => void;
}

/** The nodes a lab starts with: `start` (checked against the cluster's nodes), else all of them. */
export function startedNodes(nodes: readonly NodeName[], start: readonly NodeName[] | undefined): NodeName[] {
	if (!start) return [...nodes];
	const unknown = start.filter((n) => !nodes.includes(n));
	if (unknown.length > 0)
		throw new UserError(`cannot start ${unknown.join(', ')}: the cluster has ${nodes.join(', ')}`);
	return nodes.filter((n) => start.includes(n));
}

export async function createLab(opts: CreateLabOptions): Promise<Lab> {
	const setup = opts.onSetup ?? (() => {});
	const binaryFor = binaryResolver(opts);
	// Fetch every binary the session needs before any server starts, so an
	// unobtainable upgrade target fails now and not halfway through a lesson.
	await labBinary(binaryFor, opts.version);
	if (opts.upgradeTo && opts.upgradeTo !== opts.version) await binaryFor(opts.upgradeTo);

	let emit: (e: LabEvent) => void = () => {};
	const cluster = await Cluster.open({
		version: opts.version,
		binaryFor,
		stateDir: natslabPaths(opts.env).state,
		workspace: opts.workspace ?? 'sandbox',
		basePort: opts.basePort,
		links: opts.links,
		nodes: opts.nodes,
		serverOptions: opts.serverOptions,
		fresh: true,
		detached: opts.detached ?? false,
		onEvent: (e) => emit(e),
		onNotice: (text) => {
			setup({ type: 'notice', text });
			emit({ kind: 'note', at: Date.now(), text });
		},
	});

	const addressBook: Record<string, NodeName> = {};
	for (const node of cluster.nodes) {
		const { client } = cluster.ports(node);
		addressBook[`127.0.0.1:${client}`] = node;
		addressBook[`localhost:${client}`] = node;
	}
	const store = createLabStore(initialLabState({ nodes: [...cluster.nodes], addressBook }), reduce);
	emit = (e) => {
		opts.onLabEvent?.(e);
		store.emit(e);
		// A restarted node answers within ~100 ms; don't wait out the slow poll
		// cycle (or a refused-connection back-off) to notice it.
		if (e.kind === 'process' && e.type === 'spawned') poller.hurry(10_000);
		// A server logged a new meta leader: ask every /jsz now (the header shows the servers' answers),
		// not at the next fast poll, up to 250 ms on (the sandbox's first election, issue #12).
		if (e.kind === 'log' && e.parsed.type === 'MetaLeaderElected') poller.hurry(10_000);
	};

	const logFiles = Object.fromEntries(cluster.nodes.map((n) => [n, cluster.logFile(n)]));
	const tail = tailLogFiles(logFiles, (node, line) => emit(parseLogLine(node, line)), { fromStart: true });
	const poller = new Poller({
		nodes: cluster.nodes.map((name) => ({ name, httpUrl: cluster.httpUrl(name) })),
		emit: (e) => emit(e),
		stream: LAB_STREAM,
	});
	const servers = cluster.nodes.map((n) => cluster.clientUrl(n));
	const probes = lazyProbeHub({ servers, emit: (e) => emit(e) });

	const linkWatch = watchLinks(cluster.links);
	let closed = false;
	const reach = coreReachRunner({
		nodes: cluster.nodes,
		clientUrl: (n) => cluster.clientUrl(n),
		getState: store.getState,
		emit: (e) => emit(e),
	});
	let unregister = () => {};
	/** Stops the clients and the watching of the servers; the log tail stays for the servers' last lines. */
	const stopWatching = async () => {
		closed = true;
		reach.stop();
		linkWatch.stop();
		unregister();
		await probes.stop().catch(() => {});
		poller.stop();
	};
	const shutdown = async () => {
		if (closed) return;
		await stopWatching();
		await cluster.down().catch(() => {});
		tail.stop();
	};
	unregister = registerCleanup(shutdown);

	// Only the JetStream probe needs the lab stream: core probes must be able to
	// start while every server is down (a lesson shows waitOnFirstConnect).
	const needsStream = (specs: ProbeSpec[]) => specs.some((s) => s.kind === 'jetstream');
	const createStream = async () => (await probesModule()).ensureLabStream(servers, { timeoutMs: 30_000 });
	const startNow = async (specs: ProbeSpec[]) => {
		if (needsStream(specs)) await createStream();
		await probes.start(specs);
	};

	let starting: NodeName[] = [];
	try {
		poller.start();
		poller.hurry(10_000);
		starting = startedNodes(cluster.nodes, opts.start);
		for (const node of starting) setup({ type: 'node', node, phase: 'starting' });
		for (const node of cluster.nodes.filter((n) => !starting.includes(n)))
			setup({ type: 'notice', text: `${node} is not started: this lab starts with ${starting.join(', ')}` });
		if (starting.length === cluster.nodes.length) await cluster.startAll();
		else await settleAll(starting.map((n) => cluster.start(n)));
		for (const node of starting) setup({ type: 'node', node, phase: 'up' });
		// Each accepts clients now (start() waited for its client port): the nodes panel can say so at
		// once, not when the log tail reads "Server is ready" (late while the screen loads, issue #12).
		for (const node of starting) {
			const pid = cluster.pidOf(node);
			if (pid !== null) emit({ kind: 'process', node, at: Date.now(), type: 'ready', pid });
		}
		// And poll them at once: the polls made while they were being spawned were refused, and a
		// refused node is asked again only a second later.
		poller.hurry(10_000);
	} catch (err) {
		await shutdown();
		throw err;
	}
	// Part of a cluster may rightly have no meta leader (a fresh 2.12+ cluster with 2 of 3).
	const elect = async () => {
		if (starting.length < cluster.nodes.length) return;
		try {
			const leader = await cluster.waitForReady(30_000);
			setup({ type: 'metaLeader', node: leader });
		} catch (err) {
			// Also after a shutdown during the election (q): the servers' exits ended the wait.
			await shutdown();
			throw err;
		}
	};
	let election: ElectionRun | undefined;
	if (opts.upWhen === 'running') election = electBehind(elect);
	else await elect();
	const initial = opts.probes ?? [];
	const startup = startProbesBehind(
		initial.length === 0
			? null
			: {
					// The lab stream needs the meta leader: behind an election still running, after it.
					stream: needsStream(initial)
						? async () => {
								await election?.done();
								await createStream();
							}
						: null,
					// A lab shut down (or released) while the stream was being made starts no clients.
					probes: async () => {
						await election?.done();
						return closed ? Promise.reject(new Error('the lab was shut down')) : probes.start(initial);
					},
					onFailed: (err) => {
						if (!closed)
							emit({ kind: 'note', at: Date.now(), text: `client probes did not start: ${err.message}` });
					},
				},
	);
	// A later start (a lesson restarting its clients) goes after the first one, whatever became of it.
	const startProbes = async (specs: ProbeSpec[]) => {
		await startup.ready().catch(() => {});
		await startNow(specs);
	};

	const lab: Lab = {
		getState: store.getState,
		subscribe: store.subscribe,
		emit: (e) => emit(e),
		async act(action: NodeAction, by: ActionSource) {
			if (closed) throw new UserError('the lab is shut down');
			if (!cluster.nodes.includes(action.node)) throw new UserError(`unknown node ${action.node}`);
			emit({ kind: 'action', at: Date.now(), by, action });
			poller.hurry(15_000);
			if (action.op === 'upgrade') {
				const to = action.toVersion ?? opts.upgradeTo;
				if (!to) throw new UserError('no version to upgrade to (start with --upgrade-to)');
				await binaryFor(to);
				await cluster.upgrade(action.node, to);
				return;
			}
			await cluster.perform(action);
		},
		probesReady: () => startup.ready(),
		probeStartup: startup,
		election,
		startProbes,
		stopProbes: () => probes.stop(),
		async stepDownConsumerLeader(stream, consumer) {
			if (closed) throw new UserError('the lab is shut down');
			// The new leader shows in the next /jsz polls; poll fast so the caller sees it soon.
			poller.hurry(15_000);
			await (await probesModule()).stepDownConsumerLeader(servers, stream, consumer);
		},
		async changeLinks(op, by) {
			if (closed) throw new UserError('the lab is shut down');
			const links = cluster.links;
			if (!links) {
				throw new UserError('this lab routes directly between its servers: start it with --links proxied');
			}
			const pairs = await links.apply(op);
			linkWatch.set(pairs);
			emit({ kind: 'note', at: Date.now(), text: `${describeLinkOp(op)} (${by})` });
			poller.hurry(15_000);
			return pairs;
		},
		linkStatus: async () => (cluster.links ? cluster.links.status() : null),
		linkState: linkWatch,
		verify: () => probes.verify(),
		checkCoreReach: (from) => reach.run(from),
		ports: (node) => cluster.ports(node),
		clientUrls: () => [...servers],
		versions: { initial: opts.version, upgradeTo: opts.upgradeTo ?? null },
		shutdown,
		async release() {
			if (!opts.detached) throw new UserError('only a detached lab can be left running');
			if (closed) return;
			await stopWatching();
			tail.stop();
		},
	};
	return lab;
}
