// Lessons 1, 2 and 4 tell the learner that no nats-server prints
// `Cluster state: LEARNING -> LEADER` or `Node "1" is LEADER`, and quote the real
// leader lines instead. This checks that claim against the real binaries.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { binaryFor, TEST_VERSIONS } from '../support/binaries.js';

describe.each(TEST_VERSIONS)('the nats-server %s binary', (version) => {
	const binary = readFileSync(binaryFor(version));

	it('holds none of the myth strings a widely read write-up shows', () => {
		for (const myth of ['LEARNING', 'Cluster state', 'is LEADER']) {
			expect(binary.includes(myth), myth).toBe(false);
		}
	});

	it('holds the leader lines the lessons quote instead', () => {
		for (const real of [
			'Self is new JetStream cluster metadata leader',
			'JetStream cluster new metadata leader',
			'JetStream cluster no metadata leader',
		]) {
			expect(binary.includes(real), real).toBe(true);
		}
	});
});
