// A recording natslab could not close normally still replays: a signal or a closed
// terminal ends natslab through the one cleanup path (lab/cleanup.ts), which now
// closes the recorder (end line, gzip trailer); and a .gz cut short anyway (a
// SIGKILL, a full disk) is read up to its last whole line instead of refused.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { runCleanups } from '../../../src/lab/cleanup.js';
import type { LabEvent } from '../../../src/observe/events.js';
import { initialLabState } from '../../../src/observe/reducer.js';
import { parseRecording, readRecording } from '../../../src/record/read.js';
import { Recorder } from '../../../src/record/recorder.js';
import { FakeLab } from '../../support/render.js';

const dir = mkdtempSync(join(tmpdir(), 'natslab-cut-short-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const note = (i: number): LabEvent => ({
	kind: 'note',
	at: i,
	text: `note number ${i} ${'x'.repeat(i % 50)}`,
});

describe('a recording cut short', () => {
	it('a gzip without its last blocks and trailer gives every whole line it holds', () => {
		const header = {
			natslabRecording: 1,
			natslab: '0',
			command: 'watch',
			mode: 'watch',
			recordedAt: '',
			nodes: ['w1'],
			addressBook: {},
			versions: { initial: '2.10.27', upgradeTo: null },
			terminal: null,
			lesson: null,
		};
		const lines = [JSON.stringify(header)];
		for (let i = 1; i <= 2000; i++) lines.push(JSON.stringify({ t: i, lab: note(i) }));
		const whole = gzipSync(`${lines.join('\n')}\n`);
		const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
		const rec = parseRecording('cut.jsonl.gz', cut);
		expect(rec.header.command).toBe('watch');
		expect(rec.entries.length).toBeGreaterThan(100);
		expect(rec.entries.length).toBeLessThan(2000);
		expect(rec.entries).toEqual(rec.entries.map((_, i) => ({ t: i + 1, kind: 'lab', event: note(i + 1) })));
	});

	it("natslab's cleanup path (a signal, a closed terminal) closes an open recorder: a whole gzip", async () => {
		const file = join(dir, 'stopped.jsonl.gz');
		let now = 5000;
		const recorder = await Recorder.open(file, { command: 'watch', mode: 'watch' }, { now: () => now++ });
		recorder.attachLab(
			new FakeLab(initialLabState({ nodes: ['w1'] }), { initial: '2.10.27', upgradeTo: null }),
		);
		for (let i = 1; i <= 50; i++) recorder.labEvent(note(i));
		await runCleanups();
		const bytes = readFileSync(file);
		expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
		const rec = await readRecording(file);
		expect(rec.entries.filter((e) => e.kind === 'lab')).toHaveLength(50);
		expect(rec.entries.at(-1)).toMatchObject({ kind: 'end', reason: 'natslab was stopped' });
	});
});
