// `natslab cluster node <n> isolate|heal` and `natslab cluster link <a> <b>
// cut|heal|delay <time> [--drop P]`: partitions of a cluster started with
// `--links proxied`, made in its pair proxies (cluster/links/). Results go to
// stdout (--json: every pair's state), bad input is one line.
import { EXIT, UserError } from '../base/errors.js';
import type { NodeName } from '../base/names.js';
import { usageError } from '../base/options.js';
import type { Cluster } from '../cluster/cluster.js';
import { nodeLinks, nodeLinkText, type PairStatus } from '../cluster/links/pairs.js';
import { describeLinkOp, type LinkOp } from '../cluster/links/table.js';
import { parseDuration } from '../lessons/duration.js';

/** The link operations `cluster node` takes besides the process ones. */
export const NODE_LINK_OPS = ['isolate', 'heal'] as const;
export const LINK_OPS = ['cut', 'heal', 'delay'] as const;

export function isNodeLinkOp(op: string): op is (typeof NODE_LINK_OPS)[number] {
	return (NODE_LINK_OPS as readonly string[]).includes(op);
}

interface Out {
	write(text: string): unknown;
}

/** The cluster's links, or a one-line error saying how to get proxied ones. */
function linksOf(cluster: Cluster) {
	if (cluster.links) return cluster.links;
	throw new UserError(
		`the cluster in workspace ${cluster.workspace} routes directly between its servers, so its links cannot be cut: start it with \`natslab cluster up --links proxied\``,
	);
}

function requireNode(cluster: Cluster, name: string): NodeName {
	if (!cluster.nodes.includes(name)) {
		throw new UserError(`unknown node ${name} (nodes: ${cluster.nodes.join(', ')})`);
	}
	return name;
}

/** `cluster node <n> isolate|heal`. */
export async function nodeLinkCommand(
	cluster: Cluster,
	name: string,
	op: (typeof NODE_LINK_OPS)[number],
	out: Out,
	json: boolean,
): Promise<number> {
	const node = requireNode(cluster, name);
	const linkOp: LinkOp = { op, node };
	const pairs = await linksOf(cluster).apply(linkOp);
	out.write(json ? `${JSON.stringify(pairs, null, 2)}\n` : `${said(linkOp)}\n${renderLinks(pairs)}`);
	return EXIT.ok;
}

/** `cluster link <a> <b> cut|heal|delay <time> [--drop P]`. */
export async function linkCommand(
	cluster: Cluster,
	positionals: string[],
	values: Record<string, unknown>,
	out: Out,
): Promise<number> {
	const [a, b, op, amount] = positionals;
	if (!a || !b || !op) {
		throw usageError(
			'cluster link',
			'expected two nodes and an operation, e.g. natslab cluster link n1 n2 cut',
		);
	}
	if (!(LINK_OPS as readonly string[]).includes(op)) {
		throw usageError('cluster link', `unknown operation "${op}" (expected ${LINK_OPS.join(', ')})`);
	}
	const drop = typeof values.drop === 'number' ? values.drop : undefined;
	if (op !== 'delay' && (amount !== undefined || drop !== undefined)) {
		throw usageError('cluster link', 'a time and --drop only go with delay');
	}
	const nodes = { a: requireNode(cluster, a), b: requireNode(cluster, b) };
	const linkOp = planLinkOp(nodes, op, amount, drop);
	const pairs = await linksOf(cluster).apply(linkOp);
	out.write(values.json ? `${JSON.stringify(pairs, null, 2)}\n` : `${said(linkOp)}\n${renderLinks(pairs)}`);
	return EXIT.ok;
}

/** A cut says what it means: held traffic, routes that notice late. */
function said(op: LinkOp): string {
	const held = op.op === 'cut' || op.op === 'isolate';
	return `${describeLinkOp(op)}${held ? '; traffic on it is held, not refused: routes notice only when they go stale' : ''}`;
}

function planLinkOp(
	{ a, b }: { a: NodeName; b: NodeName },
	op: string,
	amount: string | undefined,
	drop: number | undefined,
): LinkOp {
	if (op === 'cut') return { op: 'cut', a, b };
	if (op === 'heal') return { op: 'heal-link', a, b };
	if (amount === undefined) throw usageError('cluster link', 'delay needs a time, e.g. delay 200ms');
	const delayMs = parseDuration(amount);
	if (delayMs === null) {
		throw usageError('cluster link', `delay needs a time like 200ms or 1.5s, not "${amount}"`);
	}
	return { op: 'delay', a, b, delayMs, dropPercent: drop ?? 0 };
}

/** `--drop P`: a percentage from 0 to 100. */
export function parsePercent(raw: string, flag: string): number {
	const p = /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : Number.NaN;
	if (!(p >= 0 && p <= 100))
		throw new UserError(`${flag} needs a percentage from 0 to 100, not "${raw}"`, EXIT.usage);
	return p;
}

/** One line per link (both directions of a pair of nodes), as `cluster status` and the link commands print it. */
export function renderLinks(pairs: PairStatus[]): string {
	const lines = nodeLinks(pairs).map((link) => {
		const held = link.there.held + (link.back?.held ?? 0);
		const conns = link.there.connections + (link.back?.connections ?? 0);
		const state = `${nodeLinkText(link)}${held > 0 ? ` (${held} dial${held === 1 ? '' : 's'} held)` : ''}`;
		return `  link ${link.a}–${link.b}  ${state.padEnd(12)} ${conns} route connection${conns === 1 ? '' : 's'}  (proxies :${link.there.port} :${link.back?.port ?? '?'})`;
	});
	return `${lines.join('\n')}\n`;
}
