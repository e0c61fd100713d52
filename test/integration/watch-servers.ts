// Clusters natslab did not start, for the watch test: real nats-server
// processes on their own loopback addresses (127.0.0.5, .6, …), each from a
// config file the test writes, with a system account (user `sys`) and a user
// account with JetStream (user `app`). Every PID is killed by `stopAll`.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binaryFor } from '../support/binaries.js';
import { isDead, metaLeaderSeenBy, waitUntil } from './cluster-support.js';

export const SYS_PASSWORD = 'sys-pw-never-shown-9f3c';
export const APP_PASSWORD = 'app-pw-7d1e';

export interface TestServer {
	name: string;
	host: string;
	version: string;
	client: number;
	route: number;
	http: string;
	config: string;
	proc?: ChildProcess;
	/** SIGTERMed by the test. */
	stopped?: boolean;
}

const running = new Set<ChildProcess>();

/** Servers `w1…` on 127.0.0.5… with client base+i, routes base+2000+i, monitoring base+4000+i. */
export function planServers(versions: readonly string[], base: number, dir: string): TestServer[] {
	mkdirSync(dir, { recursive: true });
	return versions.map((version, i) => {
		const host = `127.0.0.${5 + i}`;
		return {
			name: `w${i + 1}`,
			host,
			version,
			client: base + i,
			route: base + 2000 + i,
			http: `http://${host}:${base + 4000 + i}`,
			config: join(dir, `w${i + 1}.conf`),
		};
	});
}

export function startServer(s: TestServer, all: TestServer[], dir: string): void {
	const routes = all.filter((o) => o !== s).map((o) => `nats-route://${o.host}:${o.route}`);
	writeFileSync(
		s.config,
		`server_name: ${s.name}
listen: ${s.host}:${s.client}
http: ${s.http.replace('http://', '')}
jetstream { store_dir: "${join(dir, s.name)}" }
cluster { name: watched, listen: ${s.host}:${s.route}, routes: [${routes.join(', ')}] }
accounts {
  SYS: { users: [{ user: sys, password: ${SYS_PASSWORD} }] }
  APP: { jetstream: enabled, users: [{ user: app, password: ${APP_PASSWORD} }] }
}
system_account: SYS
`,
	);
	const out = openSync(join(dir, `${s.name}.log`), 'a');
	const proc = spawn(binaryFor(s.version), ['-c', s.config], { stdio: ['ignore', out, out] });
	running.add(proc);
	s.proc = proc;
	s.stopped = false;
}

/**
 * Every server answers /healthz 200 and all name one meta leader whose meta group lists them all
 * current. A bootstrap can leave servers out for good (src/cluster/readiness.ts; a mixed 2.9.10
 * cluster more often): after 10 s those (all of them when there is no leader) are restarted once,
 * as natslab's own readiness does.
 */
export async function clusterReady(servers: TestServer[], dir: string, timeoutMs = 60_000): Promise<string> {
	const restartAt = Date.now() + 10_000;
	let restarted = false;
	return waitUntil(
		async () => {
			const leaders = await Promise.all(servers.map((s) => metaLeaderSeenBy(s.http).catch(() => null)));
			const leader = servers.find((s) => s.name === leaders[0] && leaders.every((l) => l === s.name));
			const members = leader ? await currentMembers(leader) : [];
			const outside = servers.filter((s) => s !== leader && !members.includes(s.name));
			if (leader && outside.length === 0) {
				const health = await Promise.all(
					servers.map((s) =>
						fetch(`${s.http}/healthz`).then(
							(r) => r.status === 200,
							() => false,
						),
					),
				);
				return health.every(Boolean) ? leader.name : null;
			}
			if (!restarted && Date.now() > restartAt) {
				restarted = true;
				for (const s of outside) {
					await sigkill(s);
					startServer(s, servers, dir);
				}
			}
			return null;
		},
		'servers agreeing on a meta leader whose meta group holds them all',
		timeoutMs,
		200,
	);
}

async function currentMembers(leader: TestServer): Promise<string[]> {
	try {
		const res = await fetch(`${leader.http}/jsz`, { signal: AbortSignal.timeout(2000) });
		const j = (await res.json()) as { meta_cluster?: { replicas?: { name: string; current: boolean }[] } };
		return (j.meta_cluster?.replicas ?? []).filter((r) => r.current).map((r) => r.name);
	} catch {
		return [];
	}
}

async function sigkill(s: TestServer): Promise<void> {
	const pid = s.proc?.pid;
	if (pid === undefined) return;
	s.proc?.kill('SIGKILL');
	await waitUntil(() => isDead(pid), `${s.name} (pid ${pid}) gone`, 30_000);
}

export async function sigterm(s: TestServer): Promise<void> {
	const pid = s.proc?.pid;
	if (pid === undefined) return;
	s.proc?.kill('SIGTERM');
	s.stopped = true;
	await waitUntil(() => isDead(pid), `${s.name} (pid ${pid}) gone`, 30_000);
}

export async function stopAll(): Promise<void> {
	for (const p of running) if (p.pid !== undefined && !isDead(p.pid)) p.kill('SIGKILL');
	await waitUntil(
		() => [...running].every((p) => p.pid === undefined || isDead(p.pid)),
		'test servers gone',
		20_000,
	);
}

/** `cluster.leader` of a stream in a server's /jsz (its own view), undefined when it does not hold it. */
export async function streamLeaderSeenBy(http: string, stream: string): Promise<string | null | undefined> {
	const res = await fetch(`${http}/jsz?accounts=true&streams=true`, { signal: AbortSignal.timeout(2000) });
	const j = (await res.json()) as {
		account_details?: { stream_detail?: { name: string; cluster?: { leader?: string } }[] }[];
	};
	for (const a of j.account_details ?? [])
		for (const s of a.stream_detail ?? []) if (s.name === stream) return s.cluster?.leader ?? null;
	return undefined;
}
