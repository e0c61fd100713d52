// `natslab rehearse` end to end, as an engineer runs it: the real CLI in its own
// process, real nats-server 2.9.10 and 2.10.27 binaries, real nats.js clients.
// Also how it fails: a version that cannot be had, and a binary that will not
// start (a stand-in script: this tests natslab's failure handling, not NATS).
import { type ChildProcess, spawn } from 'node:child_process';
import {
	chmodSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RehearsalReport } from '../../src/rehearse/types.js';
import { binaryDir } from '../support/binaries.js';
import { TEST_BASE_PORTS } from '../support/ports.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'src', 'cli.tsx');

interface CliResult {
	code: number | null;
	stdout: string;
	stderr: string;
	ms: number;
}

const children = new Set<ChildProcess>();

function runCli(
	args: string[],
	env: NodeJS.ProcessEnv,
	timeoutMs: number,
	onStderr: (all: string, child: ChildProcess) => void = () => {},
): Promise<CliResult> {
	const started = Date.now();
	return new Promise((done, fail) => {
		const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
			cwd: ROOT,
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		children.add(child);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => {
			stdout += d.toString();
		});
		child.stderr.on('data', (d: Buffer) => {
			stderr += d.toString();
			onStderr(stderr, child);
		});
		const timer = setTimeout(() => {
			child.kill('SIGINT');
			fail(new Error(`natslab ${args.join(' ')} still running after ${timeoutMs} ms; stderr:\n${stderr}`));
		}, timeoutMs);
		child.on('error', fail);
		child.on('close', (code) => {
			clearTimeout(timer);
			children.delete(child);
			done({ code, stdout, stderr, ms: Date.now() - started });
		});
	});
}

/** nats-server processes whose command line points into `home` (not zombies). */
function serversUnder(home: string): number[] {
	const found: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
			if (cmd.includes(home) && cmd.includes('nats-server') && state !== 'Z') found.push(Number(entry));
		} catch {
			// the process ended while we looked
		}
	}
	return found;
}

/** A port nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
	return new Promise((done, fail) => {
		const srv = createServer();
		srv.on('error', fail);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			srv.close(() => (typeof addr === 'object' && addr ? done(addr.port) : fail(new Error('no port'))));
		});
	});
}

/**
 * The rehearsal failed only because of a measured server condition that natslab names
 * (observe/diagnoses.ts): every reason is a gate failure that names it.
 */
function namedServerCondition(report: RehearsalReport): boolean {
	const kinds = (report.diagnoses ?? []).map((d) => d.kind);
	return (
		kinds.length > 0 &&
		kinds.every((k) => k === 'one-way-route' || k === 'replica-stuck' || k === 'no-meta-election') &&
		report.reasons.length > 0 &&
		report.reasons.every((reason) =>
			/; diagnosis (one-way-route|replica-stuck|no-meta-election): /.test(reason),
		)
	);
}

function lastLine(text: string): string {
	return text.trimEnd().split('\n').at(-1) ?? '';
}

describe('natslab rehearse (real servers)', () => {
	let home: string;
	let env: NodeJS.ProcessEnv;

	beforeAll(() => {
		home = mkdtempSync(join(tmpdir(), 'natslab-rehearse-'));
		const servers = join(home, 'cache', 'servers');
		mkdirSync(servers, { recursive: true });
		for (const v of ['2.9.10', '2.10.27']) symlinkSync(join(binaryDir(), v), join(servers, v));
		env = { ...process.env, NATSLAB_HOME: home, NO_COLOR: '1' };
		delete env.NATSLAB_MIRROR;
	});

	afterAll(() => {
		for (const child of children) child.kill('SIGINT');
		rmSync(home, { recursive: true, force: true });
	});

	// No retry. In ~4 of 45 runs here a 2.10.27 node that restarted while its 2.9.10 peers
	// re-dialled it ended with a one-way route (the mixed-version `$SYS` route errors) and never
	// caught up: real server behaviour, which natslab rightly fails and now names. So the run
	// either passes, or fails only because of that named condition (every reason names it);
	// a failure for any other reason fails this test.
	it('upgrades 2.9.10 → 2.10.27 with lame duck, meta leader last, and loses no acked message', {
		timeout: 300_000,
	}, async () => {
		const md = join(home, 'rehearsal.md');
		const r = await runCli(
			[
				'rehearse',
				'--from',
				'2.9.10',
				'--to',
				'2.10.27',
				'--json',
				'--report',
				md,
				'--base-port',
				String(TEST_BASE_PORTS.rehearse),
			],
			env,
			240_000,
		);
		// --json: stdout is the report and nothing else; progress went to stderr.
		const report = JSON.parse(r.stdout) as RehearsalReport;
		if (report.verdict === 'fail' && namedServerCondition(report)) {
			process.stdout.write(`rehearsal failed on a named server condition: ${report.reasons.join('; ')}\n`);
			expect(r.code).toBe(1);
			expect(report.jetstream.ackedMissing).toBe(0);
			expect(readFileSync(md, 'utf8')).toContain('## Diagnosis');
			expect(serversUnder(home)).toEqual([]);
			return;
		}
		expect(r.code, r.stderr).toBe(0);
		expect(report.schema).toBe('natslab.rehearsal/1');
		expect(report.verdict).toBe('pass');
		expect(report.reasons).toEqual([]);
		expect(report.jetstream.verified).toBe(true);
		expect(report.jetstream.acked).toBeGreaterThan(0);
		expect(report.jetstream.ackedMissing).toBe(0);
		expect(report.nodes).toHaveLength(3);
		for (const n of report.nodes) {
			expect(n).toMatchObject({
				initialVersion: '2.9.10',
				finalVersion: '2.10.27',
				upgraded: true,
				signal: 'ldm',
			});
			// LDM ends in exit code 0 on every version (docs/nats-behavior.md gotcha 8).
			expect(n.exit).toEqual({ code: 0, signal: null });
			expect(n.gatePassedMs).toBeGreaterThanOrEqual(3000);
			expect(n.meshMs).not.toBeNull();
			expect(n.metaLeaderMs).not.toBeNull();
			expect(n.replicaCurrentMs).not.toBeNull();
		}
		// Followers first: the node that led the meta group when its turn came is the last one.
		const ordered = [...report.nodes].sort((a, b) => (a.step ?? 0) - (b.step ?? 0));
		expect(ordered.map((n) => n.wasMetaLeader)).toEqual([false, false, true]);
		expect(ordered[2]?.leaderChanges.meta).toBeGreaterThanOrEqual(1);
		// The clients really ran through it.
		expect(report.clients.map((c) => c.id).sort()).toEqual(['core-pub', 'core-sub', 'js-consumer', 'js-pub']);
		expect(report.core.received).toBeGreaterThan(0);
		// Mixed 2.9 ↔ 2.10 routes log these; the report groups and explains them.
		expect(report.warnings.some((w) => /dedicated route for account/.test(w.text) && w.note)).toBe(true);
		// One progress line per gate on stderr, and the Markdown report.
		expect(r.stderr).toMatch(
			/n\d: 2\.9\.10 → 2\.10\.27( \(meta leader\))?: lame duck [\d.]+ s → down [\d.]+ s → mesh [\d.]+ s → meta leader [\d.]+ s → replica current [\d.]+ s → healthy \(stable 3 s\) [\d.]+ s/,
		);
		expect(readFileSync(md, 'utf8')).toContain('**Verdict: PASS');
		expect(serversUnder(home)).toEqual([]);
	});

	it('fails fast with one line when the target version cannot be obtained, starting nothing', async () => {
		const port = await closedPort();
		const r = await runCli(
			['rehearse', '--to', '9.9.9', '--json', '--base-port', String(TEST_BASE_PORTS.rehearse + 20)],
			{
				...env,
				NATSLAB_GITHUB_URL: `http://127.0.0.1:${port}`,
				NATSLAB_DEBIAN_URL: `http://127.0.0.1:${port}`,
			},
			120_000,
		);
		expect(r.code).toBe(1);
		expect(lastLine(r.stderr)).toMatch(
			/^natslab: rehearsal not started: nats-server 9\.9\.9 is not available: /,
		);
		// Nothing ran, so there is no report: not even an empty one with --json.
		expect(r.stdout).toBe('');
		expect(r.stderr).not.toMatch(/n1: up/);
		expect(serversUnder(home)).toEqual([]);
	}, 180_000);

	it('stops at a node whose new binary will not start, says why, and leaves nothing running', async () => {
		const fake = join(home, 'cache', 'servers', '9.8.7');
		mkdirSync(fake, { recursive: true });
		writeFileSync(
			join(fake, 'nats-server'),
			[
				'#!/bin/sh',
				'# test stand-in: reports version 9.8.7, refuses to start',
				'case "$1" in --version|-v) echo "nats-server: v9.8.7"; exit 0 ;; esac',
				'echo "stand-in nats-server 9.8.7: refusing to start" >&2',
				'exit 1',
				'',
			].join('\n'),
		);
		chmodSync(join(fake, 'nats-server'), 0o755);
		const r = await runCli(
			[
				'rehearse',
				'--from',
				'2.9.10',
				'--to',
				'9.8.7',
				'--strategy',
				'restart',
				'--json',
				'--base-port',
				String(TEST_BASE_PORTS.rehearse + 40),
			],
			env,
			180_000,
		);
		expect(r.code).toBe(1);
		expect(lastLine(r.stderr)).toMatch(
			/^natslab: rehearsal failed: (n\d): start on the new version: \1 exited with code 1 during start: stand-in nats-server 9\.8\.7: refusing to start$/,
		);
		const report = JSON.parse(r.stdout) as RehearsalReport;
		expect(report.verdict).toBe('fail');
		const failed = report.nodes.find((n) => n.failure !== null);
		expect(failed).toMatchObject({ step: 1, signal: 'SIGTERM', finalVersion: null, upgraded: false });
		// The rehearsal stopped there: the other two nodes were never touched.
		expect(report.nodes.filter((n) => n !== failed).map((n) => [n.step, n.finalVersion])).toEqual([
			[null, '2.9.10'],
			[null, '2.9.10'],
		]);
		// What was acked before the failure is still all there.
		expect(report.jetstream.ackedMissing).toBe(0);
		expect(existsSync(join(home, 'state', 'clusters', 'rehearse', 'run.json'))).toBe(false);
		expect(serversUnder(home)).toEqual([]);
	}, 240_000);

	it('stops cleanly on Ctrl-C in the middle of a step, leaving nothing running', async () => {
		let interrupted = false;
		const r = await runCli(
			['rehearse', '--base-port', String(TEST_BASE_PORTS.rehearse + 60)],
			env,
			120_000,
			(all, child) => {
				if (!interrupted && /step 1\/3: /.test(all)) {
					interrupted = true;
					child.kill('SIGINT');
				}
			},
		);
		expect(interrupted).toBe(true);
		expect(r.code).toBe(130);
		expect(r.stderr).toContain('natslab: rehearsal interrupted; stopping its cluster');
		expect(r.stdout).toBe('');
		expect(serversUnder(home)).toEqual([]);
	}, 180_000);
});
