// Publishing to a stream a test has just created. The stream's subject interest reaches the
// client's server a moment after `streams.add` returns (on 2.15.1 a publish right after got
// "no responders", which nats.js reports as JetStreamNotEnabled). nats.js retries a publish on
// no responders or a timeout when asked to; the message id makes a retried publish store once.
import type { JetStreamClient, PubAck } from '@nats-io/jetstream';

/** `js.publish` that waits out a new stream's interest (~15 s of nats.js backoff), stored once. */
export function publishToNewStream(js: JetStreamClient, subject: string, data: string): Promise<PubAck> {
	return js.publish(subject, data, { msgID: `${subject}:${data}`, retries: 8, timeout: 5000 });
}
