// Moves a consumer's leadership to another replica with the JetStream API's own
// request. @nats-io/jetstream 3.4.0 has no stepdown call on `jsm.consumers`, so this
// is a plain request on `$JS.API.CONSUMER.LEADER.STEPDOWN.<stream>.<consumer>` over a
// short-lived helper connection (as the lab stream's set-up uses).

import { JS_REQUEST_TIMEOUT_MS, openUntil } from './lab-stream.js';
import { errorMessage, within } from './timing.js';
import { requireServers } from './validate.js';

interface StepDownReply {
	success?: boolean;
	error?: { code?: number; err_code?: number; description?: string };
}

/**
 * Asks the consumer's leader to step down. Resolves once a server answered `success: true`; the
 * answer says nothing about who leads next (the monitoring state shows that). Rejects with the
 * server's error (e.g. 10014 consumer not found) or when no server answered within `timeoutMs`.
 */
export async function stepDownConsumerLeader(
	servers: string[],
	stream: string,
	consumer: string,
	opts: { timeoutMs?: number } = {},
): Promise<void> {
	requireServers(servers, 'stepDownConsumerLeader');
	const subject = `$JS.API.CONSUMER.LEADER.STEPDOWN.${stream}.${consumer}`;
	const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
	const what = `consumer leader stepdown of ${stream} > ${consumer}`;
	const nc = await openUntil(servers, deadline, 'natslab-stepdown');
	if (!nc) throw new Error(`${what}: no server answered`);
	try {
		let reply: StepDownReply;
		try {
			const msg = await nc.request(subject, '', {
				timeout: Math.max(500, Math.min(JS_REQUEST_TIMEOUT_MS * 2, deadline - Date.now())),
			});
			reply = msg.json<StepDownReply>();
		} catch (err) {
			throw new Error(`${what}: ${errorMessage(err)}`, { cause: err });
		}
		if (reply.success !== true) {
			const e = reply.error;
			const code = e?.err_code ?? e?.code;
			throw new Error(`${what} refused: ${e?.description ?? 'no reason given'}${code ? ` (${code})` : ''}`);
		}
	} finally {
		await within(nc.close(), 2000);
	}
}
