import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LogLineEvent, ParsedLog } from '../../../src/observe/events.js';
import { parseLogLine } from '../../../src/observe/log-parser.js';
import { FIXTURES, logEvents, processEvents, runNodes } from '../../support/fixtures.js';

const VERSIONS = ['2.9.10', '2.10.27', '2.15.1'] as const;

function runEvents(run: string): LogLineEvent[] {
	return runNodes(run).flatMap((n) => logEvents(run, n));
}

function ofType<T extends ParsedLog['type']>(
	events: LogLineEvent[],
	type: T,
): Extract<ParsedLog, { type: T }>[] {
	return events.map((e) => e.parsed).filter((p): p is Extract<ParsedLog, { type: T }> => p.type === type);
}

describe('parseLogLine: line shape', () => {
	it('reads pid, local time, level and keeps the raw line', () => {
		const raw = '[6149] 2026/11/26 00:41:33.920631 [INF] Starting JetStream cluster';
		const e = parseLogLine('n1', raw);
		expect(e).toMatchObject({ kind: 'log', node: 'n1', pid: 6149, level: 'INF', raw });
		expect(e.at).toBe(new Date(2026, 10, 26, 0, 41, 33, 920).getTime());
		expect(e.parsed).toEqual({ type: 'JetStreamClusterStarting' });
	});

	it('reads UTC when the server logs in UTC', () => {
		const e = parseLogLine('n1', '[6149] 2026/11/26 00:41:33.920631 [INF] Server is ready', { utc: true });
		expect(e.at).toBe(Date.UTC(2026, 10, 26, 0, 41, 33, 920));
	});

	it('gives lines without a timestamp the time it is told, and unknown text becomes Plain', () => {
		expect(parseLogLine('n2', 'something else', { now: 42 })).toMatchObject({
			at: 42,
			level: null,
			pid: null,
			parsed: { type: 'Plain' },
		});
		expect(parseLogLine('n2', '[1] 2026/11/26 00:00:00.000001 [INF] ', { now: 1 }).parsed).toEqual({
			type: 'Plain',
		});
	});

	it('strips a trailing CR', () => {
		expect(parseLogLine('n1', '[1] 2026/11/26 00:00:00.1 [INF] Server is ready\r').parsed.type).toBe(
			'ServerReady',
		);
	});

	it('parses -D Raft state changes (verbatim from the 2.15.1 debug run)', () => {
		const e = parseLogLine(
			'n2',
			'[2928] 2026/11/26 01:10:10.824188 [DBG] RAFT [44jzkV9D - _meta_] Switching to leader',
		);
		expect(e.parsed).toEqual({
			type: 'RaftStateChanged',
			peer: '44jzkV9D',
			group: '_meta_',
			state: 'leader',
		});
	});
});

describe('parseLogLine over every line of the real logs', () => {
	const runs = [
		'core-2.9.10',
		'core-2.10.27',
		'core-2.15.1',
		'ldm-2.10.27-default',
		'ldm-2.15.1-default',
		'sigstop-2.9.10',
		'sigstop-2.10.27',
		'upgrade-2.9.10-to-2.10.27-to-2.15.1',
	];

	it.each(runs)('%s: no line throws, every event keeps its raw line and a time', (run) => {
		for (const node of runNodes(run)) {
			const lines = readFileSync(join(FIXTURES, 'logs', run, `${node}.log`), 'utf8').split('\n');
			for (const line of lines) {
				if (line === '' || line.startsWith('##LAB')) continue;
				const e = parseLogLine(node, line, { utc: true });
				expect(e.raw).toBe(line);
				expect(Number.isFinite(e.at)).toBe(true);
				expect(e.level).not.toBeNull();
			}
		}
	});

	it.each(VERSIONS)(
		'core-%s: one start banner per spawn, the right version, one exit line per clean stop',
		(v) => {
			const run = `core-${v}`;
			const events = runEvents(run);
			const proc = processEvents(run);
			const spawns = proc.filter((p) => p.type === 'spawned');
			const cleanExits = proc.filter((p) => p.type === 'exited' && p.signal === null);
			expect(ofType(events, 'ServerStarting')).toHaveLength(spawns.length);
			expect(ofType(events, 'ServerVersion').every((p) => p.version === v)).toBe(true);
			expect(ofType(events, 'ServerReady')).toHaveLength(spawns.length);
			expect(ofType(events, 'ServerExiting')).toHaveLength(cleanExits.length);
			expect(ofType(events, 'ShutdownStarted')).toHaveLength(cleanExits.length);
			expect(ofType(events, 'JetStreamShutdown')).toHaveLength(cleanExits.length);
			// fresh store on the first start of each node, recovery on every restart
			expect(ofType(events, 'JetStreamBootstrapping')).toHaveLength(3);
			expect(ofType(events, 'JetStreamRecovering')).toHaveLength(spawns.length - 3);
			const ids = ofType(events, 'ServerIdentity');
			expect(
				ids
					.filter((p) => p.field === 'name')
					.map((p) => p.value)
					.sort(),
			).toEqual(spawns.map((s) => s.node).sort());
			expect(ids.filter((p) => p.field === 'cluster').every((p) => p.value === 'lab')).toBe(true);
		},
	);

	it('core: the version differences show in the parsed lines', () => {
		const byVersion = Object.fromEntries(VERSIONS.map((v) => [v, runEvents(`core-${v}`)]));
		const e = (v: string) => byVersion[v] as LogLineEvent[];
		// 2.9.10 prints no "not established contact" WRN at start-up; 2.10+ once per start.
		expect(ofType(e('2.9.10'), 'MetaLeaderContactMissing')).toHaveLength(0);
		expect(ofType(e('2.10.27'), 'MetaLeaderContactMissing')).toHaveLength(8);
		expect(ofType(e('2.15.1'), 'MetaLeaderContactMissing')).toHaveLength(8);
		// Only 2.15.1 traps the signal and names the remote on route close lines, and times JetStream start.
		for (const v of ['2.9.10', '2.10.27']) {
			expect(ofType(e(v), 'SignalTrapped')).toHaveLength(0);
			expect(ofType(e(v), 'RouteClosed').some((p) => p.remoteName)).toBe(false);
			expect(ofType(e(v), 'JetStreamStarted')).toHaveLength(0);
		}
		const sigterms = processEvents('core-2.15.1').filter(
			(p) => p.type === 'signalled' && p.signal === 'SIGTERM',
		);
		expect(ofType(e('2.15.1'), 'SignalTrapped')).toEqual(
			sigterms.map(() => ({ type: 'SignalTrapped', signal: 'terminated' })),
		);
		const named = ofType(e('2.15.1'), 'RouteClosed').filter((p) => p.remoteName);
		expect(named.length).toBeGreaterThan(0);
		expect(new Set(named.map((p) => p.remoteName))).toEqual(new Set(['n1', 'n2', 'n3']));
		expect(ofType(e('2.15.1'), 'JetStreamStarted')).toHaveLength(8);
		expect(ofType(e('2.15.1'), 'JetStreamStarted').every((p) => p.tookMs > 0 && p.tookMs < 1000)).toBe(true);
	});

	it.each(VERSIONS)('core-%s: leader, quorum and route transitions', (v) => {
		const events = runEvents(`core-${v}`);
		const meta = ofType(events, 'MetaLeaderElected');
		expect(meta.filter((p) => p.leader === 'self').length).toBeGreaterThan(0);
		expect(
			meta.filter((p) => p.leader !== 'self').every((p) => /^n[123]$/.test(p.leader) && p.cluster === 'lab'),
		).toBe(true);
		expect(ofType(events, 'NoMetaLeader').length).toBeGreaterThanOrEqual(4);
		// ORDERS (R3) and the R1 probe streams TMP<n> created during the meta leader kill
		const streams = ofType(events, 'StreamLeaderElected');
		expect(streams.every((p) => p.account === '$G' && /^(ORDERS|TMP\d+)$/.test(p.stream))).toBe(true);
		expect(streams.filter((p) => p.stream === 'ORDERS').length).toBeGreaterThanOrEqual(3);
		expect(ofType(events, 'ConsumerLeaderElected')).toEqual(
			Array(4).fill({ type: 'ConsumerLeaderElected', account: '$G', stream: 'ORDERS', consumer: 'C1' }),
		);
		// the consumer variant ends with a period, the stream one does not
		expect(ofType(events, 'ConsumerQuorumLost')[0]).toEqual({
			type: 'ConsumerQuorumLost',
			account: '$G',
			stream: 'ORDERS',
			consumer: 'C1',
		});
		expect(ofType(events, 'StreamQuorumLost').length).toBeGreaterThan(0);
		const failed = ofType(events, 'RouteConnectFailed');
		expect(failed.length).toBeGreaterThan(0);
		expect(failed.every((p) => /^127\.0\.0\.1:622[234]$/.test(p.target) && p.attempt >= 1)).toBe(true);
		expect(failed.some((p) => p.attempt > 1)).toBe(true);
		const created = ofType(events, 'RouteCreated');
		expect(created.every((p) => p.rid > 0 && p.remote.startsWith('127.0.0.1:'))).toBe(true);
		const reasons = new Set(ofType(events, 'RouteClosed').map((p) => p.reason));
		expect(reasons).toContain('Duplicate Route');
		expect(reasons).toContain('Client Closed');
		const health = ofType(events, 'HealthcheckFailed').map((p) => p.error);
		expect(health).toContain('JetStream has not established contact with a meta leader');
		expect(health.some((h) => h.startsWith("JetStream stream '$G > ORDERS' is not current"))).toBe(true);
	});

	it('ldm: lame duck entered, JetStream shut down early on 2.10+, clients closed, SIGUSR2 trapped on 2.15.1', () => {
		for (const run of ['ldm-2.10.27-default', 'ldm-2.15.1-default']) {
			const events = runEvents(run);
			expect(ofType(events, 'LameDuckEntered')).toHaveLength(1);
			expect(ofType(events, 'ClosingClients')).toHaveLength(1);
			const target = events.find((e) => e.parsed.type === 'LameDuckEntered')?.node as string;
			const own = logEvents(run, target).map((e) => e.parsed.type);
			const ldmAt = own.indexOf('LameDuckEntered');
			expect(own.slice(ldmAt, ldmAt + 2)).toEqual(['LameDuckEntered', 'NoMetaLeader']);
			expect(own.indexOf('JetStreamShutdown', ldmAt)).toBeLessThan(own.indexOf('ClosingClients', ldmAt));
		}
		expect(ofType(runEvents('ldm-2.15.1-default'), 'SignalTrapped').map((p) => p.signal)).toContain(
			'user defined signal 2',
		);
	});

	it('sigstop-2.10.27: stale route closes, route errors and the woken leader stalling', () => {
		const events = runEvents('sigstop-2.10.27');
		expect(ofType(events, 'RouteClosed').filter((p) => p.reason === 'Stale Connection')).toHaveLength(8);
		const errors = ofType(events, 'RouteError');
		expect(errors.filter((p) => p.error === 'Stale Connection').length).toBeGreaterThan(0);
		expect(errors.some((p) => p.error.startsWith('Error flushing: writev'))).toBe(true);
		expect(ofType(events, 'StreamCatchupComplete')).toEqual([
			{ type: 'StreamCatchupComplete', account: '$G', stream: 'ORDERS' },
		]);
	});

	it('upgrade: both shapes of the mixed-version $SYS route error', () => {
		const events = runEvents('upgrade-2.9.10-to-2.10.27-to-2.15.1');
		const mixed = events.filter((e) => e.parsed.type === 'MixedVersionRouteError');
		expect(mixed.length).toBe(6);
		expect(mixed.some((e) => e.raw.includes("Route Error 'Not possible"))).toBe(true);
		expect(mixed.some((e) => !e.raw.includes('Route Error'))).toBe(true);
		expect(
			mixed.every((e) => e.level === 'ERR' && (e.parsed as { account: string }).account === '$SYS'),
		).toBe(true);
		expect(ofType(events, 'RouteError')).toHaveLength(0);
		expect(new Set(ofType(events, 'ServerVersion').map((p) => p.version))).toEqual(
			new Set(['2.9.10', '2.10.27', '2.15.1']),
		);
	});

	it('start-up failures: config errors without a prefix and [FTL] lines', () => {
		const lines = readFileSync(join(FIXTURES, 'logs', 'startup-failures', 'failures.log'), 'utf8').split(
			'\n',
		);
		const events = lines.filter(Boolean).map((l) => parseLogLine('n1', l, { now: 7 }));
		const config = events.filter((e) => e.parsed.type === 'ConfigError');
		const fatal = events.filter((e) => e.parsed.type === 'Fatal');
		expect(config.length + fatal.length).toBe(events.length);
		expect(config[0]?.parsed).toEqual({
			type: 'ConfigError',
			message: 'bad1.conf:6:3: unknown field "pool_size"',
		});
		expect(config.every((e) => e.at === 7 && e.level === 'FTL')).toBe(true);
		expect(config.map((e) => (e.parsed as { message: string }).message)).toContain(
			'bad2.conf:3:1: invalid lame_duck_duration of 10s, minimum is 30 seconds',
		);
		expect(fatal.map((e) => (e.parsed as { message: string }).message)).toContain(
			'Error listening on port: 127.0.0.1:30100, "listen tcp 127.0.0.1:30100: bind: address already in use"',
		);
		expect(fatal).toHaveLength(9);
	});
});
