// Download progress for the command line: a redrawn bar on a terminal, a few
// plain lines otherwise (logs, CI). Rendering is pure; the reporter only
// decides when to write.
import { formatBytes, formatRate, formatTenths } from '../base/format.js';
import type { DownloadProgress } from './types.js';

/** Re-exported for the download messages; defined once in base/format.ts. */
export { formatBytes, formatRate };

/** Which file is being fetched: "github nats-server-v2.10.27-linux-amd64.tar.gz". */
export function progressLabel(p: DownloadProgress): string {
	const name = p.url.split(/[/\\]/).filter(Boolean).pop() ?? p.url;
	return `${p.source} ${decodeURIComponent(name)}`;
}

export function percent(p: DownloadProgress): number | null {
	if (p.total === null || p.total <= 0) return null;
	return Math.min(100, Math.floor((p.received / p.total) * 100));
}

const ANSI = { green: '\x1b[32m', dim: '\x1b[2m', reset: '\x1b[0m' };

/** One terminal line: label [█████░░░░░]  45%  2.0 MB / 4.5 MB  1.3 MB/s */
export function renderProgressLine(p: DownloadProgress, opts: { color: boolean; barWidth?: number }): string {
	const paint = (code: string, s: string) => (opts.color ? `${code}${s}${ANSI.reset}` : s);
	const pct = percent(p);
	const rate = paint(ANSI.dim, formatRate(p.bytesPerSec));
	if (pct === null) return `${progressLabel(p)}  ${formatBytes(p.received)}  ${rate}`;
	const width = opts.barWidth ?? 24;
	const filled = Math.round((pct / 100) * width);
	const done = filled > 0 ? paint(ANSI.green, '█'.repeat(filled)) : '';
	const bar = `[${done}${'░'.repeat(width - filled)}]`;
	const size = `${formatBytes(p.received)} / ${formatBytes(p.total ?? 0)}`;
	return `${progressLabel(p)} ${bar} ${String(pct).padStart(3)}%  ${size}  ${rate}`;
}

export interface ProgressReporterOptions {
	isTTY: boolean;
	color: boolean;
	/** Plain mode without a known size: a line every this many ms. */
	plainEveryMs?: number;
	now?: () => number;
}

/**
 * Returns an onProgress handler writing to `out`. TTY: one line redrawn in
 * place (\r + erase), finished with a newline. Plain: a start line, one per
 * 25 % step (or every few seconds when the size is unknown), and a done line.
 */
export interface ProgressReporter {
	(p: DownloadProgress): void;
	/** Ends a half-drawn TTY bar (a download that failed) so the next line starts clean. */
	breakLine(): void;
}

export function createProgressReporter(
	out: NodeJS.WritableStream,
	opts: ProgressReporterOptions,
): ProgressReporter {
	const now = opts.now ?? (() => Date.now());
	let open = false;
	const every = opts.plainEveryMs ?? 5000;
	let current = '';
	let started = 0;
	let lastLine = 0;
	let lastQuarter = 0;
	const report = (p: DownloadProgress) => {
		const key = `${p.source} ${p.url}`;
		if (key !== current) {
			current = key;
			started = now();
			lastLine = started;
			lastQuarter = 0;
			if (!opts.isTTY) {
				const size = p.total === null ? 'size unknown' : formatBytes(p.total);
				out.write(`${progressLabel(p)}: downloading (${size})\n`);
			}
		}
		if (opts.isTTY) {
			out.write(`\r${renderProgressLine(p, { color: opts.color })}\x1b[K${p.done ? '\n' : ''}`);
			open = !p.done;
			if (p.done) current = '';
			return;
		}
		if (p.done) {
			out.write(
				`${progressLabel(p)}: done, ${formatBytes(p.received)} in ${formatTenths(now() - started)}\n`,
			);
			current = '';
			return;
		}
		const pct = percent(p);
		if (pct !== null) {
			const quarter = Math.floor(pct / 25);
			if (quarter > lastQuarter && quarter < 4) {
				lastQuarter = quarter;
				lastLine = now();
				out.write(
					`${progressLabel(p)}: ${quarter * 25}% (${formatBytes(p.received)}, ${formatRate(p.bytesPerSec)})\n`,
				);
			}
		} else if (now() - lastLine >= every) {
			lastLine = now();
			out.write(`${progressLabel(p)}: ${formatBytes(p.received)} (${formatRate(p.bytesPerSec)})\n`);
		}
	};
	const breakLine = () => {
		if (open) out.write('\n');
		open = false;
		current = '';
	};
	return Object.assign(report, { breakLine });
}
