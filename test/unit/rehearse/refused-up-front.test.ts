// What the servers would refuse only after the downloads, refused before anything starts (exit 2):
// a --size no message may have (review B #11), streams whose subjects overlap (#12).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRunInputs } from '../../../src/rehearse/inputs.js';
import { parseStreamsFile } from '../../../src/rehearse/streams-file.js';
import { refusal } from './refusal.js';

const dir = mkdtempSync(join(tmpdir(), 'natslab-refused-'));
function file(name: string, text: string): string {
	const path = join(dir, name);
	writeFileSync(path, text);
	return path;
}

const base = { nodes: 3 as const, configFile: null, clientOptionsFile: null, rate: 20 };

describe('--size against what the servers take', () => {
	const streams = file('s.json', JSON.stringify({ name: 'PAY', subjects: ['pay.>'] }));

	it('refuses a size above the default max_payload (1MB), naming both values', () => {
		const r = refusal(() => loadRunInputs({ ...base, streamsFile: streams, size: 2_000_000 }));
		expect(r.message).toMatch(
			/^--size 2000000 does not fit the servers' default max_payload \(1MB, 1048576 bytes\)/,
		);
		expect(r.exitCode).toBe(2);
		expect(loadRunInputs({ ...base, streamsFile: streams, size: 1_000_000 }).load?.sizeBytes).toBe(1_000_000);
	});

	it("refuses a size above --config's max_payload (K is 1000 bytes, as the servers read it)", () => {
		const configFile = file('c.conf', 'max_payload: 8K\n');
		const r = refusal(() => loadRunInputs({ ...base, streamsFile: streams, configFile, size: 8000 }));
		expect(r.message).toMatch(/^--size 8000 does not fit max_payload 8K of --config \(8000 bytes\)/);
		expect(loadRunInputs({ ...base, streamsFile: streams, configFile, size: 4000 }).config?.options).toEqual({
			max_payload: '8K',
		});
	});

	it("refuses a size above a stream's max_msg_size", () => {
		const small = file('m.json', JSON.stringify({ name: 'SMALL', subjects: ['small'], max_msg_size: 512 }));
		const r = refusal(() => loadRunInputs({ ...base, streamsFile: small, size: 500 }));
		expect(r.message).toMatch(/^--size 500 does not fit stream SMALL's max_msg_size 512/);
		expect(r.exitCode).toBe(2);
		expect(loadRunInputs({ ...base, streamsFile: small, size: 128 }).streams?.streams[0]?.name).toBe('SMALL');
	});
});

describe('--streams whose subjects overlap', () => {
	it("refuses wildcard forms that overlap the lab stream's orders.>", () => {
		for (const subject of ['*.>', '*.*', '*.created', '>', 'orders.*.x']) {
			const r = refusal(() =>
				parseStreamsFile(JSON.stringify({ name: 'X', subjects: ['a.b', subject] }), 'f', 3),
			);
			expect(r.message).toBe(`--streams f: subjects[1]: ${subject} overlaps natslab's lab stream (orders.>)`);
			expect(r.exitCode).toBe(2);
		}
		expect(
			parseStreamsFile(JSON.stringify({ name: 'X', subjects: ['orders', 'a.*.b'] }), 'f', 3).streams,
		).toHaveLength(1);
	});

	it('refuses two streams of the file that overlap each other', () => {
		const two = [
			{ name: 'A', subjects: ['pay.eu.>'] },
			{ name: 'B', subjects: ['audit', 'pay.*.card'] },
		];
		const r = refusal(() => parseStreamsFile(JSON.stringify(two), 'f', 3));
		expect(r.message).toBe(
			'--streams f: [1].subjects[1]: pay.*.card overlaps pay.eu.> of stream A (the servers refuse overlapping streams)',
		);
		expect(r.exitCode).toBe(2);
	});
});
