// The reducer fed with REAL runs: every server log line of n1..n3 merged by
// time with the process events the harness recorded. The elapsed times in the
// timeline texts are the ones docs/nats-behavior.md reports for these runs.

import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../src/observe/events.js';
import { initialLabState, reduce } from '../../../src/observe/reducer.js';
import { agreedMetaLeader, metaQuorumText } from '../../../src/observe/selectors.js';
import type { LabState } from '../../../src/observe/state.js';
import { mergedRun, runNodes } from '../../support/fixtures.js';

function fold(events: LabEvent[], state: LabState): LabState {
	let s = state;
	for (const e of events) s = reduce(s, e);
	return s;
}

/** State after every event of the run up to `time` ("HH:MM:SS.mmm" UTC on the day of the runs), or all. */
function replay(run: string, time?: string): LabState {
	const limit = time ? Date.parse(`2026-11-26T${time}Z`) : Number.POSITIVE_INFINITY;
	return fold(
		mergedRun(run).filter((e) => e.at <= limit),
		initialLabState({ nodes: runNodes(run) }),
	);
}

const texts = (s: LabState, kind?: string) =>
	s.timeline.filter((t) => !kind || t.kind === kind).map((t) => t.text);

describe('ldm-2.10.27-default: lame duck of the meta + stream leader n2', () => {
	const full = replay('ldm-2.10.27-default');

	it('moves the meta and stream leadership off n2 within tens of ms, each entry with its log line', () => {
		const leaders = texts(full, 'leader');
		expect(leaders).toContain('meta leader n2 elected');
		expect(leaders).toContain('meta leader n2 lost (n2 lame duck)');
		expect(leaders).toContain('meta leader n2 → n3 (26 ms without a leader)');
		expect(leaders).toContain('stream ORDERS leader n2 → n3 (23 ms without a leader)');
		const moved = full.timeline.find((t) => t.text === 'meta leader n2 → n3 (26 ms without a leader)');
		expect(moved?.evidence).toEqual({
			source: 'log',
			node: 'n3',
			line: '[19885] 2026/11/26 00:51:44.162285 [INF] Self is new JetStream cluster metadata leader',
		});
		const lost = full.timeline.find((t) => t.text === 'meta leader n2 lost (n2 lame duck)');
		expect(lost?.evidence).toMatchObject({ source: 'process', node: 'n2' });
	});

	it('shows the lame duck phases in order: entered, JetStream shut down (2.10+), clients closed, shutdown', () => {
		const ldm = full.timeline.filter(
			(t) => t.node === 'n2' && (t.kind === 'lameDuck' || t.kind === 'process'),
		);
		const order = ldm.map((t) => t.text);
		const idx = (t: string) => order.indexOf(t);
		expect(idx('n2 entered lame duck mode')).toBeGreaterThan(-1);
		expect(idx('n2 JetStream shut down (lame duck)')).toBeGreaterThan(idx('n2 entered lame duck mode'));
		expect(idx('n2 closing its clients')).toBeGreaterThan(idx('n2 JetStream shut down (lame duck)'));
		expect(idx('n2 shutting down')).toBeGreaterThan(idx('n2 closing its clients'));
		const entered = full.timeline.find((t) => t.text === 'n2 entered lame duck mode');
		expect(entered?.evidence).toMatchObject({ source: 'log', node: 'n2' });
		const closing = full.timeline.find((t) => t.text === 'n2 closing its clients');
		expect((closing?.at ?? 0) - (entered?.at ?? 0)).toBeGreaterThan(10_000); // 1 s hand-over + 10 s grace
	});

	it('while n2 drains: n2 is a lame duck, n3 leads, the quorum holds without n2', () => {
		const s = replay('ldm-2.10.27-default', '00:51:50.000'); // between JetStream shutdown and closing clients
		expect(s.cluster.nodes.n2).toMatchObject({
			process: 'lameDuck',
			jetstream: 'shutdown',
			isMetaLeader: false,
		});
		expect(s.cluster.meta.leader).toBe('n3');
		expect(s.cluster.nodes.n3?.leads.streams).toEqual(['ORDERS']);
		expect(s.cluster.meta.quorum).toEqual({ reachable: 2, size: 3, needed: 2, ok: true });
		expect(metaQuorumText(s)).toBe('meta quorum 2/3 (needs 2)');
		expect(agreedMetaLeader(s)).toBe('n3');
	});

	it('flags the log lines that caused a transition and keeps the rest', () => {
		const flagged = full.logs.filter((l) => l.transition).map((l) => l.raw);
		expect(flagged).toContain(
			'[19884] 2026/11/26 00:51:44.142587 [INF] Entering lame duck mode, stop accepting new clients',
		);
		expect(flagged.every((l) => !l.includes('Route connection created'))).toBe(true);
		expect(full.logs.length).toBe(mergedRun('ldm-2.10.27-default').filter((e) => e.kind === 'log').length);
		const ids = full.logs.map((l) => l.id);
		expect(new Set(ids).size).toBe(ids.length);
	});
});

describe('core-2.9.10: follower restart, meta leader SIGTERM and SIGKILL, quorum loss', () => {
	const full = replay('core-2.9.10');

	it('SIGTERM hands the meta leadership over in 14 ms, SIGKILL costs an election of 6.9 s', () => {
		const leaders = texts(full, 'leader');
		expect(leaders).toContain('meta leader n2 lost (n2 stopping)');
		expect(leaders).toContain('meta leader n2 → n1 (14 ms without a leader)');
		expect(leaders).toContain('meta leader n1 lost (n1 stopping)');
		expect(leaders).toContain('meta leader n1 → n3 (6.9 s without a leader)');
	});

	it('during the SIGKILL election nobody leads and the restarted node rejoins as a follower', () => {
		const during = replay('core-2.9.10', '00:48:47.000');
		expect(during.cluster.meta.leader).toBeNull();
		expect(during.cluster.nodes.n1).toMatchObject({
			process: 'exited',
			exit: { code: null, signal: 'SIGKILL' },
		});
		const after = replay('core-2.9.10', '00:48:55.000');
		expect(after.cluster.meta.leader).toBe('n3');
		expect(after.cluster.nodes.n1).toMatchObject({
			process: 'up',
			isMetaLeader: false,
			seesMetaLeader: 'n3',
		});
	});

	it('two of three stopped: quorum lost, and regained when one returns', () => {
		expect(texts(full, 'quorum')).toEqual(
			expect.arrayContaining([
				'meta quorum lost: 1/3 reachable (needs 2)',
				'meta quorum ok: 2/3 reachable (needs 2)',
			]),
		);
		const lonely = replay('core-2.9.10', '00:49:10.000');
		expect(lonely.cluster.meta.quorum).toEqual({ reachable: 1, size: 3, needed: 2, ok: false });
		expect(metaQuorumText(lonely)).toBe('meta quorum 1/3 (needs 2) – lost');
	});

	it('2.9.10 prints no start-up WRN about the meta leader; the warnings are counted by normalised text', () => {
		expect(
			Object.keys(full.warnings).some(
				(k) => k === 'WRN JetStream has not established contact with a meta leader',
			),
		).toBe(false);
		const routeErr =
			full.warnings[
				'ERR Error trying to connect to route (attempt N): dial tcp <addr>: connect: connection refused'
			];
		expect(routeErr?.count).toBe(72);
		expect(routeErr?.example).toMatch(/^\[\d+\] .* \[ERR\] Error trying to connect to route \(attempt 1\)/);
	});
});

describe('core-2.10.27: quorum loss on the survivor n1 (stream leader)', () => {
	it('marks the stream and the consumer stalled from the survivor, cleared by the next election', () => {
		const stalled = replay('core-2.10.27', '00:48:19.000');
		expect(stalled.cluster.streams.ORDERS).toMatchObject({ leader: 'n1', noQuorum: true });
		expect(stalled.cluster.consumers['ORDERS > C1']?.noQuorum).toBe(true);
		expect(texts(stalled, 'quorum')).toEqual(
			expect.arrayContaining([
				'stream ORDERS has no quorum: stalled (n1)',
				'consumer ORDERS > C1 has no quorum: stalled (n1)',
			]),
		);
		const back = replay('core-2.10.27', '00:48:24.200');
		expect(back.cluster.consumers['ORDERS > C1']).toMatchObject({ leader: 'n1', noQuorum: false });
		expect(back.cluster.meta.leader).toBe('n1');
		expect(texts(back, 'leader')).toContain('meta leader n2 → n1 (23.8 s without a leader)');
	});

	it('the SIGTERMed meta leader hands over in 18 ms, the SIGKILLed one after a 4.7 s election', () => {
		const full = replay('core-2.10.27');
		expect(texts(full, 'leader')).toEqual(
			expect.arrayContaining([
				'meta leader n3 → n1 (18 ms without a leader)',
				'meta leader n1 → n2 (4.7 s without a leader)',
			]),
		);
	});
});

describe('sigstop: the frozen meta + stream leader', () => {
	it('2.10.27: leaders lost at SIGSTOP (process evidence), re-elected after 3.9 s / 4.7 s', () => {
		const full = replay('sigstop-2.10.27');
		const leaders = texts(full, 'leader');
		expect(leaders).toEqual(
			expect.arrayContaining([
				'meta leader n3 lost (n3 paused)',
				'stream ORDERS leader n3 lost (n3 paused)',
				'meta leader n3 → n2 (3.9 s without a leader)',
				'stream ORDERS leader n3 → n2 (4.7 s without a leader)',
			]),
		);
		expect(full.timeline.find((t) => t.text === 'meta leader n3 lost (n3 paused)')?.evidence).toMatchObject({
			source: 'process',
			node: 'n3',
		});
	});

	it('2.10.27: while frozen, n3 is paused and leads nothing; the others agree on n2', () => {
		const s = replay('sigstop-2.10.27', '01:04:30.000');
		expect(s.cluster.nodes.n3).toMatchObject({
			process: 'paused',
			isMetaLeader: false,
			leads: { streams: [], consumers: [] },
		});
		expect(s.cluster.meta.leader).toBe('n2');
		expect(s.cluster.meta.quorum).toMatchObject({ reachable: 2, ok: true });
	});

	it('2.10.27: the woken ex-leader\'s "NO quorum" and "no metadata leader" lines do not undo the new leaders', () => {
		const s = replay('sigstop-2.10.27', '01:06:31.000');
		expect(s.cluster.nodes.n3?.process).toBe('up');
		expect(s.cluster.meta.leader).toBe('n2');
		expect(s.cluster.streams.ORDERS).toMatchObject({ leader: 'n2', noQuorum: false });
		expect(s.cluster.nodes.n3?.seesMetaLeader).toBe('n2');
		expect(texts(s, 'quorum').some((t) => t.startsWith('stream ORDERS has no quorum'))).toBe(false);
	});

	it('2.9.10: re-elected after 3.7 s (stream) and 3.7 s (meta)', () => {
		const leaders = texts(replay('sigstop-2.9.10'), 'leader');
		expect(leaders).toEqual(
			expect.arrayContaining([
				'stream ORDERS leader n1 → n3 (3.7 s without a leader)',
				'meta leader n1 → n3 (3.7 s without a leader)',
			]),
		);
	});
});

describe('upgrade-2.9.10-to-2.10.27-to-2.15.1', () => {
	const full = replay('upgrade-2.9.10-to-2.10.27-to-2.15.1');

	it('records each upgrade with the version it left', () => {
		const upgrades = texts(full, 'process').filter((t) => t.includes('upgraded'));
		expect(upgrades.map((t) => t.replace(/ \(pid \d+\)$/, ''))).toEqual([
			'n1 upgraded 2.9.10 → 2.10.27',
			'n2 upgraded 2.9.10 → 2.10.27',
			'n3 upgraded 2.9.10 → 2.10.27',
			'n1 upgraded 2.10.27 → 2.15.1',
			'n3 upgraded 2.10.27 → 2.15.1',
			'n2 upgraded 2.10.27 → 2.15.1',
		]);
	});

	it('shows the one 6 s stream leader gap when the 2.9.10 stream leader n2 stopped in the mixed cluster', () => {
		expect(texts(full, 'leader')).toContain('stream ORDERS leader n2 → n3 (6.0 s without a leader)');
		const mixed = replay('upgrade-2.9.10-to-2.10.27-to-2.15.1', '00:58:20.000');
		expect(Object.fromEntries(mixed.cluster.order.map((n) => [n, mixed.cluster.nodes[n]?.version]))).toEqual({
			n1: '2.10.27',
			n2: '2.10.27',
			n3: '2.9.10',
		});
		expect(mixed.cluster.streams.ORDERS?.leader).toBeNull();
	});

	it('counts both shapes of the mixed-version $SYS route error', () => {
		const keys = Object.keys(full.warnings);
		expect(keys).toContain(
			'ERR <addr> - rid:N - Not possible to have a dedicated route for account "$SYS" between those servers',
		);
		expect(keys).toContain(
			`ERR <addr> - rid:N - Route Error 'Not possible to have a dedicated route for account "$SYS" between those servers'`,
		);
	});
});

describe('logs only (no process events): the reducer follows the servers by their own lines', () => {
	it('starts tracking each process from its banner and knows the leaders', () => {
		const run = 'ldm-2.15.1-default';
		const s = fold(mergedRun(run, { process: false }), initialLabState({ nodes: runNodes(run) }));
		expect(s.cluster.order.map((n) => s.cluster.nodes[n]?.version)).toEqual(['2.15.1', '2.15.1', '2.15.1']);
		expect(texts(s, 'leader')).toEqual(
			expect.arrayContaining(['meta leader n2 elected', 'meta leader n2 → n1 (42 ms without a leader)']),
		);
		expect(texts(s, 'lameDuck')).toContain('n2 entered lame duck mode');
	});
});
