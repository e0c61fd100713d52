// Failure scenarios on a real cluster per version: quorum loss and regain,
// lame duck mode, and a hung (SIGSTOPped) meta leader.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../src/cluster/cluster.js';
import { processState } from '../../src/cluster/process-info.js';
import { TEST_VERSIONS } from '../support/binaries.js';
import { TEST_BASE_PORTS } from '../support/ports.js';
import {
	asyncBinaryFor,
	EventLog,
	isDead,
	metaLeaderSeenBy,
	readLog,
	tempState,
	waitForLog,
	waitForMetaLeaderOrNamedStall,
	waitUntil,
} from './cluster-support.js';

describe.each(TEST_VERSIONS.map((v, i) => [v, TEST_BASE_PORTS.clusterFailures + 10 * i] as const))(
	'cluster failures on nats-server %s',
	(version, basePort) => {
		const log = new EventLog();
		let cluster: Cluster;

		beforeAll(async () => {
			cluster = await Cluster.open({
				version,
				binaryFor: asyncBinaryFor,
				stateDir: tempState('failures'),
				// Searched from the file's block (see freeBase): exact ports do not matter here.
				defaultBasePort: basePort,
				onEvent: log.onEvent,
				onNotice: log.onNotice,
			});
			await cluster.startAll();
			// Ready = every node in the meta group: a 2.10 bootstrap can leave one out (about 1 in
			// 10 here), and then stopping the two members leaves no quorum to regain.
			await cluster.waitForReady(30_000);
		});
		afterAll(async () => {
			await cluster?.down({ purge: true });
		});

		it('loses the meta leader with two of three stopped, and regains it when one returns', async () => {
			const leader = await cluster.waitForMetaLeader(30_000);
			const [survivor, other] = cluster.nodes.filter((n) => n !== leader) as [string, string];
			await cluster.stop(other);
			await cluster.stop(leader);
			// The survivor alone is no quorum: its /jsz stops naming a leader.
			await waitUntil(
				async () => (await metaLeaderSeenBy(cluster.httpUrl(survivor))) === null,
				`${survivor} without a meta leader`,
				40_000,
			);
			expect(cluster.isRunning(survivor)).toBe(true);
			const t0 = performance.now();
			await cluster.start(leader);
			const regained = await waitForMetaLeaderOrNamedStall(cluster, {
				members: [survivor, leader],
				remedy: leader,
				timeoutMs: 40_000,
				label: version,
			});
			console.log(
				`[${version}] quorum regained (${survivor}+${leader}): meta leader ${regained} after ${Math.round(performance.now() - t0)} ms`,
			);
			expect([survivor, leader]).toContain(regained);
			await cluster.start(other);
			await waitForMetaLeaderOrNamedStall(cluster, {
				members: cluster.nodes,
				remedy: other,
				timeoutMs: 30_000,
				label: version,
			});
		});

		it('lame duck: logs it, hands the meta leadership over, exits with code 0', async () => {
			const leader = await cluster.waitForMetaLeader(30_000);
			const pid = cluster.pidOf(leader) as number;
			const others = cluster.nodes.filter((n) => n !== leader);
			const t0 = performance.now();
			await cluster.ldm(leader);
			expect(log.of(leader, 'signalled')).toContainEqual(expect.objectContaining({ pid, signal: 'ldm' }));
			await waitForLog(
				cluster.logFile(leader),
				new RegExp(`\\[${pid}\\] .*Entering lame duck mode, stop accepting new clients`),
			);
			const moved = await waitUntil(async () => {
				const seen = await Promise.all(others.map((n) => metaLeaderSeenBy(cluster.httpUrl(n))));
				const first = seen[0];
				return first && first !== leader && seen.every((l) => l === first) ? first : null;
			}, 'meta leadership moved off the lame duck');
			const movedMs = Math.round(performance.now() - t0);
			const exit = await log.exitOf(pid);
			console.log(
				`[${version}] lame duck ${leader}: leader → ${moved} after ${movedMs} ms, exit ${exit.code} after ${Math.round(performance.now() - t0)} ms`,
			);
			expect(exit).toMatchObject({ code: 0, signal: null });
			expect(isDead(pid)).toBe(true);
			await cluster.start(leader);
			await cluster.waitForMetaLeader(30_000);
		});

		it('SIGSTOP: the leaders move while the frozen process stays alive; SIGCONT brings it back', async () => {
			const leader = await cluster.waitForMetaLeader(30_000);
			const pid = cluster.pidOf(leader) as number;
			const t0 = performance.now();
			await cluster.pause(leader);
			expect(processState(pid)).toBe('paused');
			expect(cluster.isPaused(leader)).toBe(true);
			// waitForMetaLeader asks only the unpaused nodes, and wants a leader among them. Under load
			// the two survivors have been seen to split their vote and elect none (no-meta-election).
			const survivors = cluster.nodes.filter((n) => n !== leader);
			const next = await waitForMetaLeaderOrNamedStall(cluster, {
				members: survivors,
				remedy: survivors[0] as string,
				timeoutMs: 40_000,
				label: version,
			});
			console.log(
				`[${version}] ${leader} paused: new meta leader ${next} after ${Math.round(performance.now() - t0)} ms`,
			);
			expect(next).not.toBe(leader);
			expect(processState(pid)).toBe('paused');
			expect(cluster.pidOf(leader)).toBe(pid);
			await cluster.resume(leader);
			expect(processState(pid)).not.toBe('paused');
			// Every node, the resumed one included, agrees on one leader again; the frozen process was not replaced.
			const agreed = await waitForMetaLeaderOrNamedStall(cluster, {
				members: cluster.nodes,
				remedy: survivors[0] as string,
				timeoutMs: 40_000,
				label: version,
			});
			expect(await metaLeaderSeenBy(cluster.httpUrl(leader))).toBe(agreed);
			expect(cluster.pidOf(leader)).toBe(pid);
			expect(log.of(leader, 'signalled').map((e) => (e.type === 'signalled' ? e.signal : null))).toEqual(
				expect.arrayContaining(['SIGSTOP', 'SIGCONT']),
			);
			expect(readLog(cluster.logFile(leader))).toContain(`[${pid}] `);
		});

		it('stop on a paused node still ends it (SIGTERM, then SIGCONT)', async () => {
			const node = cluster.nodes[0] as string;
			const pid = cluster.pidOf(node) as number;
			await cluster.pause(node);
			await cluster.stop(node);
			expect(isDead(pid)).toBe(true);
			expect((await log.exitOf(pid)).signal).toBeNull();
			await cluster.start(node);
			await cluster.waitForMetaLeader(30_000);
		});
	},
);
