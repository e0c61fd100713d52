// A `watch --record` recording replays as the live watch showed it: the same
// reducer (reduceWatch: the made-up process events of presence.ts add no "pid 0"
// timeline entries) and the watched cluster's own name, on the replay screen and
// in --to-markdown. The events are real Presence output, recorded through the
// Recorder into a file and read back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../src/observe/events.js';
import { initialLabState } from '../../../src/observe/reducer.js';
import type { LabState } from '../../../src/observe/state.js';
import { recordingMarkdown } from '../../../src/record/markdown.js';
import { readRecording } from '../../../src/record/read.js';
import { Recorder } from '../../../src/record/recorder.js';
import { Replayer } from '../../../src/record/replayer.js';
import { Presence } from '../../../src/watch/presence.js';
import { reduceWatch } from '../../../src/watch/reduce.js';
import { FakeLab } from '../../support/render.js';

const dir = mkdtempSync(join(tmpdir(), 'natslab-watch-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('replay of a watch recording', () => {
	it('folds with the watch reducer and keeps the cluster name: the timeline is the live one', async () => {
		let now = 1_000_000;
		let live: LabState = initialLabState({ nodes: ['w1'], clusterName: 'prod', now });
		const lab = new FakeLab(live, { initial: '2.10.27', upgradeTo: null });
		(lab as FakeLab & { readOnly: string }).readOnly = 'watching prod';
		const file = join(dir, 'watch.jsonl');
		const recorder = await Recorder.open(file, { command: 'watch', mode: 'watch' }, { now: () => now });
		const emit = (e: LabEvent) => {
			recorder.labEvent(e);
			live = reduceWatch(live, e);
		};
		const presence = new Presence(emit, () => now);
		presence.saw(
			{ name: 'w1', serverId: 'NAAAAAAAAA1', version: '2.10.27', startedAt: 900_000, cluster: 'prod' },
			true,
		);
		recorder.attachLab(lab);
		now += 2000;
		presence.lameDuck('NAAAAAAAAA1');
		now += 2000;
		presence.shutdown('NAAAAAAAAA1');
		await recorder.close();

		const rec = await readRecording(file);
		expect(rec.header.clusterName).toBe('prod');
		const replay = new Replayer(rec);
		replay.seek(replay.end);
		const texts = (s: LabState) => s.timeline.map((t) => t.text);
		expect(texts(live)).toHaveLength(2);
		expect(texts(replay.state)).toEqual(texts(live));
		expect(texts(replay.state).join(' ')).not.toContain('pid 0');
		expect(replay.state.cluster.name).toBe('prod');
		expect(replay.state.cluster.nodes.w1?.process).toBe(live.cluster.nodes.w1?.process);

		const md = recordingMarkdown(rec);
		for (const text of texts(live)) expect(md).toContain(text);
		expect(md).not.toContain('pid 0');
		expect(md).not.toContain('quorum');
	});
});
