// Terminal, Markdown and progress-line forms of a report built from the recorded upgrade.
import { describe, expect, it } from 'vitest';
import { stepProgressLine } from '../../../src/rehearse/figures.js';
import {
	renderComparisonMarkdown,
	renderComparisonText,
	renderMarkdown,
	renderText,
} from '../../../src/rehearse/render.js';
import { buildReport } from '../../../src/rehearse/report.js';
import { replayUpgrade, upgradeReportInput } from './scenarios.js';

const run = replayUpgrade(1500);
const report = buildReport(upgradeReportInput({}, run));

/** Every row of every Markdown table has as many cells as its header. */
function tablesAreWellFormed(md: string): boolean {
	const rows = md.split('\n').filter((l) => l.startsWith('|'));
	const cells = (l: string) => l.replaceAll('\\|', '').split('|').length;
	let width = 0;
	for (const [i, row] of rows.entries()) {
		const prev = rows[i - 1];
		if (i === 0 || prev === undefined || !md.includes(`${prev}\n${row}`)) width = cells(row);
		else if (cells(row) !== width) return false;
	}
	return rows.length > 0;
}

describe('report rendering', () => {
	it('prints one progress line per step with every gate time', () => {
		const line = stepProgressLine(run.steps[1] ?? (undefined as never), 1500);
		// SIGTERM → exit 15 ms, exit → spawn 3 ms, mesh at +23 ms (events.log and n2.log).
		expect(line).toMatch(
			/^n2: 2\.9\.10 → 2\.10\.27: SIGTERM 0\.02 s → down 0\.00 s → mesh 0\.02 s → meta leader 0\.94 s → replica current 6\.2 s → healthy \(stable 1\.5 s\) 7\.6 s$/,
		);
		expect(stepProgressLine(run.steps[2] ?? (undefined as never), 1500)).toMatch(
			/^n3: 2\.9\.10 → 2\.10\.27 \(meta leader\): /,
		);
	});

	it('renders the terminal report with nodes, clients, JetStream, warnings and the verdict', () => {
		const text = renderText(report);
		expect(text).toContain(
			'natslab rehearsal: rolling upgrade 2.9.10 → 2.10.27, restart (SIGTERM), followers first, meta leader last',
		);
		expect(text).toMatch(/longest without stream leader\s+23 ms\s+6\.1 s\s+17 ms/);
		expect(text).toMatch(/version\s+2\.9\.10 → 2\.10\.27/);
		expect(text).toContain('JetStream: acked 2527, stored 2527, acked but missing 0');
		expect(text).toMatch(/3 × \[ERR\] <addr> - rid:N - Not possible to have a dedicated route/);
		expect(text).toMatch(/Verdict: PASS/);
		expect(text).not.toContain('counts as missing');
		const lossy = {
			...report,
			verdict: 'fail' as const,
			reasons: ['2 acked JetStream messages are missing from the stream'],
		};
		lossy.jetstream = { ...report.jetstream, ackedMissing: 2 };
		expect(renderText(lossy)).toContain(
			'an acked publish counts as missing when its msgID (Nats-Msg-Id) is nowhere in the stream',
		);
		// A msgID stored twice is its own finding beside the counts, not a loss.
		const twice = {
			...report,
			jetstream: {
				...report.jetstream,
				stored: 2528,
				storedMoreThanOnce: 1,
				duplicates: [{ msgId: 'r1-77', seqs: [177, 178], ackSeq: 178 }],
			},
		};
		expect(renderText(twice)).toContain(
			'acked but missing 0, timed out but stored 0; 1 msgID stored more than once: r1-77 at 177, 178 (acked 178);',
		);
		expect(renderText(twice)).not.toContain('counts as missing');
		expect(renderText(lossy)).toContain(
			'Verdict: FAIL — 2 acked JetStream messages are missing from the stream',
		);
	});

	it('renders well-formed Markdown, alone and side by side', () => {
		const md = renderMarkdown(report);
		expect(md.startsWith('# natslab rehearsal: rolling upgrade 2.9.10 → 2.10.27')).toBe(true);
		expect(md).toContain('**Verdict: PASS');
		expect(md).toContain('## WRN/ERR lines logged by the servers');
		expect(tablesAreWellFormed(md)).toBe(true);

		const kill = {
			...report,
			strategy: 'kill' as const,
			verdict: 'fail' as const,
			reasons: ['n3: healthy: not reached 90 s after the start'],
		};
		const both = renderComparisonMarkdown([report, kill]);
		expect(both).toMatch(/^# natslab rehearsal: 2\.9\.10 → 2\.10\.27, strategies side by side/);
		expect(both).toContain('| verdict | PASS | FAIL |');
		expect(both).toContain('### Nodes');
		expect(tablesAreWellFormed(both)).toBe(true);
		const text = renderComparisonText([report, kill]);
		expect(text).toMatch(/longest without stream leader\s+6\.1 s\s+6\.1 s/);
		expect(text).toContain('kill: FAIL — n3: healthy: not reached 90 s after the start');
		const twice = { ...kill, jetstream: { ...kill.jetstream, storedMoreThanOnce: 3 } };
		expect(renderComparisonText([report, twice])).toMatch(/msgIDs stored more than once\s+0\s+3/);
	});
});

describe('what ran, down, degraded', () => {
	const ran = {
		natslabVersion: '0.1.0',
		nodeCount: 3,
		binaries: [
			{
				version: '2.9.10',
				source: 'github',
				origin: 'https://github.com/nats-io/nats-server/releases',
				sha256: 'a'.repeat(64),
			},
		],
		lameDuck: { duration: '60s', gracePeriod: '8s', from: 'config' as const },
		config: {
			file: 'prod.conf',
			applied: { lame_duck_duration: '60s', max_payload: '2MB' },
			overridden: ['listen (line 3)'],
		},
		varzChecks: [{ key: 'max_payload', expected: '2MB', running: '2097152', ok: true }],
		streamsFile: 'streams.json',
		unsupportedFields: ['[0].config.mirror'],
		load: { rate: 25, sizeBytes: 512 },
		clientOptions: { reconnectTimeWait: 1000 },
	};
	const withRan = {
		...report,
		ran,
		degraded: ['4.5 s without a meta leader', '93 failed publishes (each retried with its msgID)'],
	};

	it('says what ran, what "down" means, and names degraded periods on a pass (text and Markdown)', () => {
		const text = renderText(withRan);
		expect(text).toContain('natslab 0.1.0, 3 nodes');
		expect(text).toContain(
			`nats-server 2.9.10: github (https://github.com/nats-io/nats-server/releases), sha256 ${'a'.repeat(64)}`,
		);
		expect(text).toContain(
			"lame duck: duration 60s, grace period 8s, from the config natslab wrote (these servers' /varz does not show them); production defaults are 2m / 10s",
		);
		expect(text).toContain("natslab's own values replaced yours for: listen (line 3)");
		expect(text).toContain('/varz max_payload: 2097152 (as configured)');
		expect(text).toContain('not reproduced: [0].config.mirror');
		expect(text).toContain('"down" is only the gap between the old process exiting and the new one starting');
		expect(text).toContain(
			'Verdict: PASS — every node passed its gates and no acked JetStream message was lost; degraded: 4.5 s without a meta leader, 93 failed publishes (each retried with its msgID)',
		);
		const md = renderMarkdown(withRan);
		expect(md).toContain('## What ran');
		expect(md).toContain('degraded: 4.5 s without a meta leader');
		expect(tablesAreWellFormed(md)).toBe(true);
	});
});
