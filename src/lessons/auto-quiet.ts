// `natslab learn --auto --quiet`: the lines a room reads off a projector at a
// workshop. One ✓/✗ line per lesson as it ends, and a last line that says
// whether the laptop is ready. Pure: a report in, strings out.

import { formatMs, formatTenths } from '../base/format.js';
import type { AutoReport, LessonReport } from './auto.js';

/** Where a lesson sits in the course: "4/9". */
export interface CoursePlace {
	order: number;
	total: number;
}

const ANSI = { green: '\x1b[32m', red: '\x1b[31m', reset: '\x1b[0m' };

function paint(text: string, colour: keyof typeof ANSI, color: boolean): string {
	return color ? `${ANSI[colour]}${text}${ANSI.reset}` : text;
}

/** What the lesson cost on the laptop: its cluster's set-up and its steps (as the long output's "passed in"). */
function lessonMs(report: LessonReport): number {
	return report.ms + report.setupMs;
}

/**
 * The failure's first clause, without the lesson id the line already shows:
 * "lose-quorum step 3 “…”: waited …; diagnosis …" → "step 3 “…”: waited …".
 */
export function firstClause(failure: string, id: string): string {
	const own = failure.startsWith(`${id}: `)
		? failure.slice(id.length + 2)
		: failure.startsWith(`${id} `)
			? failure.slice(id.length + 1)
			: failure;
	return (own.split('; ')[0] ?? own).trim();
}

/** "✓ 4/9 stop-the-meta-leader  13.2 s" or "✗ 5/9 lose-quorum  45.1 s  — step 3 …". */
export function lessonLine(report: LessonReport, place: CoursePlace, color = false): string {
	const head = `${place.order}/${place.total} ${report.id}  ${formatTenths(lessonMs(report))}`;
	if (report.status === 'done') return `${paint('✓', 'green', color)} ${head}`;
	if (report.status === 'skipped')
		return `– ${head}  — skipped: ${report.failure ? firstClause(report.failure, report.id) : 'not run'}`;
	const why = report.failure ? firstClause(report.failure, report.id) : report.status;
	return `${paint('✗', 'red', color)} ${head}  — ${why}`;
}

/** The versions the course ran on, in order, once each: "2.10.27, 2.9.10 → 2.10.27". */
export function versionsRun(reports: readonly LessonReport[]): string {
	const seen = reports.map((r) => (r.upgradeTo ? `${r.version} → ${r.upgradeTo}` : r.version));
	return [...new Set(seen)].join(', ');
}

/** A course total: "3 min 12 s" from a minute up, "48.3 s" below. */
function courseTime(ms: number): string {
	return ms >= 60_000 ? formatMs(ms) : formatTenths(ms);
}

/**
 * The last line: "natslab course: 9/9 passed in 3 min 12 s (nats-server 2.10.27, 2.9.10 → 2.10.27)"
 * or "natslab course: 4/9 passed — stopped at lose-quorum". `planned`: lessons the run was asked for.
 */
export function courseLine(report: AutoReport, planned: number, color = false): string {
	const passed = report.lessons.filter((l) => l.status === 'done').length;
	const skipped = report.lessons.filter((l) => l.status === 'skipped').map((l) => l.id);
	const head = `natslab course: ${passed}/${planned} passed${skipped.length > 0 ? `, skipped ${skipped.join(', ')}` : ''}`;
	if (report.ok) {
		const versions = versionsRun(report.lessons);
		return paint(
			`${head} in ${courseTime(report.ms)}${versions ? ` (nats-server ${versions})` : ''}`,
			'green',
			color,
		);
	}
	const stoppedAt = report.lessons.find((l) => l.status !== 'done' && l.status !== 'skipped');
	return paint(`${head} — stopped${stoppedAt ? ` at ${stoppedAt.id}` : ''}`, 'red', color);
}
