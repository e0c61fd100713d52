// `natslab preflight` against a cluster natslab did not start: three real
// nats-server processes on their own loopback addresses (127.0.0.2, .3, .4),
// started by this test from its own config files, with a system account and a
// user account holding an R3 stream (and a durable consumer) and an R1 stream.
// One cluster per version, shared by that version's cases; every PID is killed
// in afterAll.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { binaryFor } from '../support/binaries.js';
import { addStreamWhenPlaced, publishToNewStream } from '../support/js-publish.js';
import { natslabCli, ROOT } from '../support/natslab-cli.js';
import { TEST_BASE_PORTS } from '../support/ports.js';
import { hasBinary, isDead, metaLeaderSeenBy, tempState, waitUntil } from './cluster-support.js';

const HOME = tempState('preflight');
const env = { ...process.env, NATSLAB_HOME: HOME };
const HOSTS = ['127.0.0.2', '127.0.0.3', '127.0.0.4'] as const;
const NAMES = ['n1', 'n2', 'n3'] as const;
const APP_USER = 'app';
const APP_PASSWORD = 'app-secret-pw';
const SYS_PASSWORD = 'sys-secret-pw';

interface Server {
	name: string;
	host: string;
	client: number;
	http: string;
	config: string;
	log: string;
	proc?: ChildProcess;
}

const children = new Set<ChildProcess>();
const connections: NatsConnection[] = [];

afterAll(async () => {
	await Promise.all(connections.map((nc) => nc.close().catch(() => {})));
	for (const child of children) {
		if (child.pid !== undefined && !isDead(child.pid)) child.kill('SIGKILL');
	}
	await waitUntil(
		() => [...children].every((c) => c.pid === undefined || isDead(c.pid)),
		'servers gone',
		20_000,
	);
});

function configOf(s: Server, all: Server[], base: number, dir: string, i: number): string {
	const routes = all
		.filter((o) => o !== s)
		.map((o) => `nats-route://${o.host}:${base + 2000 + all.indexOf(o)}`);
	return `server_name: ${s.name}
listen: ${s.host}:${s.client}
http: ${s.host}:${base + 4000 + i}
jetstream { store_dir: "${join(dir, s.name)}" }
cluster {
  name: pf
  listen: ${s.host}:${base + 2000 + i}
  routes: [${routes.join(', ')}]
}
accounts {
  SYS: { users: [{ user: sys, password: ${SYS_PASSWORD} }] }
  APP: { jetstream: enabled, users: [{ user: ${APP_USER}, password: ${APP_PASSWORD} }] }
}
system_account: SYS
`;
}

function start(s: Server, version: string): void {
	const out = openSync(s.log, 'a');
	const proc = spawn(binaryFor(version), ['-c', s.config], { stdio: ['ignore', out, out] });
	children.add(proc);
	s.proc = proc;
}

async function stop(s: Server): Promise<void> {
	const pid = s.proc?.pid;
	if (pid === undefined) return;
	s.proc?.kill('SIGKILL');
	await waitUntil(() => isDead(pid), `${s.name} (pid ${pid}) gone`, 20_000);
}

async function healthy(s: Server): Promise<boolean> {
	try {
		const res = await fetch(`${s.http}/healthz`);
		return res.status === 200;
	} catch {
		return false;
	}
}

/** Servers the leader's own meta group does not list as current members (as natslab's own readiness). */
async function outsideMetaGroup(leader: Server, servers: Server[]): Promise<Server[]> {
	try {
		const res = await fetch(`${leader.http}/jsz`, { signal: AbortSignal.timeout(2000) });
		const body = (await res.json()) as { meta_cluster?: { replicas?: { name: string; current: boolean }[] } };
		const members = body.meta_cluster?.replicas ?? [];
		return servers.filter((s) => s !== leader && !members.some((m) => m.name === s.name && m.current));
	} catch {
		return servers.filter((s) => s !== leader);
	}
}

/**
 * Healthy servers agreeing on a meta leader whose meta group holds them all: without every server in
 * it a new R5 stream finds "no suitable peers for placement". A 2.10 bootstrap can leave a server out
 * for good (src/cluster/readiness.ts, ~1 in 10): after 8 s it is restarted once, as natslab does.
 */
async function allReady(servers: Server[], versionOf: (i: number) => string): Promise<void> {
	const restartAt = Date.now() + 8000;
	let restarted = false;
	await waitUntil(
		async () => {
			const ok = await Promise.all(servers.map(healthy));
			const leaders = await Promise.all(servers.map((s) => metaLeaderSeenBy(s.http)));
			const leader = servers.find((s) => s.name === leaders[0]);
			if (!ok.every(Boolean) || !leader || !leaders.every((l) => l === leaders[0])) return false;
			const outside = await outsideMetaGroup(leader, servers);
			if (outside.length > 0 && !restarted && Date.now() > restartAt) {
				restarted = true;
				for (const s of outside) {
					await stop(s);
					start(s, versionOf(servers.indexOf(s)));
				}
			}
			return outside.length === 0;
		},
		'healthy servers agreeing on a meta leader whose meta group holds them all',
		60_000,
		200,
	);
}

/** Writes each server's config, starts them, waits until they agree on a meta leader; the app user's connection. */
async function startCluster(
	servers: Server[],
	base: number,
	dir: string,
	versionOf: (i: number) => string,
): Promise<NatsConnection> {
	mkdirSync(dir, { recursive: true });
	servers.forEach((s, i) => {
		writeFileSync(s.config, configOf(s, servers, base, dir, i));
		start(s, versionOf(i));
	});
	await allReady(servers, versionOf);
	const nc = await connect({
		servers: servers.map((s) => `nats://${s.host}:${s.client}`),
		user: APP_USER,
		pass: APP_PASSWORD,
	});
	connections.push(nc);
	return nc;
}

const preflight = (target: string, monitor: string, ...more: string[]) =>
	natslabCli(['preflight', target, '--monitor', monitor, ...more], env, 120_000);

const VERSIONS = ['2.10.27', '2.15.1', '2.9.10'] as const;

VERSIONS.forEach((version, v) => {
	describe
		.skipIf(!hasBinary(version))
		.sequential(`preflight on ${version} (servers started by the test)`, () => {
			const base = TEST_BASE_PORTS.preflight + v * 5;
			const dir = join(HOME, version);
			const servers: Server[] = NAMES.map((name, i) => ({
				name,
				host: HOSTS[i] as string,
				client: base + i,
				http: `http://${HOSTS[i]}:${base + 4000 + i}`,
				config: join(dir, `${name}.conf`),
				log: join(dir, `${name}.log`),
			}));
			const monitor = servers.map((s) => s.http).join(',');
			let r1Holder: Server;
			let follower: Server;
			let other: Server;

			// This version's servers go before the next version's start.
			afterAll(async () => {
				await Promise.all(servers.map(stop));
			});

			it('starts three servers and creates an R3 stream with a durable consumer and an R1 stream', async () => {
				const nc = await startCluster(servers, base, dir, () => version);
				const jsm = await jetstreamManager(nc, { timeout: 10_000 });
				await addStreamWhenPlaced(jsm, { name: 'ORDERS', subjects: ['orders.>'], num_replicas: 3 });
				await jsm.consumers.add('ORDERS', { durable_name: 'C1', ack_policy: AckPolicy.Explicit });
				const local = await jsm.streams.add({ name: 'LOCAL', subjects: ['local.>'], num_replicas: 1 });
				const js = jetstream(nc);
				for (let i = 0; i < 20; i++) await publishToNewStream(js, `orders.${i}`, `o${i}`);
				for (let i = 0; i < 5; i++) await publishToNewStream(js, `local.${i}`, `l${i}`);
				const holder = local.cluster?.leader;
				expect(NAMES).toContain(holder);
				r1Holder = servers.find((s) => s.name === holder) as Server;
				[follower, other] = servers.filter((s) => s !== r1Holder) as [Server, Server];
			}, 90_000);

			it('a server holding no sole replica is safe to take down (exit 0)', async () => {
				// Just-created replicas catch up within moments: --wait is the gate's own way to wait for that.
				const r = await preflight(follower.name, monitor, '--wait', '30s');
				expect(r.code, r.stdout + r.stderr).toBe(0);
				expect(r.stdout).toMatch(new RegExp(`^safe: ${follower.name} may be taken down now`));
				expect(r.stdout).toContain('it holds 1 stream and 1 consumer');
			}, 60_000);

			it('the server holding the R1 stream is not (exit 1, naming the stream); --json says the same', async () => {
				const r = await preflight(r1Holder.name, monitor);
				expect(r.code, r.stdout + r.stderr).toBe(1);
				expect(r.stdout).toContain(`stream APP > LOCAL: has its only replica on ${r1Holder.name} (R1)`);
				expect(r.stdout).not.toContain('ORDERS');
				const j = await preflight(r1Holder.http, monitor, '--json');
				expect(j.code).toBe(1);
				const body = JSON.parse(j.stdout) as {
					outcome: string;
					reasons: { asset: string }[];
					servers: unknown[];
				};
				expect(body.outcome).toBe('not-safe');
				expect(body.reasons.map((x) => x.asset)).toEqual(['stream APP > LOCAL']);
				expect(body.servers).toHaveLength(3);
				expect(j.stdout).not.toContain(APP_PASSWORD);
			}, 60_000);

			it(`with one server stopped, another member of the R3 stream is not safe (quorum)${version === '2.9.10' ? '' : '; --wait flips to safe when it is back'}`, async () => {
				await stop(follower);
				// The two left agree on a meta leader (a new one when the stopped server led).
				await waitUntil(
					async () => {
						const seen = await Promise.all([other, r1Holder].map((s) => metaLeaderSeenBy(s.http)));
						return seen[0] !== null && seen[0] !== follower.name && seen[0] === seen[1];
					},
					`${other.name} and ${r1Holder.name} agreeing on a meta leader without ${follower.name}`,
					30_000,
					200,
				);
				const r = await preflight(other.name, monitor);
				expect(r.code, r.stdout + r.stderr).toBe(1);
				// Quorum, whether or not the stream has elected a new leader yet (when the stopped server led it).
				expect(r.stdout).toMatch(
					/stream APP > ORDERS: (would keep 1 of 3 replicas current, needs 2|has no leader now)/,
				);
				expect(r.stdout).toContain('meta group: would keep 1 of 3 members current, needs 2');
				expect(r.stdout).toContain(`member ${follower.name} did not answer`);
				if (version === '2.9.10') {
					// Measured here (twice): on 2.9.10 the restarted server's replica of C1 stayed "not
					// current" (2, later 59 behind, growing with deliveries) and its own /healthz said
					// 503 "JetStream consumer 'APP > ORDERS > C1' is not current" for over 60 s, even
					// after C1 delivered and acked again. preflight rightly keeps saying not safe, so the
					// flip back is checked on 2.10.27 and 2.15.1 only.
					start(follower, version);
					return;
				}
				const waiting = execa(
					process.execPath,
					[
						'--import',
						'tsx',
						join(ROOT, 'src', 'cli.tsx'),
						'preflight',
						other.name,
						'--monitor',
						monitor,
						'--wait',
						'60s',
					],
					{ cwd: ROOT, env, reject: false, stdin: 'ignore', timeout: 120_000 },
				);
				// Start it again only once the waiting preflight has said why it waits.
				let said = '';
				waiting.stderr?.on('data', (chunk: Buffer) => {
					said += chunk.toString();
				});
				await waitUntil(
					() => said.includes('preflight: waiting (not safe:'),
					'the --wait run saying it waits',
					60_000,
					100,
				);
				start(follower, version);
				const w = await waiting;
				expect(w.exitCode, `${w.stdout}${w.stderr}`).toBe(0);
				expect(String(w.stdout)).toMatch(new RegExp(`^safe: ${other.name}`));
			}, 90_000);

			it('over NATS as the system user ($SYS pings): the same verdicts; a wrong password is exit 2, one line, never the password', async () => {
				const nats = ['--server', servers.map((s) => `nats://${s.host}:${s.client}`).join(',')];
				const sys = ['--user', 'sys', '--password', SYS_PASSWORD];
				const r1 = await natslabCli(['preflight', r1Holder.name, ...nats, ...sys], env);
				expect(r1.code, r1.stdout + r1.stderr).toBe(1);
				expect(r1.stdout).toContain(`stream APP > LOCAL: has its only replica on ${r1Holder.name} (R1)`);
				if (version !== '2.9.10') {
					const ok = await natslabCli(
						['preflight', other.name, ...nats, ...sys, '--json', '--wait', '30s'],
						env,
					);
					expect(ok.code, ok.stdout + ok.stderr).toBe(0);
					expect(JSON.parse(ok.stdout)).toMatchObject({ outcome: 'safe', target: other.name });
					expect(ok.stdout).not.toContain(SYS_PASSWORD);
				}
				const bad = await natslabCli(
					['preflight', other.name, ...nats, '--user', 'sys', '--password', 'wrong-pw-123'],
					env,
				);
				expect(bad.code).toBe(2);
				expect(bad.stdout.trim().split('\n')).toHaveLength(1);
				expect(bad.stdout).toMatch(/could not connect to nats:\/\/.*: .*[Aa]uthorization/);
				expect(bad.stdout + bad.stderr).not.toContain('wrong-pw-123');
			}, 90_000);

			it('an unreachable monitoring URL: exit 2 and one line', async () => {
				const url = `http://${HOSTS[0]}:${base + 4004}`;
				const r = await preflight(url, url);
				expect(r.code).toBe(2);
				expect(r.stdout.trim().split('\n')).toHaveLength(1);
				expect(r.stdout).toContain('connection refused');
				expect(r.stderr).toBe('');
			}, 30_000);
		});
});

// Five servers, mixed versions (n1-n3 2.15.1, n4-n5 2.10.27), two per address on .2 and .3: with one server
// down another may still go (meta and an R5 stream keep 3 of 5), with two down it may not.
const FIVE = ['2.15.1', '2.15.1', '2.15.1', '2.10.27', '2.10.27'] as const;
describe
	.skipIf(!FIVE.every(hasBinary))
	.sequential('preflight on five servers of mixed versions (2.15.1 and 2.10.27)', () => {
		const base = TEST_BASE_PORTS.preflight + 15;
		const dir = join(HOME, 'five');
		const servers: Server[] = FIVE.map((_, i) => ({
			name: `n${i + 1}`,
			host: HOSTS[i % 3] as string,
			client: base + i,
			http: `http://${HOSTS[i % 3]}:${base + 4000 + i}`,
			config: join(dir, `n${i + 1}.conf`),
			log: join(dir, `n${i + 1}.log`),
		}));
		const monitor = servers.map((s) => s.http).join(',');
		afterAll(async () => {
			await Promise.all(servers.map(stop));
		});

		it('one server down: another may still go (3 of 5 left); two down: not (meta group and R5 stream)', async () => {
			const nc = await startCluster(servers, base, dir, (i) => FIVE[i] as string);
			const jsm = await jetstreamManager(nc, { timeout: 10_000 });
			await addStreamWhenPlaced(jsm, { name: 'WIDE', subjects: ['wide.>'], num_replicas: 5 });
			for (let i = 0; i < 10; i++) await publishToNewStream(jetstream(nc), `wide.${i}`, `w${i}`);
			const [n1, n2, n3, n4, n5] = servers as [Server, Server, Server, Server, Server];
			const all = await preflight(n1.name, monitor, '--wait', '30s');
			expect(all.code, all.stdout + all.stderr).toBe(0);
			await stop(n5);
			const oneDown = await preflight(n4.name, monitor, '--wait', '30s');
			expect(oneDown.code, oneDown.stdout + oneDown.stderr).toBe(0);
			await stop(n3);
			// The three left agree on a meta leader (a new one when n3 or n5 led): the meta group has quorum.
			await waitUntil(
				async () => {
					const seen = await Promise.all([n1, n2, n4].map((s) => metaLeaderSeenBy(s.http)));
					return seen[0] != null && !['n3', 'n5'].includes(seen[0]) && seen.every((l) => l === seen[0]);
				},
				'n1, n2 and n4 agreeing on a meta leader',
				30_000,
				200,
			);
			const twoDown = await preflight(n2.name, monitor);
			expect(twoDown.code, twoDown.stdout + twoDown.stderr).toBe(1);
			expect(twoDown.stdout).toContain('meta group: would keep 2 of 5 members current, needs 3');
			expect(twoDown.stdout).toMatch(
				/stream APP > WIDE: (would keep 2 of 5 replicas current, needs 3|has no leader now)/,
			);
		}, 120_000);
	});
