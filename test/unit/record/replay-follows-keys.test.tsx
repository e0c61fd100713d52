// A replay follows the keys the learner pressed on the live screen: a shipped
// recording (lesson 4 on 2.10.27) with key lines added as the recorder writes them
// ({t, key}) is drawn by the real dashboard fed by the real replayer. At each moment
// the replayed screen shows the selection and logs choice the live one had; a
// node's key pressed live acts on nothing and says nothing; seeking back starts the
// view again from the first and re-applies the keys up to there.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordEntry, Recording } from '../../../src/record/format.js';
import { readRecording } from '../../../src/record/read.js';
import { createReplay } from '../../../src/record/replay-lab.js';
import { shippedRecordingsDir } from '../../../src/record/shipped.js';
import { isViewKey, recordedPresses } from '../../../src/ui/replay-keys.js';
import { cleanup, waitForFrame } from '../../support/render.js';
import { replayScreen } from '../../support/replay-screen.js';

afterEach(() => cleanup());

const shipped = await readRecording(join(shippedRecordingsDir(), 'stop-the-meta-leader.jsonl.gz'));
const start =
	shipped.entries.find((e) => e.kind === 'probes' || e.kind === 'links' || e.kind === 'view')?.t ?? 0;

/** The shipped recording with `keys` pressed at `start + ms`. */
function withKeys(keys: [ms: number, key: string][]): Recording {
	const added: RecordEntry[] = keys.map(([ms, key]) => ({ t: start + ms, kind: 'key', key }));
	const entries = [...shipped.entries, ...added].sort((a, b) => a.t - b.t);
	return { ...shipped, entries };
}

const selected = (f: string) => /^│› \d (n\d)/m.exec(f)?.[1];
const logsTitle = (f: string) => /╭─ (?:▸ )?logs · ([^─]+?) ─/.exec(f)?.[1];

describe('a replay follows the keys pressed live', () => {
	it('shows the node selected and the logs chosen live, at their moments, and again after a seek back', async () => {
		// 2 selects n2, r would restart it (a node's key: never replayed), a shows n2's logs only.
		const rec = withKeys([
			[2000, '2'],
			[2100, 'r'],
			[3000, 'a'],
		]);
		const r = replayScreen(rec);
		const { replayer } = r;
		replayer.seek(start + 1000);
		let f = await waitForFrame(r.frame, (x) => selected(x) === 'n1', 'n1 selected before any key');
		expect(logsTitle(f)).toBe('all nodes');

		replayer.seek(start + 2500);
		f = await waitForFrame(r.frame, (x) => selected(x) === 'n2', 'n2 selected as it was live');
		expect(logsTitle(f)).toBe('all nodes');
		expect(f).not.toContain('no cluster to act on');
		expect(f).not.toMatch(/restarting/);

		replayer.seek(start + 3500);
		f = await waitForFrame(r.frame, (x) => logsTitle(x) === 'n2', "n2's logs only, as live");
		expect(selected(f)).toBe('n2');

		// Back before the keys: the first view again.
		replayer.seek(start + 1000);
		f = await waitForFrame(r.frame, (x) => selected(x) === 'n1', 'n1 again after seeking back');
		expect(logsTitle(f)).toBe('all nodes');

		// Back to between them: the keys up to there, re-applied.
		replayer.seek(start + 2500);
		f = await waitForFrame(r.frame, (x) => selected(x) === 'n2', 'n2 after seeking forward again');
		expect(logsTitle(f)).toBe('all nodes');
	});

	it('the replayer tells the keys from the dashboard on, and all of them again after a seek back', () => {
		const rec = withKeys([
			[-1, 'q'],
			[2000, '2'],
			[3000, 'tab'],
		]);
		const { replayer } = createReplay(rec);
		const told: { reset: boolean; keys: readonly string[] }[] = [];
		replayer.subscribeKeys((c) => told.push(c));
		replayer.seek(start + 3500);
		expect(replayer.keysSoFar()).toEqual(['2', 'tab']);
		replayer.seek(start + 2500);
		expect(replayer.keysSoFar()).toEqual(['2']);
		expect(told).toEqual([
			{ reset: false, keys: ['2', 'tab'] },
			{ reset: true, keys: ['2'] },
		]);
	});

	it('keeps the view keys of a recorded chunk and drops the node and quit keys', () => {
		const keep = (label: string) => recordedPresses(label).filter(isViewKey);
		expect(keep('2ra')).toEqual([
			{ ch: '2', name: null },
			{ ch: 'a', name: null },
		]);
		expect(keep('shift-tab')).toEqual([{ ch: '', name: 'shiftTab' }]);
		expect(keep('pageUp')).toEqual([{ ch: '', name: 'pageUp' }]);
		for (const gone of ['q', 'ctrl-c', 'k', 'i', 'u', 's', 'l', 'p', ' ', '>'])
			expect(keep(gone), gone).toEqual([]);
	});
});
