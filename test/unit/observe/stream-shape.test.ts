// The poller polls fast after a change of the stream's shape, not of its counters:
// with the JetStream probe publishing, messages/lastSeq/lag move on every poll.
import { describe, expect, it } from 'vitest';
import type { StreamSnapshot } from '../../../src/monitoring/types.js';
import { streamShapeKey } from '../../../src/observe/pollers.js';

const base: StreamSnapshot = {
	stream: 'ORDERS',
	leader: 'n1',
	messages: 1520,
	lastSeq: 1520,
	viewFrom: 'n1',
	replicas: [
		{ name: 'n1', current: true, lag: 0, offline: false },
		{ name: 'n2', current: true, lag: 0, offline: false, active: 12 },
		{ name: 'n3', current: true, lag: 3, offline: false, active: 40 },
	],
	consumers: [{ name: 'C1', leader: 'n2' }],
};

describe('streamShapeKey', () => {
	it('ignores what moves with every publish (messages, sequences, lag, activity)', () => {
		const later: StreamSnapshot = {
			...base,
			messages: 1561,
			lastSeq: 1561,
			replicas: base.replicas.map((r) => ({ ...r, lag: r.lag + 2, active: 7 })),
		};
		expect(streamShapeKey(later)).toBe(streamShapeKey(base));
	});

	it('changes with the leader, a replica falling behind or offline, and the consumers', () => {
		const key = streamShapeKey(base);
		expect(streamShapeKey({ ...base, leader: 'n2' })).not.toBe(key);
		const behind = base.replicas.map((r) => (r.name === 'n3' ? { ...r, current: false } : r));
		expect(streamShapeKey({ ...base, replicas: behind })).not.toBe(key);
		const offline = base.replicas.map((r) => (r.name === 'n2' ? { ...r, offline: true } : r));
		expect(streamShapeKey({ ...base, replicas: offline })).not.toBe(key);
		expect(streamShapeKey({ ...base, consumers: [{ name: 'C1', leader: 'n3' }] })).not.toBe(key);
	});
});
