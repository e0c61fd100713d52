// Every pair proxy of one cluster, and the operations on links: isolate a node
// (every pair it is in, both directions), cut one link (both directions of one
// pair of nodes), slow one down, heal. Route connections are bidirectional, so
// a link is always changed in both directions (cutting one direction only lets
// the other side's dial carry the route, measured).
import { UserError } from '../../base/errors.js';
import type { NodeName } from '../../base/names.js';
import { type LinkLayout, type LinkState, OPEN_LINK, type PairStatus } from './pairs.js';
import { PairProxy } from './proxy.js';

/** A change of links, as the CLI, the screen, lessons and the control socket ask for it. */
export type LinkOp =
	| { op: 'isolate'; node: NodeName }
	| { op: 'heal'; node: NodeName }
	| { op: 'cut'; a: NodeName; b: NodeName }
	| { op: 'delay'; a: NodeName; b: NodeName; delayMs: number; dropPercent: number }
	| { op: 'heal-link'; a: NodeName; b: NodeName }
	| { op: 'heal-all' };

/** Anything that can change and report a cluster's links: the table itself, or a client of the proxy process. */
export interface LinkControl {
	apply(op: LinkOp): Promise<PairStatus[]>;
	status(): Promise<PairStatus[]>;
	close(): Promise<void>;
}

export class LinkTable implements LinkControl {
	private readonly proxies: PairProxy[];
	readonly nodes: NodeName[];

	constructor(readonly layout: LinkLayout) {
		this.proxies = layout.pairs.map((p) => new PairProxy(p));
		this.nodes = [...new Set(layout.pairs.flatMap((p) => [p.from, p.to]))];
	}

	/** Bind every proxy; on a busy port, closes those already bound and rejects with a UserError. */
	async listen(): Promise<void> {
		const results = await Promise.allSettled(this.proxies.map((p) => p.listen()));
		const failed = results.find((r) => r.status === 'rejected');
		if (failed?.status === 'rejected') {
			await this.close();
			throw failed.reason;
		}
	}

	async apply(op: LinkOp): Promise<PairStatus[]> {
		for (const { proxy, next } of this.plan(op)) proxy.set(next);
		return this.snapshot();
	}

	async status(): Promise<PairStatus[]> {
		return this.snapshot();
	}

	snapshot(): PairStatus[] {
		return this.proxies.map((p) => p.status());
	}

	async close(): Promise<void> {
		await Promise.all(this.proxies.map((p) => p.close()));
	}

	/** Which proxies change and to what; throws (changing nothing) on an unknown node. */
	private plan(op: LinkOp): { proxy: PairProxy; next: LinkState }[] {
		const between = (a: NodeName, b: NodeName) => {
			this.requireNode(a);
			this.requireNode(b);
			if (a === b) throw new UserError(`a link joins two different nodes (got ${a} twice)`);
			return this.proxies.filter(
				(p) => (p.spec.from === a && p.spec.to === b) || (p.spec.from === b && p.spec.to === a),
			);
		};
		const touching = (n: NodeName) => {
			this.requireNode(n);
			return this.proxies.filter((p) => p.spec.from === n || p.spec.to === n);
		};
		switch (op.op) {
			case 'isolate':
				return touching(op.node).map((proxy) => ({ proxy, next: { ...proxy.link, cut: true } }));
			case 'heal':
				return touching(op.node).map((proxy) => ({ proxy, next: { ...OPEN_LINK } }));
			case 'cut':
				return between(op.a, op.b).map((proxy) => ({ proxy, next: { ...proxy.link, cut: true } }));
			case 'heal-link':
				return between(op.a, op.b).map((proxy) => ({ proxy, next: { ...OPEN_LINK } }));
			case 'delay': {
				if (!(op.delayMs >= 0 && op.delayMs <= 60_000))
					throw new UserError(`a link delay must be from 0 to 60000 ms (got ${op.delayMs})`);
				if (!(op.dropPercent >= 0 && op.dropPercent <= 100))
					throw new UserError(`a drop rate must be from 0 to 100 % (got ${op.dropPercent})`);
				const { delayMs, dropPercent } = op;
				return between(op.a, op.b).map((proxy) => ({
					proxy,
					next: { ...proxy.link, delayMs, dropPercent },
				}));
			}
			case 'heal-all':
				return this.proxies.map((proxy) => ({ proxy, next: { ...OPEN_LINK } }));
		}
	}

	private requireNode(n: NodeName): void {
		if (!this.nodes.includes(n)) throw new UserError(`unknown node ${n} (nodes: ${this.nodes.join(', ')})`);
	}
}

/** What an operation did, in the words the timeline and the CLI use ("link n1–n2 cut"). */
export function describeLinkOp(op: LinkOp): string {
	switch (op.op) {
		case 'isolate':
			return `${op.node} isolated: every link of it cut, both directions`;
		case 'heal':
			return `${op.node} healed: every link of it open again`;
		case 'cut':
			return `link ${op.a}–${op.b} cut, both directions`;
		case 'heal-link':
			return `link ${op.a}–${op.b} open again`;
		case 'delay': {
			const drop = op.dropPercent > 0 ? `, ${op.dropPercent} % of chunks late by a retransmission` : '';
			return `link ${op.a}–${op.b} delayed ${op.delayMs} ms each way${drop}`;
		}
		case 'heal-all':
			return 'every link open again';
	}
}
