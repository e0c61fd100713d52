// A replay follows the live link prompt: lesson 10's shipped recording (a lab with
// proxied links) with keys added as the recorder writes them. Live, "L2c" cut n1–n2
// and left n1 selected (the 2 chose the link's other end); the replayed screen must
// not select n2 for it, acts on nothing, and a later 3 still selects n3.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordEntry } from '../../../src/record/format.js';
import { readRecording } from '../../../src/record/read.js';
import { shippedRecordingsDir } from '../../../src/record/shipped.js';
import { cleanup, waitForFrame } from '../../support/render.js';
import { replayScreen } from '../../support/replay-screen.js';

afterEach(() => cleanup());

const shipped = await readRecording(join(shippedRecordingsDir(), 'partition.jsonl.gz'));
const linksAt = shipped.entries.find((e) => e.kind === 'links' && e.state !== null)?.t ?? 0;
const selected = (f: string) => /^│› \d (n\d)/m.exec(f)?.[1];

describe('a replay of a lab with proxied links', () => {
	it('does not take the keys of the live link prompt ("L2c") for a selection', async () => {
		expect(linksAt).toBeGreaterThan(0);
		const keys: [number, string][] = [
			[2000, 'L2c'],
			[3000, '3'],
		];
		const added: RecordEntry[] = keys.map(([ms, key]) => ({ t: linksAt + ms, kind: 'key', key }));
		const rec = { ...shipped, entries: [...shipped.entries, ...added].sort((a, b) => a.t - b.t) };
		const r = replayScreen(rec);
		const { replayer } = r;
		replayer.seek(linksAt + 1000);
		await waitForFrame(r.frame, (x) => selected(x) === 'n1' && x.includes('links '), 'n1 and the links line');

		replayer.seek(linksAt + 2500);
		await waitForFrame(
			r.frame,
			(x) => x.includes('links ') && replayer.keysSoFar().length === 1,
			'the L2c key',
		);
		expect(selected(r.frame())).toBe('n1');

		replayer.seek(linksAt + 3500);
		await waitForFrame(r.frame, (x) => selected(x) === 'n3', 'n3 selected by the 3 after the prompt closed');

		// Seeking back before the prompt and forward again follows it again.
		replayer.seek(linksAt + 1000);
		replayer.seek(linksAt + 2500);
		await waitForFrame(r.frame, () => replayer.keysSoFar().length === 1, 'the L2c key again');
		expect(selected(r.frame())).toBe('n1');
	});
});
