// `natslab rehearse` shaped like the user's cluster (issue #15), end to end: the
// real CLI in its own process, real nats-server 2.10.27 and 2.15.1, real nats.js
// clients. Their streams (an R3 and an R1, a pull and a push consumer, from
// `nats stream info --json`-shaped output) survive the upgrade with every acked
// message (checked by msgID); their config fragment's lame duck is the one the
// servers ran (their own logs) and its other settings are what /varz reports;
// a 5-node cluster (R3 and R5 streams) passes three times over with --repeat 3.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RepeatReport } from '../../src/rehearse/repeat.js';
import type { RehearsalReport } from '../../src/rehearse/types.js';
import { binaryDir, binaryFor } from '../support/binaries.js';
import { ROOT } from '../support/natslab-cli.js';
import { TEST_BASE_PORTS } from '../support/ports.js';
import { hasBinary } from './cluster-support.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'rehearse');
const BASE = TEST_BASE_PORTS.rehearseShape;
const HAVE = hasBinary('2.10.27') && hasBinary('2.15.1');

/** The real CLI; `onStderr` sees the progress as it comes (to look at the servers mid-run). */
async function rehearse(args: string[], env: NodeJS.ProcessEnv, onStderr: (all: string) => void = () => {}) {
	const child = execa(
		process.execPath,
		['--import', 'tsx', join(ROOT, 'src', 'cli.tsx'), 'rehearse', ...args],
		{
			cwd: ROOT,
			env,
			reject: false,
			timeout: 280_000,
			stdin: 'ignore',
		},
	);
	let stderr = '';
	child.stderr?.on('data', (d: Buffer) => {
		stderr += d.toString();
		onStderr(stderr);
	});
	const r = await child;
	return { code: r.exitCode, stdout: String(r.stdout), stderr };
}

async function getJson(url: string): Promise<Record<string, unknown>> {
	const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
	return (await res.json()) as Record<string, unknown>;
}

/** Seconds between a process's "Entering lame duck mode" and its "Closing existing clients" (the grace period). */
function graceGaps(log: string): number[] {
	const at = (line: string) => {
		const m = /^\[(\d+)\] \S+ (\d+):(\d+):([\d.]+) /.exec(line);
		return m ? { pid: m[1], s: Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]) } : null;
	};
	const lines = log.split('\n');
	const entered = lines.filter((l) => l.includes('Entering lame duck mode')).map(at);
	return entered.flatMap((e) => {
		const closing = lines
			.map(at)
			.find((c, i) => c?.pid === e?.pid && (lines[i] ?? '').includes('Closing existing clients'));
		return e && closing ? [closing.s - e.s] : [];
	});
}

describe.skipIf(!HAVE)('rehearse shaped like the user cluster (real servers, 2.10.27 → 2.15.1)', () => {
	let home: string;
	let env: NodeJS.ProcessEnv;

	beforeAll(() => {
		home = mkdtempSync(join(tmpdir(), 'natslab-shape-'));
		const servers = join(home, 'cache', 'servers');
		mkdirSync(servers, { recursive: true });
		for (const v of ['2.10.27', '2.15.1']) symlinkSync(join(binaryDir(), v), join(servers, v));
		env = { ...process.env, NATSLAB_HOME: home, NO_COLOR: '1' };
		delete env.NATSLAB_MIRROR;
	});
	afterAll(() => rmSync(home, { recursive: true, force: true }));

	it('their streams, settings and client options: every acked message of every stream is there; the servers ran their lame duck', {
		timeout: 300_000,
	}, async () => {
		let midRun: Promise<{ varz: Record<string, unknown>; jsz: Record<string, unknown> }> | null = null;
		const http = BASE + 4000;
		const r = await rehearse(
			[
				'--from',
				'2.10.27',
				'--to',
				'2.15.1',
				'--stable',
				'1',
				'--json',
				'--base-port',
				String(BASE),
				'--streams',
				join(FIXTURES, 'streams-info.json'),
				'--rate',
				'25',
				'--size',
				'512',
				'--config',
				join(FIXTURES, 'config-fragment.conf'),
				'--client-options',
				join(FIXTURES, 'client-options.json'),
			],
			env,
			(all) => {
				// Once the baseline holds, the user's assets are on the servers: look at them there.
				if (!midRun && all.includes('baseline: every node healthy'))
					midRun = Promise.all([
						getJson(`http://127.0.0.1:${http}/varz`),
						getJson(`http://127.0.0.1:${http}/jsz?accounts=true&streams=true&consumers=true&config=true`),
					]).then(([varz, jsz]) => ({ varz, jsz }));
			},
		);
		const report = JSON.parse(r.stdout) as RehearsalReport;
		expect(r.code, r.stderr).toBe(0);
		expect(report.verdict).toBe('pass');

		// Every acked message of both user streams is in its stream, by msgID.
		const streams = report.userStreams ?? [];
		expect(streams.map((s) => [s.name, s.replicas])).toEqual([
			['PAYMENTS', 3],
			['AUDIT', 1],
		]);
		for (const s of streams) {
			expect(s.acked, s.name).toBeGreaterThan(50);
			expect(s.verify).toMatchObject({ acked: s.acked - s.removedByStream, ackedMissing: 0 });
			expect(s.sizeBytes).toBe(512);
		}

		// The servers held the streams and both consumers as the file defines them.
		const seen = await (midRun as unknown as Promise<{
			varz: Record<string, unknown>;
			jsz: Record<string, unknown>;
		}>);
		const details =
			(
				seen.jsz.account_details as {
					stream_detail?: {
						name: string;
						config?: Record<string, unknown>;
						consumer_detail?: { name: string; config?: Record<string, unknown> }[];
					}[];
				}[]
			)[0]?.stream_detail ?? [];
		const payments = details.find((d) => d.name === 'PAYMENTS');
		expect(payments?.config).toMatchObject({
			num_replicas: 3,
			duplicate_window: 120_000_000_000,
			subjects: ['payments.>'],
		});
		expect(payments?.consumer_detail?.[0]?.config).toMatchObject({
			durable_name: 'settle',
			ack_policy: 'explicit',
			filter_subject: 'payments.settle.>',
		});
		// AUDIT is R1: its consumer shows on the node that holds it, which may not be n1.
		if (details.some((d) => d.name === 'AUDIT'))
			expect(details.find((d) => d.name === 'AUDIT')?.config).toMatchObject({
				num_replicas: 1,
				max_bytes: 1_073_741_824,
			});

		// The fragment: /varz reports its settings (mid-run and in the report), natslab's own keys are named.
		expect(seen.varz.max_payload).toBe(2 * 1024 * 1024);
		expect(report.ran?.varzChecks.every((c) => c.ok)).toBe(true);
		expect(report.ran?.varzChecks.map((c) => c.key)).toEqual(
			expect.arrayContaining(['max_payload', 'ping_interval', 'jetstream.max_memory_store']),
		);
		expect(report.ran?.config?.overridden).toEqual([
			'server_name (line 2)',
			'listen (line 3)',
			'jetstream.store_dir (line 11)',
			'cluster.name (line 17)',
			'cluster.routes (line 18)',
		]);
		// Its lame duck (60s / 8s) is what ran: /varz does not show it on these versions, so the
		// report says it read the config it wrote, and every drain's own log shows the 8 s grace.
		expect(report.ran?.lameDuck).toEqual({ duration: '60s', gracePeriod: '8s', from: 'config' });
		for (const node of ['n1', 'n2', 'n3']) {
			const gaps = graceGaps(
				readFileSync(join(home, 'state', 'clusters', 'rehearse', 'logs', `${node}.log`), 'utf8'),
			);
			expect(gaps.length, node).toBe(1);
			expect(gaps[0], node).toBeGreaterThanOrEqual(7.5);
			expect(gaps[0], node).toBeLessThan(15);
		}
		expect(report.ran?.clientOptions).toMatchObject({ reconnectTimeWait: 1000, reconnectJitter: 200 });

		// What ran: each binary's sha256 is the file's.
		for (const v of ['2.10.27', '2.15.1']) {
			const sha = createHash('sha256')
				.update(readFileSync(binaryFor(v)))
				.digest('hex');
			expect(report.ran?.binaries.find((b) => b.version === v)?.sha256).toBe(sha);
		}
		expect(report.ran?.nodeCount).toBe(3);
	});

	it('five nodes (R3 and R5 streams), three times on fresh clusters: --repeat 3 reports 3 runs', {
		timeout: 300_000,
	}, async () => {
		const r = await rehearse(
			[
				'--from',
				'2.10.27',
				'--to',
				'2.15.1',
				'--nodes',
				'5',
				'--strategy',
				'restart',
				'--stable',
				'1',
				'--repeat',
				'3',
				'--json',
				'--base-port',
				String(BASE + 20),
			],
			env,
		);
		const repeat = JSON.parse(r.stdout) as RepeatReport;
		expect(repeat.schema).toBe('natslab.rehearsal-repeat/1');
		expect(repeat.runs).toBe(3);
		expect(repeat.reports).toHaveLength(3);
		expect(repeat.figures.find((f) => f.figure === 'acked but missing')?.max).toBe(0);
		for (const run of repeat.reports) {
			expect(run.nodes.map((n) => n.node)).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
			expect(run.userStreams?.map((s) => [s.name, s.replicas])).toEqual([['R5', 5]]);
			expect(run.ran?.nodeCount).toBe(5);
		}
		// A run may only fail on a server condition natslab names; a 5-node rehearsal passes otherwise.
		for (const f of repeat.failures) expect(f.diagnoses.length, f.reasons.join('; ')).toBeGreaterThan(0);
		expect(repeat.passed, r.stderr.slice(-3000)).toBeGreaterThanOrEqual(repeat.failures.length === 0 ? 3 : 1);
		expect(r.code).toBe(repeat.verdict === 'pass' ? 0 : 1);
	});
});
