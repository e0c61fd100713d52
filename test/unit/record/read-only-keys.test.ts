// What a replay offers instead of a cluster's keys: the key bar and help of a
// read-only lab name no node key, the picker's w plays a shipped recording (only
// of a lesson that has one), and the replay bar says where the replay is.
import { describe, expect, it } from 'vitest';
import { loadCourse } from '../../../src/lessons/course.js';
import { helpEntries } from '../../../src/ui/components/HelpPanel.js';
import { keyBarItems } from '../../../src/ui/components/KeyBar.js';
import { replayPosition } from '../../../src/ui/components/ReplayBar.js';
import { pickerReducer } from '../../../src/ui/lesson/LessonPicker.js';

describe('read-only labs and replays', () => {
	it('the key bar and help offer no node key on a read-only lab, and do on a live one', () => {
		const live = keyBarItems(200, 3, true).map(([k]) => k);
		expect(live).toEqual(expect.arrayContaining(['r', 's', 'k', 'l', 'p', 'u', 'i']));
		const replay = keyBarItems(200, 3, true, 'replay').map(([k]) => k);
		for (const k of ['r', 's', 'k', 'l', 'p', 'u', 'i']) expect(replay).not.toContain(k);
		expect(replay).toEqual(expect.arrayContaining(['1-3', '?', 'q']));
		const help = helpEntries('2.10.27', 3, true, 'replay').map((e) => e.text);
		expect(help.some((t) => /^k\s+kill/.test(t) || /^l\s+lame duck/.test(t))).toBe(false);
		expect(help).toContain('replay: nothing here acts on a cluster (no node keys)');
		expect(help).toContain('n        replay: next change');
		// Quitting a watch or a replay stops no server (a watched cluster is not natslab's).
		for (const readOnly of ['replay', 'watching prod']) {
			const texts = helpEntries('2.10.27', 3, false, readOnly).map((e) => e.text);
			expect(texts.join('\n')).not.toContain('every server stops');
			expect(texts).toContain('q Ctrl-C quit (nothing on a cluster changes)');
		}
		expect(helpEntries('2.10.27', 3).map((e) => e.text)).toContain('q Ctrl-C quit: every server stops');
		expect(helpEntries('2.10.27', 3, true, 'watching lab').some((e) => e.text.includes('next change'))).toBe(
			false,
		);
	});

	it('w in the picker plays the recording of a lesson that has one, and does nothing otherwise', async () => {
		const lessons = await loadCourse();
		const s = { selected: 0, confirmReset: false, chosen: [] };
		const w = { ch: 'w', name: null };
		const id = lessons[0]?.id as string;
		const withRecording = pickerReducer(s, {
			type: 'key',
			key: w,
			ctx: { lessons, progress: {}, replayable: new Set([id]) },
		});
		expect(withRecording.chosen).toEqual([{ kind: 'replay', id }]);
		const without = pickerReducer(s, {
			type: 'key',
			key: w,
			ctx: { lessons, progress: {}, replayable: new Set() },
		});
		expect(without.chosen).toEqual([]);
	});

	it('the replay bar: file, position, length, speed, state, step', () => {
		expect(
			replayPosition({
				file: '/x/lame-duck.jsonl.gz',
				at: 12_400,
				duration: 83_000,
				speed: 2,
				playing: false,
				ended: false,
				step: { index: 1, count: 4 },
				steps: 5,
			}),
		).toBe('replay lame-duck.jsonl.gz · 12.4 s / 83.0 s · 2x · paused · step 2/4');
	});
});
