// The course's regression test: `natslab learn --all --auto` against real
// nats-server binaries, in-process. Every lesson must pass, the measurements
// must be what real servers do (nats-behavior.md), and nothing may be left
// running afterwards.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { learnCommand } from '../../src/commands/learn.js';
import type { AutoReport } from '../../src/lessons/auto.js';
import type { ScreenIo } from '../../src/ui/run.js';
import { binaryDir, TEST_VERSIONS } from '../support/binaries.js';
import { TEST_BASE_PORTS } from '../support/ports.js';

const BASE = TEST_BASE_PORTS.lessons;
const home = mkdtempSync(join(tmpdir(), 'natslab-lessons-auto-'));
const servers = join(home, 'cache', 'servers');
mkdirSync(servers, { recursive: true });
for (const v of TEST_VERSIONS) symlinkSync(join(binaryDir(), v), join(servers, v));

afterAll(() => rmSync(home, { recursive: true, force: true }));

/** Processes whose command line mentions the test home (the servers' config paths live there). */
function processesUnder(dir: string): string[] {
	const found: string[] = [];
	for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
		try {
			const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
			if (cmd.includes(dir)) found.push(`${pid} ${cmd.trim()}`);
		} catch {
			// gone meanwhile
		}
	}
	return found;
}

function portOpen(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

const figure = (report: AutoReport, lesson: string, name: string) =>
	report.lessons.find((l) => l.id === lesson)?.measurements.find((m) => m.name === name);

describe('natslab learn --all --auto', () => {
	// One retry, for the same real-server race as the rehearsal test: a 2.10.27 node restarted
	// among 2.9.10 peers occasionally ends with a one-way route and never catches up (lesson 7).
	const options = { timeout: 9 * 60_000, retry: 1 };
	it(
		'runs the whole course against real servers, measures what real servers do, and leaves nothing running',
		options,
		async () => {
			const out = { stdout: '', stderr: '' };
			const io = {
				stdout: {
					write: (s: string) => {
						out.stdout += s;
						return true;
					},
				},
				stderr: {
					write: (s: string) => {
						out.stderr += s;
						return true;
					},
				},
				stdin: process.stdin,
				env: { ...process.env, NATSLAB_HOME: home },
			} as unknown as ScreenIo;
			const began = Date.now();
			const code = await learnCommand(['--all', '--auto', '--json', '--base-port', String(BASE)], io);
			const wallMs = Date.now() - began;
			const report = JSON.parse(out.stdout) as AutoReport;
			process.stdout.write(`course wall time ${(wallMs / 1000).toFixed(1)} s\n`);
			if (out.stderr) process.stdout.write(`stderr: ${out.stderr}\n`);

			expect(out.stderr, report.failure).toBe('');
			expect(code).toBe(0);
			expect(report.ok).toBe(true);
			expect(report.lessons.map((l) => `${l.id}:${l.status}`)).toEqual([
				'meet-the-cluster:done',
				'where-raft-lives:done',
				'restart-a-follower:done',
				'stop-the-meta-leader:done',
				'lose-quorum:done',
				'lame-duck:done',
				'rolling-upgrade:done',
				'hung-node:done',
				'client-settings:done',
			]);
			for (const l of report.lessons) expect(l.measurements.length, l.id).toBeGreaterThan(0);

			// Real-server figures (nats-behavior.md §1): a SIGTERM hand-over is fast, a SIGKILL
			// election waits for an election timeout (4-9 s by default).
			const handover = figure(report, 'stop-the-meta-leader', 'handover')?.value ?? Number.NaN;
			const election = figure(report, 'stop-the-meta-leader', 'election')?.value ?? Number.NaN;
			expect(handover).toBeLessThan(2000);
			expect(election).toBeGreaterThan(2000);
			expect(election).toBeGreaterThan(handover);
			// The myth's line is nowhere; the real leader line is quoted from the learner's logs.
			expect(figure(report, 'meet-the-cluster', 'metaLine')?.text).toMatch(
				/\[INF\] Self is new JetStream cluster metadata leader$/,
			);
			// Quorum loss: the survivor says it late and only at INFO; no acked message is lost.
			expect(figure(report, 'lose-quorum', 'noLeaderLine')?.text).toMatch(
				/\[INF\] JetStream cluster no metadata leader$/,
			);
			expect(figure(report, 'lose-quorum', 'silence')?.value).toBeGreaterThan(3000);
			expect(figure(report, 'lose-quorum', 'verdict')?.value).toBe(0);
			// Lame duck: leaders move before the clients hear about it; the process exits later.
			const ldmHandover = figure(report, 'lame-duck', 'ldmHandover')?.value ?? Number.NaN;
			const ldmExit = figure(report, 'lame-duck', 'ldmExit')?.value ?? Number.NaN;
			expect(ldmHandover).toBeLessThan(ldmExit);
			expect(ldmExit).toBeGreaterThan(3000);
			// Rolling upgrade: every node on the new version, the mixed-version ERR line seen, nothing lost.
			expect(figure(report, 'rolling-upgrade', 'upgraded')?.text).toBe(
				'n1 2.10.27 · n2 2.10.27 · n3 2.10.27',
			);
			expect(figure(report, 'rolling-upgrade', 'mixedLine')?.text).toMatch(
				/\[ERR\] .*dedicated route for account "\$SYS"/,
			);
			expect(figure(report, 'rolling-upgrade', 'verdict')?.value).toBe(0);
			// Hung node: JetStream moved on, the routes still list the frozen server after 10 s.
			expect(figure(report, 'hung-node', 'stillRouted')?.value).toBe(2);
			// Client settings: the default client gave up and stayed closed.
			expect(figure(report, 'client-settings', 'dead')?.text).toMatch(/^core-pub closed/);

			// Progress was saved for every lesson.
			const progress = JSON.parse(readFileSync(join(home, 'state', 'lessons', 'progress.json'), 'utf8')) as {
				lessons: Record<string, { done: boolean }>;
			};
			expect(Object.values(progress.lessons).filter((p) => p.done)).toHaveLength(9);

			// Nothing left running: no process from this home, every port closed.
			expect(processesUnder(home)).toEqual([]);
			for (const offset of [0, 1, 2, 2000, 2001, 2002, 4000, 4001, 4002]) {
				expect(await portOpen(BASE + offset), `port ${BASE + offset}`).toBe(false);
			}
			expect(existsSync(join(home, 'state', 'clusters', 'lessons', 'run.json'))).toBe(false);
		},
	);
});
