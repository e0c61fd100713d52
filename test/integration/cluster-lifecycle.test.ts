// A real three-node cluster per version: formation, follower restart, meta
// leader SIGTERM and SIGKILL, upgrade on the same store, and a down that
// leaves nothing running.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareVersions } from '../../src/base/versions.js';
import { Cluster } from '../../src/cluster/cluster.js';
import { isPortFree } from '../../src/cluster/ports.js';
import { processStartTime } from '../../src/cluster/process-info.js';
import { readRunFile } from '../../src/cluster/run-file.js';
import { TEST_VERSIONS } from '../support/binaries.js';
import { TEST_BASE_PORTS } from '../support/ports.js';
import {
	asyncBinaryFor,
	EventLog,
	isDead,
	metaLeaderSeenBy,
	readLog,
	routePeerIds,
	tempState,
	varzVersion,
	waitForLog,
	waitUntil,
} from './cluster-support.js';

describe.each(TEST_VERSIONS.map((v, i) => [v, TEST_BASE_PORTS.clusterLifecycle + 10 * i] as const))(
	'cluster lifecycle on nats-server %s',
	(version, basePort) => {
		const log = new EventLog();
		let cluster: Cluster;
		const everyPid = new Set<number>();
		const remember = () => {
			for (const n of cluster.nodes) {
				const pid = cluster.pidOf(n);
				if (pid !== null) everyPid.add(pid);
			}
		};

		beforeAll(async () => {
			cluster = await Cluster.open({
				version,
				binaryFor: asyncBinaryFor,
				stateDir: tempState('lifecycle'),
				// Searched from the file's block (see freeBase): exact ports do not matter here.
				defaultBasePort: basePort,
				onEvent: log.onEvent,
				onNotice: log.onNotice,
			});
			await cluster.startAll();
			remember();
		});
		afterAll(async () => {
			await cluster?.down({ purge: true });
		});

		it('forms a full route mesh with one agreed JetStream meta leader', async () => {
			const leader = await cluster.waitForReady(30_000);
			expect(cluster.nodes).toContain(leader);
			for (const n of cluster.nodes) {
				expect(await metaLeaderSeenBy(cluster.httpUrl(n))).toBe(leader);
				await waitUntil(
					async () => (await routePeerIds(cluster.httpUrl(n))).size === 2,
					`${n} routed to 2 peers`,
				);
				const text = readLog(cluster.logFile(n));
				expect(text).toContain(`Listening for client connections on 127.0.0.1:${cluster.ports(n).client}`);
				expect(text).toContain(`Listening for route connections on 127.0.0.1:${cluster.ports(n).cluster}`);
				expect(text).toContain('Server is ready');
				expect(readFileSync(cluster.configFile(n), 'utf8')).toContain(`server_name: ${n}`);
			}
		});

		it('records each server in run.json with its PID, /proc start time, version, ports and owner', () => {
			const run = readRunFile(cluster.runFile);
			if (run === null || run === 'invalid') throw new Error('run.json missing or invalid');
			expect(run.owner?.pid).toBe(process.pid);
			expect(run.owner?.startTime).toBe(processStartTime(process.pid));
			for (const n of cluster.nodes) {
				const pid = cluster.pidOf(n) as number;
				expect(run.nodes[n]).toEqual({
					version,
					ports: cluster.ports(n),
					pid,
					startTime: processStartTime(pid),
				});
				// The newest spawn: waitForReady restarts a node that a 2.10 bootstrap left out of the
				// meta group, so a node may have been spawned twice.
				expect(log.of(n, 'spawned').at(-1)).toEqual(expect.objectContaining({ pid, version }));
			}
		});

		it('restarts a follower: new process, log appended, same meta leader agreed again', async () => {
			const leader = await cluster.waitForMetaLeader(30_000);
			const follower = cluster.nodes.find((n) => n !== leader) as string;
			const oldPid = cluster.pidOf(follower) as number;
			await cluster.restart(follower);
			remember();
			const newPid = cluster.pidOf(follower) as number;
			expect(newPid).not.toBe(oldPid);
			expect(isDead(oldPid)).toBe(true);
			const exit = await log.exitOf(oldPid);
			expect(exit.signal).toBeNull(); // it shut down on SIGTERM by itself
			expect(log.of(follower, 'signalled')).toContainEqual(
				expect.objectContaining({ pid: oldPid, signal: 'SIGTERM' }),
			);
			const text = readLog(cluster.logFile(follower));
			expect(text).toContain(`[${oldPid}] `);
			expect(text).toMatch(new RegExp(`\\[${oldPid}\\] .*Server Exiting`));
			expect(text).toContain(`[${newPid}] `);
			expect(await cluster.waitForMetaLeader(30_000)).toBe(leader);
		});

		it('hands meta leadership over when the leader gets SIGTERM', async () => {
			const leader = await cluster.waitForMetaLeader(30_000);
			const pid = cluster.pidOf(leader) as number;
			const t0 = performance.now();
			await cluster.stop(leader);
			expect(isDead(pid)).toBe(true);
			const next = await cluster.waitForMetaLeader(30_000);
			const ms = Math.round(performance.now() - t0);
			expect(next).not.toBe(leader);
			console.log(
				`[${version}] meta leader ${leader} SIGTERM → ${next} agreed by survivors' /jsz after ${ms} ms`,
			);
			const survivorLog = cluster.logFile(next);
			await waitForLog(survivorLog, /Self is new JetStream cluster metadata leader/);
			await cluster.start(leader);
			remember();
			expect(await cluster.waitForMetaLeader(30_000)).toBe(next); // no automatic fail-back
		});

		it('elects a new meta leader within seconds when the leader gets SIGKILL', async () => {
			const leader = await cluster.waitForMetaLeader(30_000);
			const pid = cluster.pidOf(leader) as number;
			const t0 = performance.now();
			await cluster.kill(leader);
			expect((await log.exitOf(pid)).signal).toBe('SIGKILL');
			const next = await cluster.waitForMetaLeader(30_000);
			const ms = Math.round(performance.now() - t0);
			expect(next).not.toBe(leader);
			console.log(`[${version}] meta leader ${leader} SIGKILL → ${next} elected after ${ms} ms`);
			// The killed server wrote nothing more: its last line is from before the kill.
			expect(readLog(cluster.logFile(leader))).not.toMatch(new RegExp(`\\[${pid}\\] .*Server Exiting`));
			await cluster.start(leader);
			remember();
			await cluster.waitForMetaLeader(30_000);
		});

		// Upgrading needs an older version to start from: the 2.9.10 cluster goes to 2.10.27.
		const upgradeTarget = TEST_VERSIONS.find((v) => compareVersions(v, version) > 0);
		if (upgradeTarget)
			it(`upgrades a node to ${upgradeTarget} on the same store and config path`, async () => {
				const node = 'n3';
				const oldPid = cluster.pidOf(node) as number;
				await cluster.upgrade(node, upgradeTarget);
				remember();
				expect(isDead(oldPid)).toBe(true);
				expect(cluster.versionOf(node)).toBe(upgradeTarget);
				expect(await varzVersion(cluster.httpUrl(node))).toBe(upgradeTarget);
				expect(readFileSync(cluster.configFile(node), 'utf8')).toContain(`for nats-server ${upgradeTarget}`);
				// Same JetStream store: the upgraded server recovers state instead of bootstrapping.
				await waitForLog(
					cluster.logFile(node),
					new RegExp(`\\[${cluster.pidOf(node)}\\] .*JetStream cluster recovering state`),
				);
				expect(readRunFile(cluster.runFile)).toMatchObject({ nodes: { n3: { version: upgradeTarget } } });
				await cluster.waitForMetaLeader(30_000);
			});

		it('down stops every server it ever ran and leaves nothing behind', async () => {
			remember();
			expect(everyPid.size).toBeGreaterThanOrEqual(5);
			await cluster.down();
			for (const pid of everyPid) expect(isDead(pid), `pid ${pid}`).toBe(true);
			for (const n of cluster.nodes) {
				expect(cluster.isRunning(n)).toBe(false);
				for (const port of Object.values(cluster.ports(n))) expect(await isPortFree(port)).toBe(true);
			}
			expect(existsSync(cluster.runFile)).toBe(false);
			await expect(cluster.start('n1')).rejects.toThrow(/is down/);
		});
	},
);
