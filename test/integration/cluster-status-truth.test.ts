// `natslab cluster status` tells the whole truth (issue #10): every stream's and
// consumer's leader, the replicas' current/lag, the meta group's size and
// quorum, on each sampled version; and `cluster node nX ldm` says the drain goes
// on, `--wait` waits for the exit, a `start` of a draining node is refused.
// One detached cluster per version (one at a time, in the same port block),
// driven in-process as in cluster-cli.test.ts, checked against nats.js.
import { readFileSync } from 'node:fs';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import { lameDuckSettings } from '../../src/cluster/lame-duck.js';
import { addStreamWhenPlaced, publishToNewStream } from '../support/js-publish.js';
import { TEST_BASE_PORTS } from '../support/ports.js';
import { clusterCli, freeBase, hasBinary, isDead, tempState, waitUntil } from './cluster-support.js';

const HOME = tempState('status-truth');
const env = { ...process.env, NATSLAB_HOME: HOME };

const run = clusterCli(env);

interface StatusJson {
	metaLeader: string | null;
	metaClusterSize: number | null;
	metaQuorumNeeded: number | null;
	streams: {
		stream: string;
		leader: string | null;
		viewFrom: string;
		messages: number;
		replicas: { name: string; current: boolean; lag: number; offline: boolean }[];
		consumers: { name: string; leader: string | null }[];
	}[];
	nodes: { name: string; pid: number | null; jsz?: { quorumNeeded: number | null; clusterSize: number } }[];
}
interface NodeJson {
	running: boolean;
	lameDuckExit?: { pid: number; exitedAfterMs: number; lastLogLine: string | null };
}

const pids = new Set<number>();
const connections: NatsConnection[] = [];
afterAll(async () => {
	await Promise.all(connections.map((nc) => nc.close().catch(() => {})));
	for (const version of ['2.9.10', '2.10.27', '2.15.1']) await run('down', '--purge', '--workspace', version);
	for (const pid of pids) if (!isDead(pid)) process.kill(pid, 'SIGKILL');
});

for (const version of ['2.9.10', '2.10.27', '2.15.1']) {
	describe.skipIf(!hasBinary(version)).sequential(`cluster status and ldm on ${version}`, () => {
		const ws = ['--workspace', version];
		let servers: string[] = [];
		let n3Config = '';

		it('status --json names the stream and consumer leaders, current replicas and quorum 2 of 3', async () => {
			const base = await freeBase(TEST_BASE_PORTS.clusterStatusTruth);
			const up = await run('up', '--json', '--version', version, '--base-port', String(base), ...ws);
			expect(up.code, up.err).toBe(0);
			const started = JSON.parse(up.out) as {
				nodes: { pid: number; clientUrl: string; configFile: string }[];
			};
			n3Config = started.nodes[2]?.configFile ?? '';
			for (const n of started.nodes) pids.add(n.pid);
			servers = started.nodes.map((n) => n.clientUrl);
			const nc = await connect({ servers });
			connections.push(nc);
			const jsm = await jetstreamManager(nc);
			await addStreamWhenPlaced(jsm, { name: 'TRUTH', subjects: ['truth.>'], num_replicas: 3 });
			await jsm.consumers.add('TRUTH', { durable_name: 'C1', ack_policy: 'explicit' });
			const js = jsm.jetstream();
			for (let i = 0; i < 5; i++) await publishToNewStream(js, 'truth.x', `m${i}`);

			// The replicas catch up within moments of the acks: wait for the leader's view to say so.
			const status = await waitUntil(async () => {
				const r = await run('status', '--json', ...ws);
				const s = JSON.parse(r.out) as StatusJson;
				const st = s.streams.find((x) => x.stream === 'TRUTH');
				return st?.leader && st.replicas.length === 3 && st.replicas.every((x) => x.current) ? s : null;
			}, `a TRUTH stream with three current replicas in status --json on ${version}`);
			const info = await jsm.streams.info('TRUTH');
			const consumer = await jsm.consumers.info('TRUTH', 'C1');
			const st = status.streams.find((x) => x.stream === 'TRUTH');
			expect(st?.leader).toBe(info.cluster?.leader);
			expect(st?.viewFrom).toBe(st?.leader);
			expect(st?.messages).toBe(5);
			expect(st?.replicas.map((r) => r.name).sort()).toEqual(['n1', 'n2', 'n3']);
			expect(st?.replicas.every((r) => r.lag === 0 && !r.offline)).toBe(true);
			expect(st?.consumers).toEqual([{ name: 'C1', leader: consumer.cluster?.leader }]);
			expect(status.metaLeader).toMatch(/^n[123]$/);
			expect(status.metaClusterSize).toBe(3);
			expect(status.metaQuorumNeeded).toBe(2);
			for (const n of status.nodes) expect(n.jsz?.quorumNeeded).toBe(2);

			const text = await run('status', ...ws);
			expect(text.out).toContain('meta group of 3 (quorum needed 2)');
			expect(text.out).toContain(`stream TRUTH: leader ${info.cluster?.leader}, replicas `);
			expect(text.out).toContain(`consumer C1: leader ${consumer.cluster?.leader}`);
		});

		it('ldm returns while the node drains, a start then is refused, start --wait starts it after the exit', async () => {
			// A client on n2 keeps it draining for at least the grace period (§7b).
			const client = await connect({ servers: servers[1] ?? '' });
			connections.push(client);
			const ldm = await run('node', 'n2', 'ldm', ...ws);
			expect(ldm.code, ldm.err).toBe(0);
			expect(ldm.out).toMatch(/^n2 \(pid \d+\) is in lame duck mode and still draining: .*--wait/);
			expect(ldm.out.trim().split('\n')).toHaveLength(1);
			const early = await run('node', 'n2', 'start', ...ws);
			expect(early.code).toBe(1);
			expect(early.err).toMatch(/^natslab: n2 is still draining in lame duck mode \(pid \d+\).*--wait/);
			const later = await run('node', 'n2', 'start', '--wait', ...ws);
			expect(later.code, later.err).toBe(0);
			expect(later.out).toMatch(
				/^n2 \(pid \d+\) exited [\d.]+ s after the wait began \(its last log line: .*Server Exiting/,
			);
			expect(later.out).toMatch(/\nn2 started \(pid \d+\)\n$/);
		});

		it('ldm --wait returns once the process exited, no sooner than the configured grace period', async () => {
			const client = await connect({ servers: servers[2] ?? '' });
			connections.push(client);
			const r = await run('node', 'n3', 'ldm', '--wait', '--json', ...ws);
			expect(r.code, r.err).toBe(0);
			const node = JSON.parse(r.out) as NodeJson;
			const exit = node.lameDuckExit;
			expect(exit).toBeDefined();
			expect(isDead(exit?.pid ?? 0)).toBe(true);
			expect(node.running).toBe(false);
			expect(exit?.lastLogLine).toContain('Server Exiting');
			// With a client connected the server closes it only after the grace period natslab configures.
			const { grace, graceMs } = lameDuckSettings();
			expect(graceMs).toBe(3000);
			expect(readFileSync(n3Config, 'utf8')).toContain(`lame_duck_grace_period: "${grace}"`);
			expect(exit?.exitedAfterMs).toBeGreaterThanOrEqual(graceMs);
			console.log(
				`[status-truth] ${version}: n3 exited ${exit?.exitedAfterMs} ms after the lame duck signal`,
			);
		});
	});
}
