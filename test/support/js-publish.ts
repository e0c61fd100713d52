// Creating and publishing to a stream a test has just made, right after a cluster came up.
// - Just after an election the meta leader may not yet count a peer as online and answers
//   "no suitable peers for placement, peer offline" (docs/nats-behavior.md §4: retry creation).
// - The stream's subject interest reaches the client's server a moment after `streams.add`
//   returns (on 2.15.1 a publish right after got "no responders", which nats.js reports as
//   JetStreamNotEnabled). nats.js retries a publish on no responders or a timeout when asked
//   to; the message id makes a retried publish store once.
import type { JetStreamClient, JetStreamManager, PubAck, StreamConfig, StreamInfo } from '@nats-io/jetstream';
import { delay } from '../../src/base/wait.js';

/** `jsm.streams.add` that retries while the placement finds a peer offline (up to 30 s). */
export async function addStreamWhenPlaced(
	jsm: JetStreamManager,
	config: Partial<StreamConfig> & { name: string },
	timeoutMs = 30_000,
): Promise<StreamInfo> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			return await jsm.streams.add(config);
		} catch (err) {
			const message = err instanceof Error ? err.message : String(err);
			if (!/no suitable peers/i.test(message) || Date.now() > deadline) throw err;
			await delay(500);
		}
	}
}

/** `js.publish` that waits out a new stream's interest (~15 s of nats.js backoff), stored once. */
export function publishToNewStream(js: JetStreamClient, subject: string, data: string): Promise<PubAck> {
	return js.publish(subject, data, { msgID: `${subject}:${data}`, retries: 8, timeout: 5000 });
}
