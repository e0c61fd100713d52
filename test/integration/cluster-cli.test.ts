// `natslab cluster up|status|node|down` in-process, against real servers that
// stay up between commands (detached), checked through /jsz, /varz and /proc.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processState } from '../../src/cluster/process-info.js';
import { TEST_BASE_PORTS } from '../support/ports.js';
import { clusterCli, freeBase, isDead, metaLeaderSeenBy, tempState, varzVersion } from './cluster-support.js';

let BASE: number = TEST_BASE_PORTS.clusterCli;
const HOME = tempState('cli');
const env = { ...process.env, NATSLAB_HOME: HOME };

const run = clusterCli(env);

interface UpJson {
	metaLeader: string;
	version: string;
	servers: string;
	nodes: { name: string; pid: number; clientUrl: string; httpUrl: string; ports: { client: number } }[];
}

const seenPids = new Set<number>();
afterAll(async () => {
	await run('down', '--purge');
	for (const pid of seenPids) if (!isDead(pid)) process.kill(pid, 'SIGKILL');
});

describe('natslab cluster (CLI)', () => {
	let up: UpJson;

	it('up --json starts a cluster that agrees on a meta leader and keeps running', async () => {
		BASE = await freeBase(TEST_BASE_PORTS.clusterCli);
		const r = await run('up', '--json', '--version', '2.9.10', '--base-port', String(BASE));
		expect(r.err).toBe('');
		expect(r.code).toBe(0);
		up = JSON.parse(r.out) as UpJson;
		expect(up.version).toBe('2.9.10');
		expect(up.servers).toBe(
			`nats://127.0.0.1:${BASE},nats://127.0.0.1:${BASE + 1},nats://127.0.0.1:${BASE + 2}`,
		);
		for (const n of up.nodes) {
			seenPids.add(n.pid);
			expect(processState(n.pid)).toBe('running');
			expect(await metaLeaderSeenBy(n.httpUrl)).toBe(up.metaLeader);
		}
		expect(existsSync(join(HOME, 'state', 'clusters', 'default', 'run.json'))).toBe(true);
	});

	it('refuses a second up, unknown nodes and operations, with one line and a non-zero exit', async () => {
		const again = await run('up', '--base-port', String(BASE + 10));
		expect(again.code).toBe(1);
		expect(again.err).toBe(
			'natslab: a cluster is already up in workspace default: stop it with `natslab cluster down` first\n',
		);
		const unknown = await run('node', 'n7', 'restart');
		expect(unknown).toEqual({ code: 1, out: '', err: 'natslab: unknown node n7 (nodes: n1, n2, n3)\n' });
		const badOp = await run('node', 'n2', 'explode');
		expect(badOp.code).toBe(2);
		expect(badOp.err.split('\n')).toHaveLength(2); // one line + final newline
		expect((await run('node', 'n2', 'upgrade')).err).toContain('upgrade needs --to V');
	});

	it('status --json reports every node running with live /jsz and /healthz', async () => {
		const r = await run('status', '--json');
		expect(r.code).toBe(0);
		const s = JSON.parse(r.out) as {
			metaLeader: string;
			nodes: {
				name: string;
				pid: number;
				running: boolean;
				jsz: { metaLeader: string };
				healthz: { status: number };
			}[];
		};
		expect(s.metaLeader).toBe(up.metaLeader);
		expect(s.nodes.map((n) => [n.name, n.pid, n.running])).toEqual(
			up.nodes.map((n) => [n.name, n.pid, true]),
		);
		for (const n of s.nodes) expect(n.jsz.metaLeader).toBe(up.metaLeader);
		const text = await run('status');
		expect(text.out).toMatch(/^cluster "lab" \(workspace default\): JetStream meta leader n\d/);
	});

	it('node n2 restart replaces the process; upgrade switches its version', async () => {
		const old = up.nodes.find((n) => n.name === 'n2') as UpJson['nodes'][number];
		const r = await run('node', 'n2', 'restart');
		expect(r.code).toBe(0);
		const pid = Number(/^n2 restarted \(pid (\d+)\)\n$/.exec(r.out)?.[1]);
		seenPids.add(pid);
		expect(pid).not.toBe(old.pid);
		expect(isDead(old.pid)).toBe(true);
		expect(processState(pid)).toBe('running');

		const u = await run('node', 'n2', 'upgrade', '--to', '2.10.27');
		expect(u.err).toBe('natslab: n2: nats-server 2.9.10 → 2.10.27\n');
		expect(u.code).toBe(0);
		expect(u.out).toMatch(/^n2 now runs nats-server 2\.10\.27 \(pid \d+\)\n$/);
		seenPids.add(Number(/pid (\d+)/.exec(u.out)?.[1]));
		expect(await varzVersion(old.httpUrl)).toBe('2.10.27');
	});

	it('down stops everything; afterwards there is no cluster', async () => {
		const r = await run('down');
		expect(r).toEqual({ code: 0, out: 'cluster down: stopped n1, n2, n3\n', err: '' });
		for (const pid of seenPids) expect(isDead(pid), `pid ${pid}`).toBe(true);
		const again = await run('down');
		expect(again).toEqual({ code: 1, out: '', err: 'natslab: no cluster is up in workspace default\n' });
		expect((await run('status')).err).toBe(
			'natslab: no cluster is up in workspace default (start one with `natslab cluster up`)\n',
		);
	});

	it('prints help for every command', async () => {
		for (const cmd of [
			['--help'],
			['up', '--help'],
			['status', '-h'],
			['node', '--help'],
			['down', '--help'],
		]) {
			const r = await run(...cmd);
			expect(r.code).toBe(0);
			expect(r.out).toMatch(/^Usage: natslab cluster/);
		}
		expect((await run()).code).toBe(2);
		expect((await run('up', '--bogus')).err).toMatch(
			/^natslab: cluster up: unknown option '--bogus' \(see natslab cluster up --help\)/,
		);
	});
});
