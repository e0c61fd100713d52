// A command's lab factory with --record tapped in: events from the lab's first one
// (before it resolves) are kept, the recording ends when the lab starts shutting
// down (a replay ends on what the screen last showed), and a command that builds
// several labs (rehearse --compare) writes one file each: x.jsonl.gz, x.2.jsonl.gz.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CreateLabOptions } from '../../../src/lab/lab.js';
import type { Lab } from '../../../src/lab/types.js';
import { initialLabState } from '../../../src/observe/reducer.js';
import { readRecording } from '../../../src/record/read.js';
import { recordEachLab } from '../../../src/record/recorded-lab.js';
import { FakeLab } from '../../support/render.js';

const dir = mkdtempSync(join(tmpdir(), 'natslab-recorded-lab-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A lab factory that emits a spawn before it resolves and a note while it shuts down. */
async function create(opts: Pick<CreateLabOptions, 'onLabEvent'>): Promise<Lab> {
	opts.onLabEvent?.({ kind: 'process', node: 'n1', at: 1, type: 'spawned', pid: 9, version: '2.10.27' });
	const lab = new FakeLab(initialLabState({ nodes: ['n1'] }));
	const shutdown = lab.shutdown.bind(lab);
	lab.shutdown = async () => {
		opts.onLabEvent?.({ kind: 'note', at: 2, text: 'stopping every server' });
		await shutdown();
	};
	return lab;
}

describe('recordEachLab', () => {
	it('one file per lab, each from its first event to its shutdown', async () => {
		const stderr: string[] = [];
		const io = { stderr: { write: (s: string) => stderr.push(s) } as unknown as NodeJS.WritableStream };
		const rec = recordEachLab(
			create,
			join(dir, 'run.jsonl.gz'),
			{ command: 'rehearse', mode: 'rehearse' },
			io,
		);
		const labs = [await rec.create({}), await rec.create({})];
		for (const lab of labs) await lab.shutdown();
		await rec.close();
		expect(existsSync(join(dir, 'run.jsonl.gz'))).toBe(true);
		expect(existsSync(join(dir, 'run.2.jsonl.gz'))).toBe(true);
		for (const file of ['run.jsonl.gz', 'run.2.jsonl.gz']) {
			const r = await readRecording(join(dir, file));
			expect(r.header.command).toBe('rehearse');
			expect(r.entries.map((e) => e.kind)).toEqual(['lab', 'end']);
			expect(r.entries.at(-1)).toMatchObject({ kind: 'end', reason: 'the lab shut down' });
		}
		expect(stderr.join('')).toContain('natslab replay');
	});
});
