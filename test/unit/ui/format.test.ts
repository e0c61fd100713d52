import { describe, expect, it } from 'vitest';
import {
	cell,
	clip,
	evidenceDetail,
	evidenceTag,
	processLook,
	progressBar,
	shortLogLine,
	sparkline,
} from '../../../src/ui/format.js';

describe('format', () => {
	it('shortens a real log line to time, level and text', () => {
		const raw = '[3462] 2026/11/26 00:41:34.103418 [INF] JetStream cluster new metadata leader: n2/lab';
		expect(shortLogLine(raw)).toBe('00:41:34.103 [INF] JetStream cluster new metadata leader: n2/lab');
		expect(shortLogLine('nats-server: t.conf:12:3: unknown field "pool_size"')).toBe(
			'nats-server: t.conf:12:3: unknown field "pool_size"',
		);
	});

	it('draws sparklines and progress bars of a fixed width', () => {
		expect(sparkline([0, 10, 20, 40])).toBe('▁▃▅█');
		expect(sparkline([0, 0])).toBe('▁▁');
		expect(sparkline([])).toBe('');
		expect(progressBar(0.5, 10)).toBe('█████░░░░░');
		expect(progressBar(null, 4)).toBe('░░░░');
	});

	it('gives every process state a symbol, and says how a process exited', () => {
		expect(processLook({ process: 'up', exit: null }).symbol).toBe('●');
		expect(processLook({ process: 'lameDuck', exit: null }).label).toBe('lame duck');
		expect(processLook({ process: 'exited', exit: { code: null, signal: 'SIGKILL', at: 0 } }).label).toBe(
			'exited SIGKILL',
		);
		expect(processLook({ process: 'exited', exit: { code: 1, signal: null, at: 0 } }).label).toBe(
			'exited code 1',
		);
	});

	it('names the evidence source', () => {
		expect(evidenceTag({ source: 'endpoint', node: 'n1', endpoint: 'jsz' })).toBe('/jsz');
		expect(evidenceTag({ source: 'log', node: 'n1', line: 'x' })).toBe('log');
		expect(
			evidenceDetail({ source: 'endpoint', node: 'n1', endpoint: 'jsz', detail: 'meta_cluster.leader' }),
		).toBe('n1 /jsz meta_cluster.leader');
	});

	it('clips and pads to exact widths', () => {
		expect(clip('abcdef', 4)).toBe('abc…');
		expect(cell('ab', 4)).toBe('ab  ');
		expect(cell('abcdef', 4)).toBe('abc…');
	});
});
