// The proxied link layout: one TCP proxy per ORDERED pair of nodes (i → j
// listens on its own port and forwards to j's cluster port), so that every
// route connection a server dials goes through a proxy that natslab can cut.
// Per pair and not per destination: with one proxy per destination, a node
// cut off by its own proxy simply re-dials through its peers' proxies
// (docs/nats-behavior.md §12, measured).
import { formatMs } from '../../base/format.js';
import type { NodeName } from '../../base/names.js';
import { oneOf, valueOption } from '../../base/options.js';

import { PROXY_PORT_OFFSET } from '../ports.js';

/** How the servers reach each other: straight to their cluster ports, or through natslab's pair proxies. */
export type LinksMode = 'direct' | 'proxied';
export const LINKS_MODES: readonly LinksMode[] = ['direct', 'proxied'];

/** One ordered pair: `from` dials `to` through the proxy on `port`. */
export interface PairSpec {
	from: NodeName;
	to: NodeName;
	/** The proxy's own listening port (127.0.0.1). */
	port: number;
	/** Where it forwards: `to`'s cluster port. */
	target: number;
}

export interface LinkLayout {
	pairs: PairSpec[];
	/**
	 * A port nothing listens on, written as every node's `cluster { advertise }`: without it
	 * the servers gossip their real cluster URLs and dial around the proxies (measured).
	 */
	advertisePort: number;
}

/** `n1→n3`: the one way a pair is named on screen and in errors. */
export function pairName(from: NodeName, to: NodeName): string {
	return `${from}→${to}`;
}

/** Pair proxies at base+3000+k in the order n1→n2, n1→n3, n2→n1, …; the advertise port right after. */
export function linkLayout(
	base: number,
	nodes: readonly NodeName[],
	clusterPort: (n: NodeName) => number,
): LinkLayout {
	const pairs: PairSpec[] = [];
	for (const from of nodes) {
		for (const to of nodes) {
			if (from === to) continue;
			pairs.push({ from, to, port: base + PROXY_PORT_OFFSET + pairs.length, target: clusterPort(to) });
		}
	}
	return { pairs, advertisePort: base + PROXY_PORT_OFFSET + pairs.length };
}

/** The proxy ports a node's `routes` list: the pairs it dials. */
export function routePortsOf(layout: LinkLayout, node: NodeName): number[] {
	return layout.pairs.filter((p) => p.from === node).map((p) => p.port);
}

/** What one pair proxy does with traffic now. */
export interface LinkState {
	/** Cut: nothing moves either way; bytes in flight are held, not lost (see proxy.ts). */
	cut: boolean;
	/** Added one-way latency per chunk, ms. */
	delayMs: number;
	/** Percent of chunks "lost" once and retransmitted (they arrive RETRANSMIT_MS late). */
	dropPercent: number;
}

export const OPEN_LINK: LinkState = { cut: false, delayMs: 0, dropPercent: 0 };

/** A pair proxy's state and traffic, as the table and the control socket report it. */
export interface PairStatus extends PairSpec, LinkState {
	/** Connections through it right now (both sides open). */
	connections: number;
	/** Connections accepted while cut and not yet forwarded (held until heal). */
	held: number;
}

/** `--links direct|proxied`, as every command that starts a cluster declares it. */
export const LINKS_OPTION = valueOption(
	'MODE',
	'proxied: every route goes through natslab’s pair proxies, so links can be cut, delayed and healed',
	oneOf(LINKS_MODES),
	'direct',
);

/** One link between two nodes: both directions of a pair (`back` is absent only in a partial list). */
export interface NodeLink {
	a: NodeName;
	b: NodeName;
	there: PairStatus;
	back: PairStatus | undefined;
}

/** The pair proxies grouped into links (a–b with a before b), in proxy order. */
export function nodeLinks(pairs: readonly PairStatus[]): NodeLink[] {
	return pairs
		.filter((p) => p.from < p.to)
		.map((there) => ({
			a: there.from,
			b: there.to,
			there,
			back: pairs.find((q) => q.from === there.to && q.to === there.from),
		}));
}

/** "cut", "delay 200 ms drop 5 %" or "open": what one direction of a link does now. */
export function linkStateText(s: LinkState): string {
	if (s.cut) return 'cut';
	if (s.delayMs === 0 && s.dropPercent === 0) return 'open';
	return `delay ${formatMs(s.delayMs)}${s.dropPercent > 0 ? ` drop ${s.dropPercent} %` : ''}`;
}

/** Both directions in one word when they agree ("cut"), else "cut / open". */
export function nodeLinkText(link: NodeLink): string {
	const there = linkStateText(link.there);
	const back = link.back ? linkStateText(link.back) : there;
	return back === there ? there : `${there} / ${back}`;
}
