// `watch --record F` (or any --record) whose lab never came up (a wrong password,
// nothing listening): no header was written, so no reader would take the file.
// Nothing then says "recording written" and the header-less file is gone; a lab
// that came up is written and said so, once.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { initialLabState } from '../../../src/observe/reducer.js';
import { readRecording } from '../../../src/record/read.js';
import { closeRecorder } from '../../../src/record/recorded-lab.js';
import { Recorder } from '../../../src/record/recorder.js';
import { FakeLab } from '../../support/render.js';

const dir = mkdtempSync(join(tmpdir(), 'natslab-never-up-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function stderr() {
	const s = new PassThrough();
	let text = '';
	s.on('data', (c) => {
		text += String(c);
	});
	return { stream: s, text: () => text };
}

describe('closeRecorder', () => {
	it('a lab that never came up: no file, no "recording written"', async () => {
		const file = join(dir, 'failed.jsonl.gz');
		const recorder = await Recorder.open(file, { command: 'watch', mode: 'watch' });
		recorder.labEvent({ kind: 'note', at: 1, text: 'connecting' });
		const err = stderr();
		await closeRecorder(recorder, { stderr: err.stream });
		expect(err.text()).toBe('');
		expect(existsSync(file)).toBe(false);
	});

	it('a lab that came up: the file replays and one line says where it is', async () => {
		const file = join(dir, 'ok.jsonl');
		const recorder = await Recorder.open(file, { command: 'watch', mode: 'watch' });
		recorder.attachLab(
			new FakeLab(initialLabState({ nodes: ['w1'] }), { initial: '2.10.27', upgradeTo: null }),
		);
		const err = stderr();
		await closeRecorder(recorder, { stderr: err.stream });
		expect(err.text()).toBe(`natslab: recording written to ${file} (natslab replay ${file})\n`);
		expect((await readRecording(file)).header.command).toBe('watch');
	});
});
