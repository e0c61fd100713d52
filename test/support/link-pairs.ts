// Link proxy states for tests of a lab with proxied links: every ordered pair of nodes.
import type { PairStatus } from '../../src/cluster/links/pairs.js';

/** Each ordered pair of `nodes`, open and direct unless `over` says otherwise for that pair. */
export function linkPairs(
	nodes: readonly string[],
	over: (from: string, to: string) => Partial<PairStatus> = () => ({}),
): PairStatus[] {
	const open = { port: 0, target: 0, cut: false, delayMs: 0, dropPercent: 0, connections: 1, held: 0 };
	return nodes.flatMap((from) =>
		nodes.filter((to) => to !== from).map((to) => ({ from, to, ...open, ...over(from, to) })),
	);
}
