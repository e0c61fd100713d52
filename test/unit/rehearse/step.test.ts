// The step tracker over the recorded rolling upgrade 2.9.10 → 2.10.27 (SIGTERM,
// followers first, meta leader last): what each step cost, from the real logs.
import { describe, expect, it } from 'vitest';
import { observeStep, startStep } from '../../../src/rehearse/step.js';
import { nextNode } from '../../../src/rehearse/upgrade-step.js';
import { replayUpgrade, UPGRADE } from './scenarios.js';

const iso = (s: string) => Date.parse(s);

describe('step tracker over the recorded 2.9.10 → 2.10.27 upgrade', () => {
	const run = replayUpgrade(1500);

	it('measures every step and ends with all three nodes on 2.10.27', () => {
		expect(run.steps.map((s) => s.node)).toEqual(['n1', 'n2', 'n3']);
		for (const [k, s] of run.steps.entries()) {
			const plan = UPGRADE.sigterms[k];
			expect(s.fromVersion).toBe('2.9.10');
			expect(s.actionAt).toBe(plan?.at);
			expect(s.spawnedAt).toBe(plan?.spawned);
			expect(s.newPid).toBe(plan?.spawnedPid);
			// 2.9.10 exits with code 1 on SIGTERM (docs/nats-behavior.md gotcha 8).
			expect(s.exit).toEqual({ code: 1, signal: null });
			expect(s.passedAt).not.toBeNull();
			expect(s.failure).toBeNull();
		}
		for (const n of ['n1', 'n2', 'n3']) expect(run.final.cluster.nodes[n]?.version).toBe('2.10.27');
	});

	it('records the 6 s without a stream leader when the 2.9.10 stream leader n2 stopped', () => {
		const n2 = run.steps[1];
		// SIGTERM 00:58:18.189, then on n3: `JetStream cluster new stream leader for '$G > ORDERS'` at 00:58:24.239572.
		expect(n2?.streamLeaderlessMs).toBe(iso('2026-11-26T00:58:24.239Z') - iso('2026-11-26T00:58:18.189Z'));
		expect(n2?.leaderChanges.streams).toBe(1);
		expect(n2?.metaLeaderlessMs).toBe(0);
		// The restarted node hears of the meta leader from its own log: `new metadata leader: n3/lab`.
		expect(n2?.metaLeaderAt).toBe(iso('2026-11-26T00:58:19.143680Z'));
	});

	it('upgrades the meta leader last and counts the hand-over it causes', () => {
		const n3 = run.steps[2];
		expect(n3?.wasMetaLeader).toBe(true);
		expect(run.steps[0]?.wasMetaLeader).toBe(false);
		expect(n3?.leaderChanges).toEqual({ meta: 1, streams: 1, consumers: 1 });
		// n2: `Self is new JetStream cluster metadata leader` at 00:58:26.350694, 23 ms after the SIGTERM.
		expect(n3?.metaLeaderlessMs).toBe(iso('2026-11-26T00:58:26.350Z') - iso('2026-11-26T00:58:26.327Z'));
		expect(run.final.cluster.meta.leader).toBe('n2');
	});

	it('does not take a stream snapshot from before the restart as evidence that the replica is current', () => {
		const n1 = UPGRADE.sigterms[0];
		if (!n1) throw new Error('no step');
		const before = run.states.filter((s) => s.now < n1.at).at(-1);
		const spawned = run.states.find((s) => s.cluster.nodes.n1?.pid === n1.spawnedPid);
		const seq = spawned?.cluster.streams.ORDERS?.lastSeq;
		// Right after the restart the state still carries the last snapshot, taken while the old n1 ran.
		const stale = run.states.find(
			(s) =>
				s.cluster.nodes.n1?.pid === n1.spawnedPid &&
				s.cluster.nodes.n1.process === 'up' &&
				s.cluster.streams.ORDERS?.lastSeq === seq &&
				s.cluster.streams.ORDERS?.replicas.find((r) => r.name === 'n1')?.current === true,
		);
		expect(before).toBeDefined();
		expect(stale).toBeDefined();
		if (!before || !stale) return;
		let p = startStep(before, {
			node: 'n1',
			toVersion: '2.10.27',
			signal: 'SIGTERM',
			actionAt: n1.at,
			streams: ['ORDERS'],
		});
		for (const s of run.states.filter((x) => x.now >= n1.at && x.now <= stale.now)) p = observeStep(p, s);
		expect(p.gates?.replicaCurrent).toBe(false);
		expect(p.gates?.missing.join()).toMatch(/no snapshot of ORDERS since the restart/);
		expect(run.steps[0]?.replicaCurrentAt).toBeGreaterThan(stale.now);
	});

	it('picks followers first and the current meta leader last, or the listed order', () => {
		const start = run.states.find((s) => s.now >= (UPGRADE.sigterms[0]?.at ?? 0) - 1000);
		expect(start?.cluster.meta.leader).toBe('n3');
		if (!start) return;
		expect(nextNode(start, ['n3', 'n1', 'n2'], 'followers-first')).toBe('n1');
		expect(nextNode(start, ['n3', 'n1', 'n2'], 'as-listed')).toBe('n3');
		expect(nextNode(start, ['n3'], 'followers-first')).toBe('n3');
		expect(nextNode(start, [], 'followers-first')).toBeNull();
	});
});
