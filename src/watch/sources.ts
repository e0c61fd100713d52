// Where a watch reads a cluster natslab did not start: over NATS as a
// system-account user ($SYS.REQ requests, $SYS.SERVER events, JetStream
// advisories: subscriptions only), or from the servers' monitoring ports.
// Both answer the local poller's `get(url)` with the same bodies: a $SYS
// reply's `data` is the endpoint's JSON. Node URLs over NATS are
// `nats-sys://<server name>`; the request goes to that name's current id.

import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { NodeName } from '../base/names.js';
import { redactUrl } from '../base/redact.js';
import { type GetResult, jsonOrText, monitoringGet } from '../monitoring/http.js';
import { askServer, connectSystem, type NatsSource, pingAll } from '../remote/nats.js';
import { type Sighting, sightingOf } from './presence.js';

export interface WatchEvents {
	shutdown(serverId: string): void;
	lameDuck(serverId: string): void;
	/** A JetStream advisory (leader elected, quorum lost) the connection's account receives. */
	advisory(subject: string, body: Record<string, unknown>): void;
	/** natslab's own connection dropped or came back (a note: it is not a server's state). */
	connection(text: string): void;
	/** natslab's own connection closed for good (nats.js gave up): nothing more will come. */
	closed?(why: string): void;
}

export interface WatchSource {
	/** "over NATS (nats://h:4222)", "over monitoring ports". */
	readonly how: string;
	/** Every server that answers now. */
	discover(): Promise<Sighting[]>;
	/** The node's URL the poller asks (`<url><path>`). */
	urlOf(name: NodeName): string;
	/** Which server a URL the poller asks belongs to (null: not one of this source's). */
	nodeOf(url: string): NodeName | null;
	get(url: string, timeoutMs: number): Promise<GetResult>;
	/** False while natslab's own connection is down: no answer then says nothing about a server. */
	connected(): boolean;
	/** natslab's own link: down (reconnecting) or closed for good (why), for the screen's indicator. */
	link(): { up: boolean; closed: string | null };
	listen(events: WatchEvents): void;
	close(): Promise<void>;
}

const NATS_PREFIX = 'nats-sys://';
/** Discovery ends once no server replied for this long after the last reply. */
const DISCOVER_STALL_MS = 500;
/** Events natslab watch subscribes to (never publishes to). */
export const WATCH_SUBJECTS = [
	'$SYS.SERVER.*.SHUTDOWN',
	'$SYS.SERVER.*.LAMEDUCK',
	'$JS.EVENT.ADVISORY.DOMAIN.LEADER_ELECTED',
	'$JS.EVENT.ADVISORY.*.LEADER_ELECTED.>',
	'$JS.EVENT.ADVISORY.*.QUORUM_LOST.>',
];

/** The poller's path → the $SYS request and its body (`/jsz?accounts=true` → JSZ {accounts: true}). */
export function sysRequestOf(path: string): { what: string; body: Record<string, unknown> } {
	const [route = '', query = ''] = path.split('?');
	const body: Record<string, unknown> = {};
	for (const [k, v] of new URLSearchParams(query)) {
		// The request body names it `consumer` (JSzOptions); `consumers` would be ignored.
		const key = k === 'consumers' ? 'consumer' : k;
		body[key] = v === 'true' ? true : v === 'false' ? false : v;
	}
	return { what: route.replace(/^\/+/, '').toUpperCase(), body };
}

export class NatsWatchSource implements WatchSource {
	readonly how: string;
	private readonly ids = new Map<NodeName, string>();
	private readonly subs: Subscription[] = [];
	private up = true;
	private reconnectedAt = 0;
	private closedWhy: string | null = null;
	private closing = false;

	private constructor(
		private readonly nc: NatsConnection,
		servers: string[],
		private readonly timeoutMs: number,
	) {
		this.how = `over NATS (${servers.map(redactUrl).join(',')})`;
	}

	/** Connects; rejects with one line when it cannot, or when no server answers $SYS requests. */
	static async open(src: NatsSource, timeoutMs: number): Promise<NatsWatchSource> {
		const nc = await connectSystem(src, 'natslab watch (read-only)', timeoutMs, true);
		const source = new NatsWatchSource(nc, src.servers, timeoutMs);
		const first = await source.discover().catch(() => []);
		if (first.length === 0) {
			await nc.close().catch(() => {});
			throw new Error('no server answered $SYS.REQ.SERVER.PING.VARZ: the user must be in the system account');
		}
		return source;
	}

	async discover(): Promise<Sighting[]> {
		const replies = await pingAll(this.nc, 'VARZ', {}, this.timeoutMs, DISCOVER_STALL_MS);
		const out: Sighting[] = [];
		for (const r of replies.values()) {
			const s = sightingOf(r.data);
			if (!s) continue;
			this.ids.set(s.name, s.serverId);
			out.push(s);
		}
		return out;
	}

	urlOf(name: NodeName): string {
		return `${NATS_PREFIX}${encodeURIComponent(name)}`;
	}

	nodeOf(url: string): NodeName | null {
		if (!url.startsWith(NATS_PREFIX)) return null;
		const rest = url.slice(NATS_PREFIX.length);
		return decodeURIComponent(rest.split('/')[0] ?? '');
	}

	async get(url: string, timeoutMs: number): Promise<GetResult> {
		const rest = url.slice(NATS_PREFIX.length);
		const cut = rest.indexOf('/');
		const name = decodeURIComponent(rest.slice(0, cut));
		const { what, body } = sysRequestOf(rest.slice(cut));
		const id = this.ids.get(name);
		if (!id) return { ok: false, refused: true, timedOut: false, error: `${name} is not known over NATS` };
		const res = await askServer(this.nc, id, what, body, timeoutMs);
		// No responder: a version without the request (the endpoint's 404, after which the poller
		// asks no more), or a server that just exited (a restart: it must be asked again). Only
		// a server that still answers VARZ lacks the request.
		if (!res.ok && res.refused && what === 'RAFTZ' && !this.nc.isClosed()) {
			const alive = await askServer(this.nc, id, 'VARZ', {}, timeoutMs);
			if (alive.ok) return { ok: true, status: 404, body: '404 page not found' };
		}
		return res;
	}

	connected(): boolean {
		// Requests sent just before the reconnect time out just after it: not the servers' fault.
		return this.up && !this.nc.isClosed() && Date.now() - this.reconnectedAt > this.timeoutMs;
	}

	link(): { up: boolean; closed: string | null } {
		return { up: this.up && this.closedWhy === null, closed: this.closedWhy };
	}

	listen(events: WatchEvents): void {
		// A close natslab did not ask for (e.g. an auth error on every reconnect after the
		// sys password rotated): said once, and the screen stops claiming to be live.
		void this.nc.closed().then((err) => {
			if (this.closing) return;
			this.closedWhy = err ? (err.message.split('\n')[0] ?? 'closed') : 'closed';
			events.closed?.(this.closedWhy);
		});
		void (async () => {
			for await (const st of this.nc.status()) {
				if (st.type === 'disconnect') {
					this.up = false;
					events.connection(`natslab's connection to ${redactUrl(String(st.server))} dropped: reconnecting`);
				} else if (st.type === 'reconnect') {
					this.up = true;
					this.reconnectedAt = Date.now();
					events.connection(`natslab reconnected, to ${redactUrl(String(st.server))}`);
				}
			}
		})().catch(() => {});
		for (const subject of WATCH_SUBJECTS) {
			const sub = this.nc.subscribe(subject, {
				callback: (err, m) => {
					if (err) return;
					const parts = m.subject.split('.');
					if (m.subject.startsWith('$SYS.SERVER.')) {
						const id = parts[2] ?? '';
						if (parts[3] === 'SHUTDOWN') events.shutdown(id);
						else if (parts[3] === 'LAMEDUCK') events.lameDuck(id);
						return;
					}
					try {
						events.advisory(m.subject, m.json<Record<string, unknown>>());
					} catch {
						// Not JSON: not an advisory.
					}
				},
			});
			this.subs.push(sub);
		}
	}

	async close(): Promise<void> {
		this.closing = true;
		for (const s of this.subs) s.unsubscribe();
		await this.nc.close().catch(() => {});
	}
}

export class MonitorWatchSource implements WatchSource {
	readonly how = 'over monitoring ports';
	private readonly urls = new Map<NodeName, string>();

	constructor(
		private readonly monitorUrls: string[],
		private readonly timeoutMs: number,
	) {}

	/** Every URL's /varz; rejects with one line when none answers. */
	static async open(urls: string[], timeoutMs: number): Promise<MonitorWatchSource> {
		const source = new MonitorWatchSource(urls, timeoutMs);
		const first = await source.discover();
		if (first.length === 0)
			throw new Error(`no monitoring URL answered /varz (${urls.map(redactUrl).join(', ')})`);
		return source;
	}

	async discover(): Promise<Sighting[]> {
		const found = await Promise.all(
			this.monitorUrls.map(async (raw) => {
				const base = raw.replace(/\/+$/, '');
				const res = await monitoringGet(`${base}/varz`, this.timeoutMs);
				if (!res.ok || res.status !== 200) return null;
				const s = sightingOf(jsonOrText(res.body));
				if (s) this.urls.set(s.name, base);
				return s;
			}),
		);
		return found.filter((s): s is Sighting => s !== null);
	}

	urlOf(name: NodeName): string {
		return this.urls.get(name) ?? '';
	}

	nodeOf(url: string): NodeName | null {
		for (const [name, base] of this.urls) if (url.startsWith(`${base}/`)) return name;
		return null;
	}

	get(url: string, timeoutMs: number): Promise<GetResult> {
		return monitoringGet(url, timeoutMs);
	}

	connected(): boolean {
		return true;
	}

	link(): { up: boolean; closed: string | null } {
		return { up: true, closed: null };
	}

	listen(): void {
		// Monitoring ports send no events: a server is gone when it stops answering.
	}

	async close(): Promise<void> {}
}
