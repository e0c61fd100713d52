// The help of the commands that start or show a cluster says what is true with
// --nodes 5 too (review B #8): node keys 1-5, nodes n1..n5, client ports B..B+4.

import { describe, expect, it } from 'vitest';
import { CLUSTER } from '../../../src/commands/cluster-spec.js';
import { REPLAY_HELP } from '../../../src/commands/replay.js';
import { SANDBOX_HELP } from '../../../src/commands/sandbox.js';

describe('help with --nodes 5', () => {
	it('sandbox: a 3- or 5-node cluster, keys 1-5 with --nodes 5', () => {
		expect(SANDBOX_HELP).not.toMatch(/3-node cluster/);
		expect(SANDBOX_HELP).toMatch(/1-5 with --nodes 5/);
	});

	it('cluster: node n1..n5, client ports up to B+4', () => {
		expect(CLUSTER.help).not.toMatch(/n1\|n2\|n3/);
		expect(CLUSTER.help).toMatch(/node <n1\.\.n5>/);
		expect(CLUSTER.commands.up.head).toMatch(/B\.\.B\+4 with --nodes 5/);
	});

	it('replay: node keys 1-5 on a 5-node recording', () => {
		expect(REPLAY_HELP).toMatch(/1-5 on 5 nodes/);
	});
});
