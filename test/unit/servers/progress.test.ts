import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressReporter, renderProgressLine } from '../../../src/servers/progress.js';
import type { DownloadProgress } from '../../../src/servers/types.js';

const URL_ =
	'https://github.com/nats-io/nats-server/releases/download/v2.10.27/nats-server-v2.10.27-linux-amd64.tar.gz';
const TOTAL = 6_000_000;

function at(received: number, extra: Partial<DownloadProgress> = {}): DownloadProgress {
	return {
		source: 'github',
		url: URL_,
		received,
		total: TOTAL,
		bytesPerSec: 1_500_000,
		done: false,
		...extra,
	};
}

function sink() {
	const s = new PassThrough();
	let text = '';
	s.on('data', (d: Buffer) => {
		text += d.toString();
	});
	return { s, text: () => text };
}

describe('renderProgressLine', () => {
	it('shows bar, percentage, bytes and rate when the size is known', () => {
		expect(renderProgressLine(at(3_000_000), { color: false, barWidth: 10 })).toBe(
			'github nats-server-v2.10.27-linux-amd64.tar.gz [█████░░░░░]  50%  3.0 MB / 6.0 MB  1.5 MB/s',
		);
	});

	it('shows bytes and rate only when the size is unknown', () => {
		expect(renderProgressLine(at(3_000_000, { total: null }), { color: false })).toBe(
			'github nats-server-v2.10.27-linux-amd64.tar.gz  3.0 MB  1.5 MB/s',
		);
	});

	it('colours only when asked', () => {
		expect(renderProgressLine(at(TOTAL), { color: true })).toContain('\x1b[32m');
		expect(renderProgressLine(at(TOTAL), { color: false })).not.toContain('\x1b[');
	});
});

describe('createProgressReporter', () => {
	it('redraws one line on a TTY and ends it with a newline', () => {
		const out = sink();
		const report = createProgressReporter(out.s, { isTTY: true, color: false });
		report(at(0));
		report(at(3_000_000));
		report(at(TOTAL, { done: true }));
		const text = out.text();
		expect(text.split('\r').length - 1).toBe(3);
		expect(text).toContain('\x1b[K');
		expect(text.endsWith('100%  6.0 MB / 6.0 MB  1.5 MB/s\x1b[K\n')).toBe(true);
		expect(text.split('\n')).toHaveLength(2);
	});

	it('ends a half-drawn bar when the download fails, and only then', () => {
		const out = sink();
		const report = createProgressReporter(out.s, { isTTY: true, color: false });
		report.breakLine();
		expect(out.text()).toBe('');
		report(at(1_000_000));
		report.breakLine();
		expect(out.text().endsWith('\x1b[K\n')).toBe(true);
		report(at(TOTAL, { done: true }));
		const before = out.text();
		report.breakLine();
		expect(out.text()).toBe(before);
	});

	it('writes plain lines at each quarter and at the end otherwise', () => {
		const out = sink();
		let now = 0;
		const report = createProgressReporter(out.s, { isTTY: false, color: false, now: () => now });
		for (let r = 0; r <= TOTAL; r += 300_000) {
			now += 100;
			report(at(r));
		}
		now = 4200;
		report(at(TOTAL, { done: true }));
		const name = 'github nats-server-v2.10.27-linux-amd64.tar.gz';
		expect(out.text()).toBe(
			[
				`${name}: downloading (6.0 MB)`,
				`${name}: 25% (1.5 MB, 1.5 MB/s)`,
				`${name}: 50% (3.0 MB, 1.5 MB/s)`,
				`${name}: 75% (4.5 MB, 1.5 MB/s)`,
				`${name}: done, 6.0 MB in 4.1 s`,
				'',
			].join('\n'),
		);
	});

	it('writes a plain line every few seconds when the size is unknown', () => {
		const out = sink();
		let now = 0;
		const report = createProgressReporter(out.s, {
			isTTY: false,
			color: false,
			plainEveryMs: 5000,
			now: () => now,
		});
		for (let i = 0; i <= 120; i++) {
			now = i * 100; // 12 s
			report(at(i * 10_000, { total: null }));
		}
		const lines = out.text().trim().split('\n');
		expect(lines[0]).toMatch(/: downloading \(size unknown\)$/);
		expect(lines.slice(1)).toEqual([
			'github nats-server-v2.10.27-linux-amd64.tar.gz: 500.0 kB (1.5 MB/s)',
			'github nats-server-v2.10.27-linux-amd64.tar.gz: 1.0 MB (1.5 MB/s)',
		]);
	});
});
