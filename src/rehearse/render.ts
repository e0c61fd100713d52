// The report as terminal text and as Markdown. Both come from the same tables
// (./figures.ts); the JSON form is the RehearsalReport object itself.

import { formatReportSeconds } from '../base/format.js';
import {
	clientTable,
	compareTable,
	coreLine,
	jetstreamLine,
	nodeTable,
	type Table,
	titleLine,
} from './figures.js';
import { DOWN_MEANS, ranLines, userStreamLines } from './render-ran.js';
import type { RehearsalReport } from './types.js';

/** Mesh, replica and /healthz times come from monitoring polls; meta leader usually from the node's own log. */
const RESOLUTION =
	"Mesh, replica and /healthz times are when natslab's monitoring polls first showed them (about 0.25 s apart, up to 1 s right after a start); the meta leader time usually comes from the node's own log line.";

function textTable(t: Table, indent = '  '): string {
	const all = [t.columns, ...t.rows];
	const widths = t.columns.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
	return all
		.map((row) => `${indent}${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd())
		.join('\n');
}

function mdCell(cell: string): string {
	return cell.replaceAll('|', '\\|');
}

function mdTable(t: Table): string {
	const head = `| ${t.columns.map(mdCell).join(' | ')} |`;
	const rule = `|${t.columns.map(() => ' --- ').join('|')}|`;
	return [head, rule, ...t.rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)].join('\n');
}

/** What "acked but missing" means, printed only when it is not 0 (the verifier's definition). */
function missingNote(r: RehearsalReport): string[] {
	if (!r.jetstream.ackedMissing) return [];
	return [
		'(an acked publish counts as missing when its msgID (Nats-Msg-Id) is nowhere in the stream, read back twice',
		' from the stream leader; "stored" counts every copy of this run\'s msgIDs, a msgID stored twice counts twice)',
	];
}

function verdictLine(r: RehearsalReport): string {
	const degraded = (r.degraded ?? []).length > 0 ? `; degraded: ${(r.degraded ?? []).join(', ')}` : '';
	if (r.verdict === 'pass')
		return `PASS — every node passed its gates and no acked JetStream message was lost${degraded}`;
	return `FAIL — ${r.reasons.join('; ')}${degraded}`;
}

/** A named server condition: what it is, what showed it, what fixes it. */
function diagnosisLines(r: RehearsalReport): string[] {
	return (r.diagnoses ?? []).flatMap((d) => [
		`${d.kind} on ${d.node}: ${d.summary} (a server condition, not a natslab fault)`,
		`  evidence: ${d.evidence.join(' · ')}`,
		`  recovery: ${d.hint}`,
	]);
}

function warningLines(r: RehearsalReport): string[] {
	return r.warnings.map((w) => `${w.count} × [${w.level}] ${w.text}${w.note ? `  (${w.note})` : ''}`);
}

export function renderText(r: RehearsalReport): string {
	const out = [
		`natslab rehearsal: ${titleLine(r)}`,
		`total ${formatReportSeconds(r.totalMs)}, upgrade ${formatReportSeconds(r.upgradeMs)} (first stop signal → last node through its gates)`,
		...(r.ran ? ['', 'What ran:', ...ranLines(r).map((l) => `  ${l}`)] : []),
		'',
		'Nodes (times after "down" count from the new process\'s start):',
		textTable(nodeTable(r)),
		`  ${DOWN_MEANS}`,
		`  ${RESOLUTION}`,
		'',
		'Clients:',
		r.clients.length > 0 ? textTable(clientTable(r)) : '  none ran',
		'',
		`JetStream: ${jetstreamLine(r)}`,
		...missingNote(r).map((l) => `  ${l}`),
		`Core NATS: ${coreLine(r)}`,
		...((r.userStreams ?? []).length > 0
			? ['', 'Your streams:', ...userStreamLines(r).map((l) => `  ${l}`)]
			: []),
		'',
		'WRN/ERR lines logged by the servers:',
		...(r.warnings.length > 0 ? warningLines(r).map((l) => `  ${l}`) : ['  none']),
		...((r.diagnoses ?? []).length > 0 ? ['', 'Diagnosis:', ...diagnosisLines(r).map((l) => `  ${l}`)] : []),
		'',
		`Verdict: ${verdictLine(r)}`,
	];
	return `${out.join('\n')}\n`;
}

export function renderMarkdown(r: RehearsalReport): string {
	const out = [
		`# natslab rehearsal: ${titleLine(r)}`,
		'',
		`**Verdict: ${verdictLine(r)}**`,
		'',
		...((r.diagnoses ?? []).length > 0
			? ['## Diagnosis', '', ...diagnosisLines(r).map((l) => `    ${l}`), '']
			: []),
		`Started ${r.startedAt}; total ${formatReportSeconds(r.totalMs)}, upgrade ${formatReportSeconds(r.upgradeMs)} (first stop signal → last node through its gates).`,
		'',
		...(r.ran ? ['## What ran', '', ...ranLines(r).map((l) => `- ${l.trim()}`), ''] : []),
		'## Nodes',
		'',
		`Times after "down" count from the new process's start. ${DOWN_MEANS} "/healthz ok for good" is the start of the ok streak the gate accepted. ${RESOLUTION}`,
		'',
		mdTable(nodeTable(r)),
		'',
		'## Clients',
		'',
		r.clients.length > 0 ? mdTable(clientTable(r)) : 'No client ran.',
		'',
		`- JetStream: ${jetstreamLine(r)}`,
		...missingNote(r).map((l) => `  ${l}`),
		`- Core NATS: ${coreLine(r)}`,
		...((r.userStreams ?? []).length > 0
			? ['', '## Your streams', '', ...userStreamLines(r).map((l) => `- ${l.trim()}`)]
			: []),
		'',
		'## WRN/ERR lines logged by the servers',
		'',
		...(r.warnings.length > 0
			? [
					mdTable({
						columns: ['count', 'level', 'line', 'note'],
						rows: r.warnings.map((w) => [String(w.count), w.level, `\`${w.text}\``, w.note ?? '']),
					}),
				]
			: ['None.']),
		'',
	];
	return `${out.join('\n')}\n`;
}

export function renderComparisonText(runs: RehearsalReport[]): string {
	const first = runs[0];
	const head = first
		? `natslab rehearsal: ${first.from} → ${first.to}, strategies side by side`
		: 'natslab rehearsal';
	const verdicts = runs.map((r) => `  ${r.strategy}: ${verdictLine(r)}`);
	return `${head}\n\n${textTable(compareTable(runs))}\n\n${verdicts.join('\n')}\n`;
}

export function renderComparisonMarkdown(runs: RehearsalReport[]): string {
	const first = runs[0];
	const parts = [
		`# natslab rehearsal: ${first ? `${first.from} → ${first.to}, ` : ''}strategies side by side`,
		'',
		mdTable(compareTable(runs)),
		'',
		...runs.map((r) =>
			renderMarkdown(r)
				.replace(/^# /, '## ')
				.replace(/^## (?!natslab)/gm, '### '),
		),
	];
	return `${parts.join('\n')}\n`;
}
