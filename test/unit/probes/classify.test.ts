// Errors are built with the real @nats-io classes, wired the way nats.js 3.4.0
// wires them (jsclient.js `_publish`, jsbaseclient_api.js `parseJsResponse`,
// nats.js `request`), with the fields measured in docs/nats-behavior.md §14.3.
// The integration test classifies errors provoked on a real cluster.
import { JetStreamApiError, JetStreamStatusError, jserrors } from '@nats-io/jetstream/internal';
import {
	ClosedConnectionError,
	NoRespondersError,
	RequestError,
	TimeoutError,
} from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { classifyJsError, describeJsError } from '../../../src/probes/classify.js';

const UNAVAILABLE = { code: 503, err_code: 10008, description: 'JetStream system temporarily unavailable' };

/** js.publish with nobody on the subject: NoResponders ← RequestError ← JetStreamNotEnabled. */
function noRespondersFromPublish(subject: string): Error {
	const request = new RequestError(`no responders: '${subject}'`, { cause: new NoRespondersError(subject) });
	return new jserrors.JetStreamNotEnabled('jetstream is not enabled', { cause: request });
}

describe('classifyJsError', () => {
	it('a request that got no answer in time is a timeout', () => {
		const err = new TimeoutError();
		expect(err.name).toBe('TimeoutError');
		expect(err.message).toBe('timeout');
		expect(classifyJsError(err)).toBe('timeout');
	});

	it('no responders is recognised by its causes, not by the misleading text', () => {
		const err = noRespondersFromPublish('orders.p');
		expect(err.message).toBe('jetstream is not enabled');
		expect(JSON.parse(JSON.stringify(err))).toEqual({ name: 'JetStreamNotEnabled' });
		expect(classifyJsError(err)).toBe('noResponders');
		// A bare RequestError from nc.request is the same condition.
		expect(classifyJsError((err as Error & { cause: unknown }).cause)).toBe('noResponders');
	});

	it('JetStreamApiError 10008 is "unavailable" although `code` is a getter invisible to JSON', () => {
		const err = new JetStreamApiError(UNAVAILABLE);
		expect(JSON.stringify(err)).toBe('{"name":"JetStreamApiError"}');
		expect(err.code).toBe(10008);
		expect(err.status).toBe(503);
		expect(classifyJsError(err)).toBe('unavailable');
	});

	it('other API errors, a closed connection and pull status errors are "other"', () => {
		const others: unknown[] = [
			new jserrors.StreamNotFoundError({ code: 404, err_code: 10059, description: 'stream not found' }),
			new jserrors.ConsumerNotFoundError({ code: 404, err_code: 10014, description: 'consumer not found' }),
			new JetStreamApiError({ code: 400, err_code: 10071, description: 'wrong last sequence: 20' }),
			// JetStream really disabled for the account: same outer class as no-responders, other cause.
			new jserrors.JetStreamNotEnabled('jetstream not enabled for account', {
				cause: new JetStreamApiError({
					code: 503,
					err_code: 10039,
					description: 'jetstream not enabled for account',
				}),
			}),
			new ClosedConnectionError(),
			new RequestError('connection closed'),
			new JetStreamStatusError('no responders', 503),
			new Error('timeout'),
			'timeout',
			null,
			undefined,
		];
		for (const err of others) expect(classifyJsError(err), String(err)).toBe('other');
	});

	it('does not rely on instanceof: a structural copy (another package copy) classifies the same', () => {
		const copy = {
			name: 'JetStreamNotEnabled',
			message: 'jetstream is not enabled',
			cause: { name: 'RequestError', message: "no responders: 'orders.p'", cause: { name: 'NoResponders' } },
		};
		expect(classifyJsError(copy)).toBe('noResponders');
	});
});

describe('describeJsError', () => {
	it('says what happened in one line', () => {
		expect(describeJsError(noRespondersFromPublish('orders.probe'))).toBe("no responders: 'orders.probe'");
		expect(describeJsError(new TimeoutError())).toBe('timeout');
		expect(describeJsError(new JetStreamApiError(UNAVAILABLE))).toBe(
			'JetStream system temporarily unavailable (10008)',
		);
		expect(describeJsError(new ClosedConnectionError())).toBe('closed connection');
	});
});
