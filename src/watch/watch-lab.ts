// A read-only Lab over a cluster natslab did not start: the local poller
// (observe/pollers.ts) reads every server through the watch source (NATS $SYS
// requests or monitoring ports), the answers go through the one reducer as
// the same PollEvents, node names are the servers' own names, and which
// servers are there comes from presence.ts. It never signals, never publishes
// outside $SYS.REQ and has no node actions: act() refuses.

import { EXIT, UserError } from '../base/errors.js';
import type { NodeName, NodePorts } from '../base/names.js';
import { createLabStore } from '../lab/store.js';
import type { Lab } from '../lab/types.js';
import { jsonOrText } from '../monitoring/http.js';
import type { LabEvent, VerifyResult } from '../observe/events.js';
import { Poller } from '../observe/pollers.js';
import { initialLabState } from '../observe/reducer.js';
import type { LabState } from '../observe/state.js';
import { LinkState } from './link-state.js';
import { Presence, sightingOf } from './presence.js';
import { reduceWatch } from './reduce.js';
import type { WatchSource } from './sources.js';
import { StreamViews } from './streams.js';

const REQUEST_TIMEOUT_MS = 1500;
const DISCOVER_EVERY_MS = 3000;

export const READ_ONLY_REFUSAL = 'natslab watch is read-only: it never changes the cluster';

export interface WatchLabOptions {
	/** Every event, as it is fed in (the recorder: record/recorded-lab.ts, as createLab's). */
	onLabEvent?: (e: LabEvent) => void;
	now?: () => number;
}

export interface WatchLab extends Lab {
	readOnly: string;
	/** How it reads the cluster: "over NATS (nats://…)" (redacted). */
	how: string;
	/** natslab's own link while it is not up ("natslab not connected for 12s — …"), else null. */
	connectionProblem: LinkState;
}

export async function createWatchLab(source: WatchSource, opts: WatchLabOptions = {}): Promise<WatchLab> {
	const now = opts.now ?? Date.now;
	let closed = false;
	// The lab owns the source from here: when it cannot come up, nothing else would close the connection.
	const first = await source.discover().catch(async (err: unknown) => {
		await source.close().catch(() => {});
		throw err;
	});
	const names = first.map((s) => s.name).sort();
	// The servers' own cluster name (/varz cluster.name); a single server without a cluster has none.
	const clusterName = first.find((s) => s.cluster)?.cluster ?? 'no cluster name';
	const store = createLabStore(initialLabState({ nodes: names, clusterName, now: now() }), reduceWatch);
	const emit = (e: LabEvent) => {
		opts.onLabEvent?.(e);
		store.emit(e);
	};
	const presence = new Presence(emit, now);
	const link = new LinkState(source, now);
	const streams = new StreamViews();
	for (const s of first) presence.saw(s, true);

	const get = async (url: string, timeoutMs: number) => {
		const res = await source.get(url, timeoutMs);
		const node = source.nodeOf(url);
		if (node === null) return res;
		if (url.endsWith('/varz')) {
			const s = res.ok && res.status === 200 ? sightingOf(jsonOrText(res.body)) : null;
			if (s) presence.saw(s);
			else if (source.connected()) {
				presence.failed(node, res.ok ? `/varz answered ${res.status}` : res.error);
				if (!stillThere(store.getState(), node)) streams.forget(node);
			}
		} else if (url.includes('/jsz') && res.ok && res.status === 200) {
			for (const e of streams.offer(node, now(), jsonOrText(res.body))) emit(e);
		}
		return res;
	};
	const poller = new Poller({
		nodes: names.map((name) => ({ name, httpUrl: source.urlOf(name) })),
		// While natslab's own connection is down, no answer says anything about a server.
		emit: (e) => {
			if (e.ok || source.connected()) emit(e);
		},
		get,
		now,
		timeoutMs: REQUEST_TIMEOUT_MS,
	});

	source.listen({
		shutdown: (id) => {
			const name = presence.nameOf(id);
			presence.shutdown(id);
			if (name) streams.forget(name);
			poller.hurry();
		},
		lameDuck: (id) => {
			presence.lameDuck(id);
			poller.hurry();
		},
		connection: (text) => {
			emit({ kind: 'note', at: now(), text });
			link.refresh();
			poller.hurry();
		},
		closed: (why) => {
			emit({
				kind: 'note',
				at: now(),
				text: `natslab's connection closed for good (${why}): the screen no longer follows the cluster`,
			});
			link.refresh();
			clearInterval(discover);
			poller.stop();
		},
		advisory: (subject, body) => {
			emit({ kind: 'note', at: now(), text: advisoryText(subject, body) });
			poller.hurry();
		},
	});

	// New servers (a bigger cluster, a restart under a new id) join the poller.
	const discover = setInterval(() => {
		void source
			.discover()
			.then((found) => {
				if (closed) return;
				for (const s of found) presence.saw(s);
				const all = new Set([...store.getState().cluster.order, ...found.map((s) => s.name)]);
				poller.setNodes([...all].map((name) => ({ name, httpUrl: source.urlOf(name) })));
			})
			.catch(() => {});
	}, DISCOVER_EVERY_MS);
	discover.unref();
	poller.start();
	await poller.pollOnce();

	const shutdown = async () => {
		if (closed) return;
		closed = true;
		clearInterval(discover);
		poller.stop();
		link.stop();
		await source.close();
	};
	const versions = [...new Set(first.map((s) => s.version))].sort();
	return {
		readOnly: `watching ${clusterName}`,
		how: source.how,
		connectionProblem: link,
		getState: store.getState,
		subscribe: store.subscribe,
		emit,
		act: () => Promise.reject(new UserError(READ_ONLY_REFUSAL, EXIT.usage)),
		startProbes: () => Promise.reject(new UserError(READ_ONLY_REFUSAL, EXIT.usage)),
		stopProbes: async () => {},
		verify: async (): Promise<VerifyResult | null> => null,
		ports: (node: NodeName): NodePorts => {
			throw new UserError(`${READ_ONLY_REFUSAL} (no ports of ${node} are known)`, EXIT.usage);
		},
		clientUrls: () => [],
		versions: { initial: versions.join(', '), upgradeTo: null },
		shutdown,
		release: shutdown,
	};
}

function stillThere(state: LabState, node: NodeName): boolean {
	const p = state.cluster.nodes[node]?.process;
	return p !== 'exited' && p !== 'down';
}

/** "$JS.EVENT.ADVISORY.STREAM.LEADER_ELECTED.ORDERS" → "advisory: stream ORDERS leader elected: n2". */
export function advisoryText(subject: string, body: Record<string, unknown>): string {
	const parts = subject.split('.');
	const kind = (parts[3] ?? '').toLowerCase();
	const what = (parts[4] ?? '').toLowerCase().replace('_', ' ');
	const asset = parts.slice(5).join(' > ');
	const leader = typeof body.leader === 'string' ? `: ${body.leader}` : '';
	return `advisory: ${kind === 'domain' ? 'meta group' : `${kind} ${asset}`} ${what}${leader}`;
}
