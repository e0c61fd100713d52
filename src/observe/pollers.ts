// Polls each node's monitoring endpoints and emits normalised PollEvents.
// Fast (~250 ms) after hurry() or when a snapshot changed, slow (~2 s) when
// steady. Each node runs on its own timer, so a frozen node (1 s timeouts)
// never slows the others, and a node never has two requests in flight.
// /healthz is rate-limited (1/s fast, every 5 s slow) because every failed
// check writes a WRN line into the server's log; /raftz, rarely needed, keeps
// the same pace. A node that refused or did not answer is retried only every
// few seconds (1 s while hurried, for restarts; hurry() retries at once), and
// /healthz is only asked after /varz answered. Only changes are emitted, plus
// a refresh every REFRESH_MS.

import type { NodeName } from '../base/names.js';
import { atLeast } from '../base/versions.js';
import { type GetResult, monitoringGet } from '../monitoring/http.js';
import { JSZ_STREAMS_PATH } from '../monitoring/jsz-streams.js';
import {
	normalizeHealthz,
	normalizeJsz,
	normalizeRaftz,
	normalizeRoutez,
	normalizeVarz,
} from '../monitoring/normalize.js';
import type { PollEndpoint, StreamSnapshot } from '../monitoring/types.js';
import type { PollData, PollEvent } from './events.js';
import { pickStreamView } from './stream-view.js';

export interface PollerNode {
	name: NodeName;
	httpUrl: string;
}

export interface PollerOptions {
	nodes: PollerNode[];
	emit: (e: PollEvent) => void;
	/** Stream to snapshot (leader, replicas, consumers), e.g. 'ORDERS'. */
	stream?: string;
	fastMs?: number;
	slowMs?: number;
	now?: () => number;
	timeoutMs?: number;
	/** How a node's `httpUrl + path` is read (default: monitoring HTTP; `natslab watch` asks over $SYS). */
	get?: (url: string, timeoutMs: number) => Promise<GetResult>;
}

const HEALTHZ_FAST_MS = 1000;
const HEALTHZ_SLOW_MS = 5000;
/** A refused connection costs the (absent) server nothing: retry sooner while hurried, e.g. during a restart. */
const REFUSED_RETRY_FAST_MS = 1000;
const UNREACHABLE_RETRY_MS = 3000;
const FAILURE_REPEAT_MS = 5000;
const CHANGE_FAST_MS = 3000;
const REFRESH_MS = 10_000;
const RAFTZ_SINCE = '2.10.17';

interface Track {
	node: PollerNode;
	timer: NodeJS.Timeout | null;
	inFlight: Promise<void> | null;
	retryAt: number;
	healthzAt: number;
	raftzAt: number;
	version: string | null;
	serverId: string | null;
	raftz: boolean;
	jsz: unknown;
	jszAt: number;
	emitted: Map<string, { key: string; at: number }>;
	failed: Map<PollEndpoint, { error: string; at: number }>;
}

/** Ends one node's round early (the reason was already emitted as an ok:false event). */
class RoundEnded extends Error {}

export class Poller {
	private tracks = new Map<NodeName, Track>();
	private readonly fastMs: number;
	private readonly slowMs: number;
	private readonly now: () => number;
	private readonly timeoutMs: number;
	private fastUntil = 0;
	private running = false;
	private stopped = false;
	private readonly idToName: Record<string, NodeName> = {};
	private streamEmitted: { key: string; shape: string; at: number } | null = null;

	constructor(private readonly opts: PollerOptions) {
		this.fastMs = opts.fastMs ?? 250;
		this.slowMs = opts.slowMs ?? 2000;
		this.now = opts.now ?? Date.now;
		this.timeoutMs = opts.timeoutMs ?? 1000;
		this.setNodes(opts.nodes);
	}

	start(): void {
		if (this.running) return;
		this.running = true;
		this.stopped = false;
		for (const t of this.tracks.values()) this.schedule(t, 0);
	}

	stop(): void {
		this.running = false;
		this.stopped = true;
		for (const t of this.tracks.values()) this.clearTimer(t);
	}

	/** Poll fast for `ms`, starting now, and retry unreachable nodes at once. */
	hurry(ms = 5000): void {
		this.fastUntil = Math.max(this.fastUntil, this.now() + ms);
		for (const t of this.tracks.values()) {
			t.retryAt = 0;
			if (this.running && t.inFlight === null) this.schedule(t, 0);
		}
	}

	/** One poll of every node (waits for a poll already in flight instead of starting another). */
	async pollOnce(): Promise<void> {
		await Promise.all([...this.tracks.values()].map((t) => this.run(t, true)));
	}

	setNodes(nodes: PollerNode[]): void {
		const names = new Set(nodes.map((n) => n.name));
		for (const [name, t] of this.tracks) {
			if (!names.has(name)) {
				this.clearTimer(t);
				this.tracks.delete(name);
			}
		}
		for (const node of nodes) {
			const t = this.tracks.get(node.name);
			if (t) t.node = node;
			else {
				const fresh = newTrack(node);
				this.tracks.set(node.name, fresh);
				if (this.running) this.schedule(fresh, 0);
			}
		}
	}

	private get fast(): boolean {
		return this.now() < this.fastUntil;
	}

	private clearTimer(t: Track): void {
		if (t.timer) clearTimeout(t.timer);
		t.timer = null;
	}

	private schedule(t: Track, delayMs: number): void {
		this.clearTimer(t);
		if (!this.running) return;
		t.timer = setTimeout(() => {
			t.timer = null;
			void this.run(t, false).then(() => {
				if (!this.running || t.timer || this.tracks.get(t.node.name) !== t) return;
				const wait = this.fast ? this.fastMs : this.slowMs;
				this.schedule(t, Math.max(wait, t.retryAt - this.now()));
			});
		}, delayMs);
		t.timer.unref();
	}

	private run(t: Track, forced: boolean): Promise<void> {
		if (t.inFlight !== null) return t.inFlight;
		if (!forced && this.now() < t.retryAt) return Promise.resolve();
		t.inFlight = this.pollNode(t)
			.catch(() => {
				// reported as an ok:false PollEvent already
			})
			.finally(() => {
				t.inFlight = null;
			});
		return t.inFlight;
	}

	private async pollNode(t: Track): Promise<void> {
		const varz = this.read(t, 'varz', normalizeVarz, await this.getJson(t, 'varz', '/varz'));
		if (varz.serverId && varz.serverId !== t.serverId) {
			t.emitted.clear(); // a new process: everything it says is news
			t.serverId = varz.serverId;
			this.idToName[varz.serverId] = varz.serverName || t.node.name;
		}
		if (varz.version !== t.version) {
			t.version = varz.version;
			t.raftz = atLeast(varz.version, RAFTZ_SINCE);
		}
		this.offer(t, { endpoint: 'varz', data: varz }, { ...varz, uptime: '' });
		const routezJson = await this.getJson(t, 'routez', '/routez');
		const routez = this.read(t, 'routez', (j) => normalizeRoutez(j, this.idToName), routezJson);
		this.offer(t, { endpoint: 'routez', data: routez });
		const jszJson = await this.getJson(t, 'jsz', JSZ_STREAMS_PATH);
		this.offer(t, { endpoint: 'jsz', data: this.read(t, 'jsz', normalizeJsz, jszJson) });
		t.jsz = jszJson;
		t.jszAt = this.now();
		this.offerStream();
		if (this.now() - t.healthzAt >= (this.fast ? HEALTHZ_FAST_MS : HEALTHZ_SLOW_MS)) {
			t.healthzAt = this.now();
			const res = await this.get(t, 'healthz', '/healthz');
			this.offer(t, { endpoint: 'healthz', data: normalizeHealthz(res.status, res.body) });
		}
		if (t.raftz && this.now() - t.raftzAt >= (this.fast ? HEALTHZ_FAST_MS : HEALTHZ_SLOW_MS)) {
			t.raftzAt = this.now();
			const res = await this.get(t, 'raftz', '/raftz');
			// 2.9.10 and < 2.10.17: "404 page not found"; 2.10.17+ without JetStream Raft groups (yet):
			// 404 "No Raft nodes registered".
			if (res.status === 404 && !res.body.includes('No Raft nodes')) t.raftz = false;
			else if (res.status === 404) this.offer(t, { endpoint: 'raftz', data: { groups: [] } });
			else {
				const raftz = this.read(
					t,
					'raftz',
					(j) => normalizeRaftz(j, t.node.name),
					parseJson(res.body, 'raftz'),
				);
				this.offer(t, { endpoint: 'raftz', data: raftz });
			}
		}
	}

	/** Normalise an answer; an unexpected shape becomes an ok:false event and ends this node's round. */
	private read<T>(t: Track, endpoint: PollEndpoint, normalize: (json: unknown) => T, json: unknown): T {
		try {
			return normalize(json);
		} catch (err) {
			const message = err instanceof Error ? err.message : String(err);
			this.fail(t, endpoint, message);
			throw new RoundEnded(message);
		}
	}

	private async get(
		t: Track,
		endpoint: PollEndpoint,
		path: string,
	): Promise<{ status: number; body: string }> {
		const res = await (this.opts.get ?? monitoringGet)(
			t.node.httpUrl.replace(/\/$/, '') + path,
			this.timeoutMs,
		);
		if (!res.ok) {
			// Down (refused) or frozen (no answer): back off, forget what was sent, report it (rate-limited).
			const wait = res.refused && this.fast ? REFUSED_RETRY_FAST_MS : UNREACHABLE_RETRY_MS;
			t.retryAt = this.now() + wait;
			t.emitted.clear();
			t.jsz = null;
			this.fail(t, endpoint, res.error);
			if (endpoint !== 'healthz') this.fail(t, 'healthz', res.error);
			throw new RoundEnded(res.error);
		}
		t.failed.delete(endpoint);
		return res;
	}

	private async getJson(t: Track, endpoint: PollEndpoint, path: string): Promise<unknown> {
		const res = await this.get(t, endpoint, path);
		if (res.status !== 200) {
			this.fail(t, endpoint, `HTTP ${res.status}: ${res.body.trim().slice(0, 200)}`);
			throw new RoundEnded(`HTTP ${res.status}`);
		}
		try {
			return parseJson(res.body, endpoint);
		} catch (err) {
			this.fail(t, endpoint, (err as Error).message);
			throw new RoundEnded((err as Error).message);
		}
	}

	private fail(t: Track, endpoint: PollEndpoint, error: string): void {
		const at = this.now();
		const prev = t.failed.get(endpoint);
		if (prev && prev.error === error && at - prev.at < FAILURE_REPEAT_MS) return;
		t.failed.set(endpoint, { error, at });
		this.emit({ kind: 'poll', node: t.node.name, at, ok: false, endpoint, error });
	}

	/** Emit when the snapshot differs from the last one sent (compared without fields that always move). */
	private offer(t: Track, data: PollData, compareAs: unknown = data.data): void {
		const at = this.now();
		const key = JSON.stringify(compareAs);
		const prev = t.emitted.get(data.endpoint);
		if (prev && prev.key === key && at - prev.at < REFRESH_MS) return;
		if (prev && prev.key !== key) this.fastUntil = Math.max(this.fastUntil, at + CHANGE_FAST_MS);
		t.emitted.set(data.endpoint, { key, at });
		this.emit({ kind: 'poll', node: t.node.name, at, ok: true, ...data } as PollEvent);
	}

	/** The stream as its leader sees it (see ./stream-view.ts), emitted when it changed. */
	private offerStream(): void {
		const stream = this.opts.stream;
		if (!stream) return;
		const answers = [...this.tracks.values()]
			.filter((t) => t.jsz != null)
			.map((t) => ({ node: t.node.name, at: t.jszAt, json: t.jsz }));
		const chosen = pickStreamView(answers, stream);
		if (!chosen?.viewFrom) return;
		const at = this.now();
		const key = JSON.stringify({ ...chosen, replicas: chosen.replicas.map(({ active: _, ...r }) => r) });
		const shape = streamShapeKey(chosen);
		const prev = this.streamEmitted;
		if (prev && prev.key === key && at - prev.at < REFRESH_MS) return;
		// Only a change of shape (leader, replicas current/offline, consumers) polls fast: the
		// message counts move with every publish, and polling fast for them kept the poller at
		// 250 ms on every node for as long as the JetStream probe ran (~40 requests a second).
		if (prev && prev.shape !== shape) this.fastUntil = Math.max(this.fastUntil, at + CHANGE_FAST_MS);
		this.streamEmitted = { key, shape, at };
		this.emit({ kind: 'poll', node: chosen.viewFrom, at, ok: true, endpoint: 'stream', data: chosen });
	}

	private emit(e: PollEvent): void {
		if (!this.stopped) this.opts.emit(e);
	}
}

/** What a stream looks like without its counters (messages, sequences, lag, last activity). */
export function streamShapeKey(s: StreamSnapshot): string {
	return JSON.stringify({
		stream: s.stream,
		leader: s.leader,
		viewFrom: s.viewFrom ?? null,
		replicas: s.replicas.map((r) => [r.name, r.current, r.offline]),
		consumers: s.consumers ?? [],
	});
}

function newTrack(node: PollerNode): Track {
	return {
		node,
		timer: null,
		inFlight: null,
		retryAt: 0,
		healthzAt: Number.NEGATIVE_INFINITY,
		raftzAt: Number.NEGATIVE_INFINITY,
		version: null,
		serverId: null,
		raftz: false,
		jsz: null,
		jszAt: 0,
		emitted: new Map(),
		failed: new Map(),
	};
}

function parseJson(body: string, endpoint: string): unknown {
	try {
		return JSON.parse(body);
	} catch {
		throw new Error(`unexpected /${endpoint} answer: not JSON`);
	}
}
