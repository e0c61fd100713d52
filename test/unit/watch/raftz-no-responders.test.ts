// RAFTZ over NATS with no responder: a server that lacks the request (it still
// answers VARZ) reads as the endpoint's 404, after which the poller asks it no
// more; a server that just exited (a rolling restart, same version) is a failed
// request, so its Raft view comes back once the new process answers.
import type { NatsConnection } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { NatsWatchSource } from '../../../src/watch/sources.js';

/** A connection whose servers answer the requests `answers` holds (by request name), else "no responders". */
function fakeConnection(answers: Record<string, unknown>): NatsConnection {
	return {
		isClosed: () => false,
		request: async (subject: string) => {
			const what = subject.split('.').at(-1) as string;
			if (!(what in answers)) throw new Error('503 no responders');
			return { json: () => ({ data: answers[what] }) };
		},
	} as unknown as NatsConnection;
}

function sourceOver(nc: NatsConnection): NatsWatchSource {
	const make = NatsWatchSource as unknown as new (
		nc: NatsConnection,
		s: string[],
		t: number,
	) => NatsWatchSource;
	const source = new make(nc, ['nats://h:4222'], 1000);
	(source as unknown as { ids: Map<string, string> }).ids.set('w1', 'NAAAAAAAAA1');
	return source;
}

describe('watch RAFTZ without a responder', () => {
	it('a server that answers VARZ but not RAFTZ lacks it: 404, as its monitoring port says', async () => {
		const source = sourceOver(fakeConnection({ VARZ: { server_name: 'w1' } }));
		expect(await source.get(`${source.urlOf('w1')}/raftz`, 1000)).toEqual({
			ok: true,
			status: 404,
			body: '404 page not found',
		});
	});

	it('a server that answers nothing has gone: a failed request, not a 404 (it is asked again)', async () => {
		const source = sourceOver(fakeConnection({}));
		const res = await source.get(`${source.urlOf('w1')}/raftz`, 1000);
		expect(res.ok).toBe(false);
		expect(res).toMatchObject({ refused: true });
	});
});
