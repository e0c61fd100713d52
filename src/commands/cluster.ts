// `natslab cluster up|status|node|down`: a real three-node cluster left
// running for scripts and for people who want the `nats` CLI beside it.
// Results go to stdout (--json for scripts), notices to stderr; bad input is
// one line and a non-zero exit code.
import { existsSync, rmSync } from 'node:fs';
import { UserError } from '../base/errors.js';
import type { NodeOp } from '../base/names.js';
import { usageError } from '../base/options.js';
import { natslabPaths } from '../base/paths.js';
import { DEFAULT_FROM_VERSION } from '../base/versions.js';
import { Cluster } from '../cluster/cluster.js';
import { DEFAULT_WORKSPACE, WorkspacePaths } from '../cluster/workspace.js';
import { registerCleanup } from '../lab/cleanup.js';
import {
	type DrainExit,
	drainingLine,
	drainingPid,
	exitLine,
	startWhileDraining,
	waitForDrainExit,
} from './cluster-drain.js';
import { isNodeLinkOp, linkCommand, nodeLinkCommand, renderLinks } from './cluster-links.js';
import { CLUSTER, type ClusterCommand, NODE_OPS } from './cluster-spec.js';
import { renderStatus } from './cluster-status.js';
import { parseSubcommand } from './subcommand.js';

interface Out {
	write(text: string): unknown;
}
export interface ClusterIo {
	stdout: Out;
	stderr: Out;
	env: NodeJS.ProcessEnv;
}
export interface ClusterDeps {
	binaryFor: (version: string) => Promise<string>;
}

export async function clusterCommand(args: string[], io: ClusterIo, deps: ClusterDeps): Promise<number> {
	const sub = parseSubcommand('cluster', args, io, CLUSTER);
	if (sub.done) return sub.code;
	const ctx: Ctx = {
		io,
		deps,
		values: sub.values,
		positionals: sub.positionals,
		stateDir: natslabPaths(io.env).state,
		workspace: typeof sub.values.workspace === 'string' ? sub.values.workspace : DEFAULT_WORKSPACE,
	};
	switch (sub.command) {
		case 'up':
			return up(ctx);
		case 'status':
			return status(ctx);
		case 'node':
			return node(ctx);
		case 'link':
			return linkCommand(await attach(ctx), ctx.positionals, ctx.values, ctx.io.stdout);
		case 'down':
			return down(ctx);
	}
}

interface Ctx {
	io: ClusterIo;
	deps: ClusterDeps;
	values: Record<string, unknown>;
	positionals: string[];
	stateDir: string;
	workspace: string;
}

function usage(command: ClusterCommand, what: string): UserError {
	return usageError(`cluster ${command}`, what);
}

/** The workspace's cluster, or null when none is up. */
function attachIfUp(ctx: Ctx): Promise<Cluster | null> {
	return Cluster.attach({
		stateDir: ctx.stateDir,
		workspace: ctx.workspace,
		binaryFor: ctx.deps.binaryFor,
		onNotice: (m) => ctx.io.stderr.write(`natslab: ${m}\n`),
	});
}

async function attach(ctx: Ctx): Promise<Cluster> {
	const cluster = await attachIfUp(ctx);
	if (!cluster) {
		throw new UserError(
			`no cluster is up in workspace ${ctx.workspace} (start one with \`natslab cluster up\`)`,
		);
	}
	return cluster;
}

async function up(ctx: Ctx): Promise<number> {
	const version = typeof ctx.values.version === 'string' ? ctx.values.version : DEFAULT_FROM_VERSION;
	const basePort = typeof ctx.values['base-port'] === 'number' ? ctx.values['base-port'] : undefined;
	const started = performance.now();
	const cluster = await Cluster.open({
		version,
		binaryFor: ctx.deps.binaryFor,
		stateDir: ctx.stateDir,
		workspace: ctx.workspace,
		basePort,
		detached: true,
		fresh: true,
		links: ctx.values.links === 'proxied' ? 'proxied' : 'direct',
		...(Array.isArray(ctx.values.nodes) ? { nodes: ctx.values.nodes as string[] } : {}),
		onNotice: (m) => ctx.io.stderr.write(`natslab: ${m}\n`),
	});
	// Until `up` has succeeded, an interrupt (the crash path's cleanups) or a failure must
	// not leave servers behind; afterwards they are meant to keep running.
	const unregister = registerCleanup(() => cluster.down());
	let leader: string;
	try {
		await cluster.startAll();
		leader = await cluster.waitForReady(30_000);
	} catch (err) {
		await cluster.down();
		throw err;
	} finally {
		unregister();
	}
	const upMs = Math.round(performance.now() - started);
	const nodes = cluster.nodes.map((n) => ({
		name: n,
		pid: cluster.pidOf(n),
		version: cluster.versionOf(n),
		clientUrl: cluster.clientUrl(n),
		httpUrl: cluster.httpUrl(n),
		ports: cluster.ports(n),
		logFile: cluster.logFile(n),
		configFile: cluster.configFile(n),
	}));
	const servers = nodes.map((n) => n.clientUrl).join(',');
	if (ctx.values.json) {
		const out = {
			workspace: cluster.workspace,
			workspaceDir: cluster.workspaceDir,
			version,
			metaLeader: leader,
		};
		ctx.io.stdout.write(`${JSON.stringify({ ...out, upMs, servers, nodes }, null, 2)}\n`);
		return 0;
	}
	const lines = [
		`cluster "lab" is up: ${nodes.length} × nats-server ${cluster.versionOf(cluster.nodes[0] ?? 'n1')}, JetStream meta leader ${leader} (${upMs} ms)`,
		...nodes.map(
			(n) =>
				`  ${n.name}  pid ${n.pid}  client ${n.clientUrl}  monitoring ${n.httpUrl}  routes 127.0.0.1:${n.ports.cluster}`,
		),
		`  files: ${cluster.workspaceDir}`,
		...(cluster.links
			? [
					'  links: proxied (natslab cluster node <n> isolate|heal, natslab cluster link <a> <b> cut|heal|delay)',
				]
			: []),
		`use it:  nats --server ${servers} stream ls`,
		`stop it: natslab cluster down${ctx.workspace === DEFAULT_WORKSPACE ? '' : ` --workspace ${ctx.workspace}`}`,
	];
	ctx.io.stdout.write(`${lines.join('\n')}\n`);
	return 0;
}

async function status(ctx: Ctx): Promise<number> {
	const cluster = await attach(ctx);
	const s = await cluster.status();
	const links = cluster.links?.alive ? await cluster.links.status() : undefined;
	ctx.io.stdout.write(
		ctx.values.json
			? `${JSON.stringify({ ...s, links }, null, 2)}\n`
			: `${renderStatus(s)}${links ? renderLinks(links) : ''}`,
	);
	return 0;
}

async function node(ctx: Ctx): Promise<number> {
	const [name, op] = ctx.positionals;
	if (!name || !op)
		throw usage('node', 'expected a node and an operation, e.g. natslab cluster node n2 restart');
	if (isNodeLinkOp(op))
		return nodeLinkCommand(await attach(ctx), name, op, ctx.io.stdout, ctx.values.json === true);
	if (!(NODE_OPS as readonly string[]).includes(op)) {
		throw usage('node', `unknown operation "${op}" (expected ${NODE_OPS.join(', ')})`);
	}
	const to = typeof ctx.values.to === 'string' ? ctx.values.to : undefined;
	if (op === 'upgrade' && !to) throw usage('node', 'upgrade needs --to V, e.g. --to 2.10.27');
	if (op !== 'upgrade' && to) throw usage('node', '--to only goes with upgrade');
	const wait = ctx.values.wait === true;
	if (wait && op !== 'ldm' && op !== 'start') throw usage('node', '--wait only goes with ldm or start');
	const cluster = await attach(ctx);
	if (!cluster.nodes.includes(name)) {
		throw new UserError(`unknown node ${name} (nodes: ${cluster.nodes.join(', ')})`);
	}
	const before = await drainFirst(ctx, cluster, name, op as NodeOp, wait);
	if (op !== 'ldm') await cluster.perform({ op: op as NodeOp, node: name, ...(to ? { toVersion: to } : {}) });
	const drained =
		op === 'ldm' && wait ? await waitForDrainExit(cluster, name, before.pid, before.since) : null;
	const exit = drained ?? before.exit;
	if (ctx.values.json) {
		const s = await cluster.status();
		const state = s.nodes.find((n) => n.name === name);
		ctx.io.stdout.write(`${JSON.stringify(exit ? { ...state, lameDuckExit: exit } : state, null, 2)}\n`);
		return 0;
	}
	if (op === 'ldm') {
		const line = drained
			? exitLine(drained, 'the lame duck signal')
			: drainingLine(cluster, name, before.pid);
		ctx.io.stdout.write(`${line}\n`);
		return 0;
	}
	if (before.exit) ctx.io.stdout.write(`${exitLine(before.exit, 'the wait began')}\n`);
	const pid = cluster.pidOf(name);
	const done: Record<string, string> = {
		start: `${name} started (pid ${pid})`,
		stop: `${name} stopped`,
		kill: `${name} killed (SIGKILL)`,
		pause: `${name} paused (SIGSTOP, pid ${pid})`,
		resume: `${name} resumed (SIGCONT, pid ${pid})`,
		restart: `${name} restarted (pid ${pid})`,
		upgrade: `${name} now runs nats-server ${cluster.versionOf(name)} (pid ${pid})`,
	};
	ctx.io.stdout.write(`${done[op]}\n`);
	return 0;
}

/**
 * Lame duck comes before the operation: `ldm` sends the signal (once: a node already draining is
 * not signalled again) and gives its pid; `start` of a node still draining is refused, or with
 * --wait waits for its exit first.
 */
async function drainFirst(
	ctx: Ctx,
	cluster: Cluster,
	name: string,
	op: NodeOp,
	wait: boolean,
): Promise<{ pid: number; since: number; exit: DrainExit | null }> {
	const since = performance.now();
	// Only ldm and start care whether the node is draining: reading its log is not free, so the rest skip it.
	if (op !== 'ldm' && op !== 'start') return { pid: 0, since, exit: null };
	const draining = drainingPid(cluster, name);
	if (op === 'ldm') {
		if (draining !== null) {
			ctx.io.stderr.write(`natslab: ${name} is already in lame duck mode; not signalled again\n`);
			return { pid: draining, since: performance.now(), exit: null };
		}
		const pid = cluster.pidOf(name);
		// The clock starts as natslab runs \`nats-server --signal ldm=<pid>\`: the server cannot have the
		// signal before then, so "exited N s after the lame duck signal" is never shorter than the
		// server's own signal → exit (once its clock started after the signal returned, an exit 3 s
		// into a 3 s grace period read 2995 ms under load).
		const signalled = performance.now();
		await cluster.perform({ op, node: name });
		return { pid: pid ?? 0, since: signalled, exit: null };
	}
	if (draining === null) return { pid: 0, since, exit: null };
	if (!wait) throw startWhileDraining(name, draining, cluster);
	return { pid: draining, since, exit: await waitForDrainExit(cluster, name, draining, since) };
}

async function down(ctx: Ctx): Promise<number> {
	const purge = ctx.values.purge === true;
	const cluster = await attachIfUp(ctx);
	if (!cluster) {
		const dir = WorkspacePaths.of(ctx.stateDir, ctx.workspace).dir;
		if (purge && existsSync(dir)) {
			rmSync(dir, { recursive: true, force: true });
			ctx.io.stdout.write(`no cluster was up; removed ${dir}\n`);
			return 0;
		}
		throw new UserError(`no cluster is up in workspace ${ctx.workspace}`);
	}
	const running = cluster.nodes.filter((n) => cluster.isRunning(n));
	await cluster.down({ purge });
	const what = running.length > 0 ? `stopped ${running.join(', ')}` : 'no server was running';
	ctx.io.stdout.write(`cluster down: ${what}${purge ? `; removed ${cluster.workspaceDir}` : ''}\n`);
	return 0;
}
