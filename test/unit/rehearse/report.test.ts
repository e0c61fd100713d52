// The report over the recorded 2.9.10 → 2.10.27 upgrade: per-node figures from
// the step tracker, the servers' WRN/ERR lines grouped, clients, the verdict.
import { describe, expect, it } from 'vitest';
import type { ClientEvent } from '../../../src/observe/events.js';
import { reduce } from '../../../src/observe/reducer.js';
import type { LabState } from '../../../src/observe/state.js';
import { buildComparison, buildReport, median, type ReportInput } from '../../../src/rehearse/report.js';
import { finishStep, startStep } from '../../../src/rehearse/step.js';
import { replayUpgrade, UPGRADE, UPGRADE_VERIFIED, upgradeReportInput } from './scenarios.js';

const run = replayUpgrade(1500);
const VERIFIED = UPGRADE_VERIFIED;

function input(over: Partial<ReportInput> = {}): ReportInput {
	return upgradeReportInput(over, run);
}

/**
 * Client status events as nats.js v3 reported them in the lame duck run of docs/nats-behavior.md §7
 * (v2.15.1, relative to the signal): `ldm` at +1041 ms, disconnect at +12640 ms, reconnect to
 * another server 5 ms later; and a second client disconnected at +11040, back at +11043.
 */
function withClients(state: LabState, t0: number): LabState {
	const ev = (
		probe: string,
		probeKind: ClientEvent['probeKind'],
		at: number,
		status: 'ldm' | 'disconnect' | 'reconnect',
		server: string,
	): ClientEvent => ({
		kind: 'client',
		probe,
		probeKind,
		at: t0 + at,
		type: 'status',
		status,
		server,
	});
	const events: ClientEvent[] = [
		ev('js-pub', 'js-pub', 1041, 'ldm', '127.0.0.1:4223'),
		ev('js-pub', 'js-pub', 12640, 'disconnect', '127.0.0.1:4223'),
		ev('js-pub', 'js-pub', 12645, 'reconnect', '127.0.0.1:4222'),
		ev('core-pub', 'core-pub', 1041, 'ldm', '127.0.0.1:4223'),
		ev('core-pub', 'core-pub', 11040, 'disconnect', '127.0.0.1:4223'),
		ev('core-pub', 'core-pub', 11043, 'reconnect', '127.0.0.1:4222'),
		{
			kind: 'client',
			probe: 'js-pub',
			probeKind: 'js-pub',
			at: t0 + 13000,
			type: 'counters',
			counters: {
				sent: 528,
				received: 0,
				lost: 0,
				duplicated: 0,
				acked: 527,
				failed: { timeout: 0, noResponders: 1, unavailable: 0, other: 0 },
				retried: 1,
				maxGapMs: 70,
				rate: 20,
			},
		},
	];
	return events.reduce(reduce, state);
}

describe('rehearsal report', () => {
	it('passes a clean upgrade and gives every node its figures and final version', () => {
		const r = buildReport(input());
		expect(r.verdict).toBe('pass');
		expect(r.reasons).toEqual([]);
		expect(r.nodes.map((n) => [n.node, n.step, n.initialVersion, n.finalVersion, n.upgraded])).toEqual([
			['n1', 1, '2.9.10', '2.10.27', true],
			['n2', 2, '2.9.10', '2.10.27', true],
			['n3', 3, '2.9.10', '2.10.27', true],
		]);
		const n1 = r.nodes[0];
		// events.log: SIGTERM 00:58:15.175, exited 00:58:15.197, new process spawned 00:58:15.201.
		expect(n1).toMatchObject({ signal: 'SIGTERM', stopMs: 22, downMs: 4, exit: { code: 1, signal: null } });
		expect(n1?.metaLeaderMs).toBe(
			Date.parse('2026-11-26T00:58:16.141Z') - Date.parse('2026-11-26T00:58:15.201Z'),
		);
		expect(n1?.gatePassedMs).toBe((n1?.healthyMs ?? 0) + 1500);
		expect(r.nodes[1]?.streamLeaderlessMs).toBe(6050);
		expect(r.nodes[2]).toMatchObject({
			wasMetaLeader: true,
			leaderChanges: { meta: 1, streams: 1, consumers: 1 },
		});
		expect(r.upgradeMs).toBe((run.steps[2]?.passedAt ?? 0) - (UPGRADE.sigterms[0]?.at ?? 0));
		expect(r.jetstream).toMatchObject({ verified: true, acked: 2527, ackedMissing: 0 });
	});

	it('groups the mixed-version route errors and says what they are', () => {
		const r = buildReport(input());
		const dedicated = r.warnings.filter((w) =>
			w.text.includes('Not possible to have a dedicated route for account "$SYS"'),
		);
		// Three on the 2.10.27 side, three `Route Error '…'` on the 2.9.10 side (n1.log, n2.log, n3.log).
		expect(dedicated.map((w) => [w.level, w.count])).toEqual([
			['ERR', 3],
			['ERR', 3],
		]);
		expect(dedicated[0]?.note).toMatch(/mixed 2\.9 ↔ 2\.10\+/);
		expect(dedicated[0]?.text).not.toMatch(/^ERR /);
		expect(dedicated[0]?.example).toMatch(/^\[\d+\] 2026\/11\/26 .*\[ERR\]/);
		const health = r.warnings.find((w) => w.text.startsWith('Healthcheck failed'));
		expect(health?.note).toMatch(/polls \/healthz/);
		// Sorted by count, largest first.
		expect(r.warnings.map((w) => w.count)).toEqual([...r.warnings.map((w) => w.count)].sort((a, b) => b - a));
	});

	it('fails on acked messages missing, on a missing verifier answer, on a gate failure and on setup', () => {
		expect(buildReport(input({ verify: { ...VERIFIED, ackedMissing: 2 } })).reasons).toEqual([
			'2 acked JetStream messages are missing from the stream',
		]);
		const noVerify = buildReport(input({ verify: null }));
		expect(noVerify.verdict).toBe('fail');
		expect(noVerify.jetstream.ackedMissing).toBeNull();
		expect(noVerify.reasons).toEqual(['the JetStream verifier gave no result']);

		const before = run.states.filter((s) => s.now < (UPGRADE.sigterms[0]?.at ?? 0)).at(-1) as LabState;
		const started = startStep(before, {
			node: 'n1',
			toVersion: '9.8.7',
			signal: 'ldm',
			actionAt: 1,
			streams: ['ORDERS'],
		});
		const failed = finishStep(started, 2, {
			gate: 'start',
			reason: 'n1 exited with code 1 during start: nothing in n1.log',
		});
		const broken = buildReport(input({ steps: [failed], state: before }));
		expect(broken.verdict).toBe('fail');
		expect(broken.reasons[0]).toBe(
			'n1: start on the new version: n1 exited with code 1 during start: nothing in n1.log',
		);
		expect(broken.nodes.map((n) => n.finalVersion)).toEqual(['2.9.10', '2.9.10', '2.9.10']);

		const setup = buildReport(
			input({ steps: [], state: null, verify: null, failure: 'setup: nats-server 9.9.9 not found' }),
		);
		expect(setup).toMatchObject({
			verdict: 'fail',
			reasons: ['setup: nats-server 9.9.9 not found'],
			nodes: [],
		});
	});

	it('does not pass a rehearsal in which no JetStream publish was ever acked', () => {
		const r = buildReport(input({ verify: { acked: 0, stored: 0, ackedMissing: 0, timedOutButStored: 0 } }));
		expect(r.verdict).toBe('fail');
		expect(r.reasons[0]).toMatch(/no JetStream publish was acked/);
	});

	it('reports each client: disconnects, lame duck notices, reconnect gaps, failures by kind', () => {
		const state = withClients(run.final, UPGRADE.end);
		const r = buildReport(input({ state }));
		const js = r.clients.find((c) => c.id === 'js-pub');
		expect(js).toMatchObject({
			kind: 'js-pub',
			disconnects: 1,
			ldmNotices: 1,
			reconnectGapMaxMs: 5,
			reconnectGapMedianMs: 5,
		});
		expect(js?.failed).toEqual({ timeout: 0, noResponders: 1, unavailable: 0, other: 0 });
		expect(r.clients.find((c) => c.id === 'core-pub')?.reconnectGapMaxMs).toBe(3);
		expect(r.jetstream).toMatchObject({ published: 528, publishFailed: { noResponders: 1 }, retried: 1 });
	});

	it('computes medians and a comparison verdict', () => {
		expect(median([])).toBeNull();
		expect(median([13, 2, 5])).toBe(5);
		expect(median([2, 4, 8, 16])).toBe(6);
		const pass = buildReport(input());
		const fail = buildReport(input({ strategy: 'kill', verify: { ...VERIFIED, ackedMissing: 1 } }));
		expect(buildComparison([pass, pass]).verdict).toBe('pass');
		expect(buildComparison([pass, fail]).verdict).toBe('fail');
		expect(buildComparison([]).verdict).toBe('fail');
	});
});
