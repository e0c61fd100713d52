// The JetStream assets every JetStream lesson uses: an R3 file stream ORDERS on
// orders.> and a durable pull consumer C1. Creation is retried: right after an
// election `no suitable peers for placement` happens (docs/nats-behavior.md §4), and
// without a meta leader every API call times out or answers 10008 (§8, §14.3).

import {
	AckPolicy,
	DeliverPolicy,
	type JetStreamManager,
	jetstreamManager,
	StorageType,
	type StreamInfo,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { LAB_CONSUMER, LAB_STREAM } from '../base/names.js';
import { errorMessage, Sleeper, within } from './timing.js';
import { requireServers } from './validate.js';

export const LAB_SUBJECTS = ['orders.>'];

/** JetStream API request timeout for probes and set-up (nats.js default is 5 s; lessons want faster feedback). */
export const JS_REQUEST_TIMEOUT_MS = 2000;

function isNotFound(err: unknown, name: 'StreamNotFoundError' | 'ConsumerNotFoundError'): boolean {
	return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === name;
}

/**
 * Makes sure ORDERS and C1 exist (one attempt). Adding an identical config to an
 * existing asset succeeds, so two callers racing here is harmless. An existing
 * stream is left as it is, whatever its config.
 */
export async function ensureLabAssets(jsm: JetStreamManager, replicas: number): Promise<StreamInfo> {
	let info: StreamInfo;
	try {
		info = await jsm.streams.info(LAB_STREAM);
	} catch (err) {
		if (!isNotFound(err, 'StreamNotFoundError')) throw err;
		info = await jsm.streams.add({
			name: LAB_STREAM,
			subjects: LAB_SUBJECTS,
			num_replicas: replicas,
			storage: StorageType.File,
		});
	}
	try {
		await jsm.consumers.info(LAB_STREAM, LAB_CONSUMER);
	} catch (err) {
		if (!isNotFound(err, 'ConsumerNotFoundError')) throw err;
		await jsm.consumers.add(LAB_STREAM, {
			durable_name: LAB_CONSUMER,
			ack_policy: AckPolicy.Explicit,
			deliver_policy: DeliverPolicy.All,
		});
	}
	return info;
}

export function labReplicas(servers: string[]): number {
	return Math.max(1, Math.min(3, servers.length));
}

/**
 * A short-lived helper connection that keeps dialling until `deadline` (epoch ms).
 * Resolves null when no server answered in time.
 */
export async function openUntil(
	servers: string[],
	deadline: number,
	name: string,
): Promise<NatsConnection | null> {
	let expired = false;
	const pending = connect({
		servers,
		name,
		// Randomized, so a frozen first node does not cost every helper connection its dial timeout.
		waitOnFirstConnect: true,
		maxReconnectAttempts: -1,
		timeout: Math.max(500, Math.min(2000, deadline - Date.now())),
		reconnectDelayHandler: () => {
			if (expired || Date.now() > deadline) throw new Error('deadline passed');
			return 250;
		},
	});
	const nc = await within(pending, Math.max(0, deadline - Date.now()));
	if (!nc) {
		expired = true;
		// If it connects after all, do not leave it open.
		pending.then((late) => late.close()).catch(() => {});
		return null;
	}
	return nc;
}

/**
 * Measured on 2.10.27 (about 1 fresh cluster in 10): the meta group bootstraps with two of the
 * three servers (/jsz `cluster_size: 2`), the third never joins on its own (watched 2 minutes,
 * every /healthz 200), and every R3 placement fails. Restarting the missing server fixed it.
 */
function hintFor(lastError: string): string {
	return /no suitable peers/i.test(lastError)
		? ' (is every server in the JetStream meta group? compare /jsz meta_cluster.cluster_size with the number of servers)'
		: '';
}

/** Creates ORDERS (R3, file) and the durable C1, retrying until `timeoutMs` (default 30 s) runs out. */
export async function ensureLabStream(servers: string[], opts: { timeoutMs?: number } = {}): Promise<void> {
	requireServers(servers, 'ensureLabStream');
	const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
	const nc = await openUntil(servers, deadline, 'natslab-setup');
	if (!nc)
		throw new Error(`could not create stream ${LAB_STREAM}: no server answered on ${servers.join(', ')}`);
	const sleeper = new Sleeper();
	let lastError = 'timed out';
	try {
		const jsm = await jetstreamManager(nc, { checkAPI: false, timeout: JS_REQUEST_TIMEOUT_MS });
		while (Date.now() < deadline) {
			try {
				await ensureLabAssets(jsm, labReplicas(servers));
				return;
			} catch (err) {
				lastError = errorMessage(err);
				await sleeper.sleep(Math.min(500, Math.max(0, deadline - Date.now())));
			}
		}
		throw new Error(`could not create stream ${LAB_STREAM}: ${lastError}${hintFor(lastError)}`);
	} finally {
		await within(nc.close(), 2000);
	}
}
