// Starts, restarts and stops the probe groups a lesson asks for, ticks their
// counters into the event stream twice a second, and runs the verifier.

import type { ClientEvent, ProbeKind, VerifyResult } from '../observe/events.js';
import { CorePublisher, CoreSubscriber } from './core-probe.js';
import { JsConsumer } from './js-consumer.js';
import { JsPublisher } from './js-publisher.js';
import { ProbeOut } from './out.js';
import type { Probe } from './probe.js';
import type { ProbeSpec } from './spec.js';
import { within } from './timing.js';
import { requireServers, validateSpecs } from './validate.js';
import { verifyLedger } from './verifier.js';

export interface ProbeHubOptions {
	/** Client URLs of n1, n2, n3 in node order. */
	servers: string[];
	emit: (e: ClientEvent) => void;
	now?: () => number;
}

export interface ProbeHub {
	start(specs: ProbeSpec[]): Promise<void>;
	stop(): Promise<void>;
	verify(): Promise<VerifyResult | null>;
	running(): string[];
}

export const DEFAULT_RATES = { core: 50, jetstream: 20 } as const;
/**
 * Counters are batched: a probe's messages only bump numbers in the probe, and those go
 * out as one event per probe per tick. 2 Hz is what the screen draws counters at (its
 * routine frames); every connection change still goes out the moment nats.js reports it.
 */
export const COUNTERS_EVERY_MS = 500;
/** How long start() waits for a probe's first connect before it lets it carry on in the background. */
const START_WAIT_MS = 3000;

/**
 * Where each probe starts: a rotation of the URL list, so the core subscriber
 * sits on another node than the publisher (n1 pub, n2 sub, n3 JetStream pub).
 */
const START_NODE: Record<ProbeKind, number> = { 'core-pub': 0, 'core-sub': 1, 'js-pub': 2, 'js-consumer': 1 };

export function rotateServers(servers: string[], offset: number): string[] {
	if (servers.length === 0) return [];
	const k = offset % servers.length;
	return [...servers.slice(k), ...servers.slice(0, k)];
}

interface Group {
	kind: ProbeSpec['kind'];
	/** Same spec again = nothing to do (start is idempotent per kind). */
	key: string;
	probes: Probe[];
	jsPublisher: JsPublisher | null;
}

export function createProbeHub(opts: ProbeHubOptions): ProbeHub {
	requireServers(opts.servers, 'createProbeHub');
	const now = opts.now ?? Date.now;
	const servers = [...opts.servers];
	const groups = new Map<ProbeSpec['kind'], Group>();
	const outs = new Map<ProbeKind, ProbeOut>();
	const lastRate = new Map<ProbeKind, { count: number; at: number }>();
	let lastJsPublisher: JsPublisher | null = null;
	let timer: NodeJS.Timeout | null = null;
	let queue: Promise<unknown> = Promise.resolve();
	let runCounter = 0;
	let stopGeneration = 0;

	const out = (id: ProbeKind): ProbeOut => {
		let o = outs.get(id);
		if (!o) {
			o = new ProbeOut(id, opts.emit, now);
			outs.set(id, o);
		}
		return o;
	};
	const serversFor = (id: ProbeKind) => rotateServers(servers, START_NODE[id]);
	const newRunId = () =>
		`${Date.now().toString(36)}${(runCounter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

	const emitCounters = (probe: Probe): void => {
		const at = now();
		const count = probe.rateCount();
		const prev = lastRate.get(probe.id);
		const rate = prev && at > prev.at ? Math.round(((count - prev.count) * 10_000) / (at - prev.at)) / 10 : 0;
		lastRate.set(probe.id, { count, at });
		out(probe.id).counters({ ...probe.counters(), rate: Math.max(0, rate) });
	};
	const tick = (): void => {
		for (const g of groups.values()) for (const p of g.probes) emitCounters(p);
	};

	const createGroup = (spec: ProbeSpec, key: string): Group => {
		const options = spec.options ?? {};
		if (spec.kind === 'core') {
			const subject = `natslab.probe.core.${newRunId()}`;
			const rate = spec.rate ?? DEFAULT_RATES.core;
			const sub = new CoreSubscriber(out('core-sub'), serversFor('core-sub'), subject, options);
			const pub = new CorePublisher(out('core-pub'), serversFor('core-pub'), subject, rate, options);
			return { kind: 'core', key, probes: [pub, sub], jsPublisher: null };
		}
		const rate = spec.rate ?? DEFAULT_RATES.jetstream;
		const pub = new JsPublisher(out('js-pub'), serversFor('js-pub'), newRunId(), rate, options);
		const consumer = new JsConsumer(out('js-consumer'), serversFor('js-consumer'), options, spec.consume);
		return { kind: 'jetstream', key, probes: [pub, consumer], jsPublisher: pub };
	};

	/** Bounded: with every server down this returns after START_WAIT_MS and the probes keep trying. */
	const startGroup = async (g: Group): Promise<void> => {
		for (const p of g.probes) lastRate.delete(p.id);
		const deadline = Date.now() + START_WAIT_MS;
		if (g.kind === 'core') {
			// Subscriber first, so its interest is in place before the first message.
			const [pub, sub] = g.probes as [Probe, Probe];
			await within(sub.start(), START_WAIT_MS);
			await within(pub.start(), Math.max(0, deadline - Date.now()));
		} else {
			await Promise.all(g.probes.map((p) => within(p.start(), START_WAIT_MS)));
		}
	};

	const stopGroup = async (g: Group): Promise<void> => {
		groups.delete(g.kind);
		await Promise.all(g.probes.map((p) => p.stop().catch(() => {})));
		for (const p of g.probes) emitCounters(p);
	};

	const serial = <T>(fn: () => Promise<T>): Promise<T> => {
		const run = queue.then(fn, fn);
		queue = run.catch(() => {});
		return run;
	};

	return {
		start: (specs) => {
			// Checked before queueing, so bad input rejects at once and leaves running probes alone.
			try {
				validateSpecs(specs);
			} catch (err) {
				return Promise.reject(err);
			}
			return serial(async (): Promise<void> => {
				const generation = stopGeneration;
				const byKind = new Map(specs.map((s) => [s.kind, s] as const));
				const fresh: Group[] = [];
				for (const spec of byKind.values()) {
					const key = JSON.stringify({ rate: spec.rate ?? null, options: spec.options ?? {} });
					const existing = groups.get(spec.kind);
					if (existing && existing.key === key && existing.probes.every((p) => p.alive())) continue;
					if (existing) await stopGroup(existing);
					// A stop() that came in meanwhile wins.
					if (generation !== stopGeneration) return;
					const group = createGroup(spec, key);
					groups.set(spec.kind, group);
					if (group.jsPublisher) lastJsPublisher = group.jsPublisher;
					fresh.push(group);
				}
				if (fresh.length > 0 && !timer) {
					timer = setInterval(tick, COUNTERS_EVERY_MS);
					timer.unref();
				}
				await Promise.all(fresh.map(startGroup));
			});
		},
		// Not queued behind start(): a start waiting on unreachable servers must not delay a stop.
		stop: async () => {
			stopGeneration++;
			if (timer) clearInterval(timer);
			timer = null;
			await Promise.all([...groups.values()].map(stopGroup));
		},
		verify: async () => {
			const publisher = lastJsPublisher;
			if (!publisher) return null;
			const result = await verifyLedger(servers, publisher.ledger());
			out('js-pub').verified(result);
			return result;
		},
		running: () => [...groups.values()].flatMap((g) => g.probes.filter((p) => p.alive()).map((p) => p.id)),
	};
}
