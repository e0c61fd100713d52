// `rehearse --repeat N`: the same rehearsal N times on fresh clusters. How
// often the path fails, the spread (min/median/max) of each figure, and each
// failure's reasons and named diagnosis (a one-way route, a stuck replica, no
// meta election: observe/diagnoses.ts). Pure.

import { formatReportMillis, formatReportSeconds } from '../base/format.js';
import type { DiagnosisNote } from '../observe/diagnoses.js';
import { median } from './report.js';
import type { RehearsalReport } from './types.js';

export interface FigureSpread {
	figure: string;
	min: number | null;
	median: number | null;
	max: number | null;
	/** How to print it. */
	unit: 'ms' | 'count';
}

export interface RepeatReport {
	schema: 'natslab.rehearsal-repeat/1';
	verdict: 'pass' | 'fail';
	runs: number;
	passed: number;
	figures: FigureSpread[];
	failures: { run: number; reasons: string[]; diagnoses: DiagnosisNote[] }[];
	reports: RehearsalReport[];
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const maxOr0 = (xs: (number | null)[]) => Math.max(0, ...xs.filter((x): x is number => x !== null));

/** Each figure of one run; null when the run never reached it. */
const FIGURES: { figure: string; unit: FigureSpread['unit']; of: (r: RehearsalReport) => number | null }[] = [
	{ figure: 'total time', unit: 'ms', of: (r) => r.totalMs },
	{ figure: 'upgrade (first signal → last gate)', unit: 'ms', of: (r) => r.upgradeMs },
	{ figure: 'longest signal → exit', unit: 'ms', of: (r) => maxOr0(r.nodes.map((n) => n.stopMs)) },
	{
		figure: 'longest start → gates passed',
		unit: 'ms',
		of: (r) => maxOr0(r.nodes.map((n) => n.gatePassedMs)),
	},
	{
		figure: 'time without a meta leader',
		unit: 'ms',
		of: (r) => sum(r.nodes.map((n) => n.metaLeaderlessMs)),
	},
	{
		figure: 'longest without stream leader',
		unit: 'ms',
		of: (r) => maxOr0(r.nodes.map((n) => n.streamLeaderlessMs)),
	},
	{ figure: 'client disconnects', unit: 'count', of: (r) => sum(r.clients.map((c) => c.disconnects)) },
	{ figure: 'max reconnect gap', unit: 'ms', of: (r) => maxOr0(r.clients.map((c) => c.reconnectGapMaxMs)) },
	{
		figure: 'failed publishes',
		unit: 'count',
		of: (r) =>
			sum(Object.values(r.jetstream.publishFailed)) +
			sum((r.userStreams ?? []).map((s) => sum(Object.values(s.failed)))),
	},
	{ figure: 'core messages lost', unit: 'count', of: (r) => r.core.lost },
	{
		figure: 'acked but missing',
		unit: 'count',
		of: (r) =>
			r.jetstream.ackedMissing === null
				? null
				: r.jetstream.ackedMissing + sum((r.userStreams ?? []).map((s) => s.verify?.ackedMissing ?? 0)),
	},
];

export function buildRepeat(reports: RehearsalReport[]): RepeatReport {
	const passed = reports.filter((r) => r.verdict === 'pass').length;
	return {
		schema: 'natslab.rehearsal-repeat/1',
		verdict: reports.length > 0 && passed === reports.length ? 'pass' : 'fail',
		runs: reports.length,
		passed,
		figures: FIGURES.map(({ figure, unit, of }) => {
			const values = reports.map(of).filter((v): v is number => v !== null);
			return {
				figure,
				unit,
				min: values.length > 0 ? Math.min(...values) : null,
				median: median(values),
				max: values.length > 0 ? Math.max(...values) : null,
			};
		}),
		failures: reports.flatMap((r, i) =>
			r.verdict === 'fail' ? [{ run: i + 1, reasons: r.reasons, diagnoses: r.diagnoses ?? [] }] : [],
		),
		reports,
	};
}

function cell(v: number | null, unit: FigureSpread['unit']): string {
	if (v === null) return '–';
	return unit === 'count' ? String(v) : v >= 10_000 ? formatReportSeconds(v) : formatReportMillis(v);
}

export function repeatLines(r: RepeatReport): string[] {
	const first = r.reports[0];
	const head = first
		? `natslab rehearsal ×${r.runs}: ${first.from} → ${first.to}, ${first.strategy}, ${first.ran?.nodeCount ?? first.nodes.length} nodes, each on a fresh cluster`
		: 'natslab rehearsal';
	const rows = [
		['figure', 'min', 'median', 'max'],
		...r.figures.map((f) => [f.figure, cell(f.min, f.unit), cell(f.median, f.unit), cell(f.max, f.unit)]),
	];
	const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
	const table = rows.map((row) => `  ${row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd());
	const failures = r.failures.flatMap((f) => [
		`  run ${f.run}: ${f.reasons.join('; ')}`,
		...f.diagnoses.map((d) => `    diagnosis ${d.kind} on ${d.node}: ${d.summary} → ${d.hint}`),
	]);
	const pct = r.runs > 0 ? Math.round((100 * r.passed) / r.runs) : 0;
	return [
		head,
		'',
		`Passed ${r.passed} of ${r.runs} (${pct} %)`,
		'',
		'Spread over the runs:',
		...table,
		...(failures.length > 0 ? ['', 'Failures:', ...failures] : []),
		'',
		`Verdict: ${r.verdict === 'pass' ? `PASS — all ${r.runs} runs passed` : `FAIL — ${r.runs - r.passed} of ${r.runs} runs failed`}`,
	];
}

export function renderRepeatText(r: RepeatReport): string {
	return `${repeatLines(r).join('\n')}\n`;
}

export function renderRepeatMarkdown(r: RepeatReport, single: (report: RehearsalReport) => string): string {
	const [head, ...rest] = repeatLines(r);
	const runs = r.reports.map((rep, i) =>
		single(rep)
			.replace(/^# natslab rehearsal: /, `## Run ${i + 1}: `)
			.replace(/^## (?!Run )/gm, '### '),
	);
	return `# ${head}\n\n\`\`\`\n${rest.join('\n').trim()}\n\`\`\`\n\n${runs.join('\n')}`;
}
