// natslab's own one-shot check of core NATS reach (docs/partitions.md): one short-lived
// client on each running node subscribes to one fresh subject, the client on the `from`
// node publishes numbered messages, and each node's subscriber counts what reached it.
// Across a cut nothing crosses: not the subscribers' interest, not the messages.

import { connect, type NatsConnection, nuid } from '@nats-io/transport-node';
import type { NodeName } from '../base/names.js';
import { abortable } from '../base/wait.js';
import type { CoreReachResult } from '../observe/events.js';
import { errorMessage, Sleeper, within } from './timing.js';

export interface CoreReachOptions {
	/**
	 * Every node's client URL (one client each, never another server); null: no client there,
	 * `why` says why (its process state, e.g. "paused").
	 */
	nodes: { node: NodeName; url: string | null; why?: string }[];
	/** The node whose client publishes. */
	from: NodeName;
	/** Distinct messages (numbered 1..count); default 20. */
	count?: number;
	/**
	 * How long the publisher repeats its round of `count` messages while some subscriber still
	 * misses one: interest that can propagate over a route does so within it (default 3 s).
	 */
	windowMs?: number;
	/** Aborting closes every client and rejects (the lab shutting down mid-check). */
	signal?: AbortSignal;
}

export const CORE_REACH_COUNT = 20;
export const CORE_REACH_WINDOW_MS = 3000;
/** One round's messages are spread over this long. */
const ROUND_MS = 500;
const CONNECT_TIMEOUT_MS = 2000;
/** Ceiling of a flush or a close: a frozen server must not hold the check. */
const NETWORK_BOUND_MS = 2000;

interface Reader {
	node: NodeName;
	nc: NatsConnection | null;
	seen: Set<number>;
	error?: string;
}

/** Runs the check; rejects when the `from` node takes no client or the signal aborts. */
export async function checkCoreReach(opts: CoreReachOptions): Promise<CoreReachResult> {
	const count = opts.count ?? CORE_REACH_COUNT;
	const windowMs = opts.windowMs ?? CORE_REACH_WINDOW_MS;
	const subject = `natslab.reach.${nuid.next()}`;
	const sleeper = new Sleeper();
	const aborted = () => opts.signal?.aborted === true;
	const onAbort = () => sleeper.wakeAll();
	opts.signal?.addEventListener('abort', onAbort);
	const readers: Reader[] = opts.nodes.map((n) => ({ node: n.node, nc: null, seen: new Set<number>() }));
	const startedAt = Date.now();
	try {
		await Promise.all(
			readers.map(async (r, i) => {
				const url = opts.nodes[i]?.url ?? null;
				if (url === null) {
					r.error = opts.nodes[i]?.why ?? 'not running';
					return;
				}
				try {
					r.nc = await connect({
						servers: url,
						name: `natslab-reach-${r.node}`,
						// This node's server only: a reconnect elsewhere would measure another server.
						reconnect: false,
						ignoreClusterUpdates: true,
						timeout: CONNECT_TIMEOUT_MS,
					});
					r.nc.subscribe(subject, {
						callback: (err, msg) => {
							if (!err) r.seen.add(Number(msg.string()));
						},
					});
					// The server has the subscription before anyone publishes. The lab stopping ends the
					// wait at once (its servers may take their time to close this connection).
					const flushed = r.nc.flush();
					await (opts.signal ? abortable(flushed, opts.signal) : flushed);
				} catch (err) {
					r.error = errorMessage(err);
				}
			}),
		);
		if (aborted()) throw new Error('core-reach: the lab stopped');
		const publisher = readers.find((r) => r.node === opts.from);
		if (!publisher?.nc) {
			throw new Error(`core-reach: no client on ${opts.from}: ${publisher?.error ?? 'not running'}`);
		}
		const connected = readers.filter((r) => r.nc !== null);
		const everyoneHasAll = () => connected.every((r) => r.seen.size >= count);
		const deadline = Date.now() + windowMs;
		let published = 0;
		let rounds = 0;
		do {
			for (let i = 1; i <= count && !aborted(); i++) {
				publisher.nc.publish(subject, String(i));
				published++;
				await sleeper.sleep(ROUND_MS / count);
			}
			rounds++;
			// Round trips to each subscriber's own server: what it already forwarded has arrived.
			await Promise.all(connected.map((r) => within(r.nc?.flush() ?? Promise.resolve(), NETWORK_BOUND_MS)));
		} while (!aborted() && !everyoneHasAll() && Date.now() < deadline);
		if (aborted()) throw new Error('core-reach: the lab stopped');
		const received: Record<NodeName, number | null> = {};
		for (const r of readers) received[r.node] = r.nc ? r.seen.size : null;
		const noClient = Object.fromEntries(readers.flatMap((r) => (r.error ? [[r.node, r.error]] : [])));
		return {
			from: opts.from,
			subject,
			sent: count,
			published,
			rounds,
			tookMs: Date.now() - startedAt,
			received,
			...(Object.keys(noClient).length > 0 ? { noClient } : {}),
		};
	} finally {
		opts.signal?.removeEventListener('abort', onAbort);
		await Promise.all(readers.map((r) => (r.nc ? within(r.nc.close(), NETWORK_BOUND_MS) : undefined)));
	}
}
