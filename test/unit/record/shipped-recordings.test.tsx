// The recordings natslab ships (assets/recordings, made by scripts/make-recordings.mjs
// on real runs) replayed to their end with no nats-server at all: an empty
// NATSLAB_HOME, nothing started, nothing fetched. Each must end on its lesson's
// recap with the leaders named, on the same screen the live run drew, and stay small.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { courseDir, loadCourse } from '../../../src/lessons/course.js';
import { initialLabState, reduce } from '../../../src/observe/reducer.js';
import { readRecording } from '../../../src/record/read.js';
import { createReplay } from '../../../src/record/replay-lab.js';
import { shippedRecordingIds, shippedRecordingsDir } from '../../../src/record/shipped.js';
import { Dashboard } from '../../../src/ui/components/Dashboard.js';
import { makeLessonHost } from '../../../src/ui/lesson/LessonHost.js';
import { cleanup, renderWithProviders, waitForFrame } from '../../support/render.js';

const home = mkdtempSync(join(tmpdir(), 'natslab-replay-home-'));
const savedHome = process.env.NATSLAB_HOME;
process.env.NATSLAB_HOME = home;
afterEach(() => cleanup());
afterAll(() => {
	// Assigning undefined would store the string "undefined" (the unit files share a process).
	if (savedHome === undefined) delete process.env.NATSLAB_HOME;
	else process.env.NATSLAB_HOME = savedHome;
	rmSync(home, { recursive: true, force: true });
});

describe('shipped lesson recordings', async () => {
	const ids = shippedRecordingIds();
	const lessons = await loadCourse(courseDir());

	it('there is one for every lesson of the course, each of a lesson of the course, each small', () => {
		const every = lessons.map((l) => l.id);
		expect(every.length).toBeGreaterThanOrEqual(9);
		expect(ids).toEqual(expect.arrayContaining(every));
		for (const id of ids) {
			expect(lessons.map((l) => l.id)).toContain(id);
			expect(statSync(join(shippedRecordingsDir(), `${id}.jsonl.gz`)).size).toBeLessThan(300 * 1024);
		}
	});

	it.each(ids)(
		'%s plays to its recap with the leaders named, with no binary and nothing started',
		async (id) => {
			const recording = await readRecording(join(shippedRecordingsDir(), `${id}.jsonl.gz`));
			expect(recording.header.lesson?.id).toBe(id);
			const replay = createReplay(recording);
			const { replayer, lab } = replay;
			replayer.seek(replayer.end);
			const s = lab.getState();
			// The same reducer over the same events: the state is the events folded, nothing else.
			const folded = recording.entries.reduce(
				(st, e) => (e.kind === 'lab' ? reduce(st, e.event) : st),
				initialLabState({ nodes: recording.header.nodes, addressBook: recording.header.addressBook }),
			);
			expect(s).toEqual(folded);
			expect(replay.lesson?.view.phase).toBe('finished');
			expect(replay.lesson?.view.recap.length).toBeGreaterThan(0);
			const leader = s.cluster.meta.leader;
			expect(leader).not.toBeNull();

			const session = replay.lesson;
			if (!session) throw new Error('no lesson');
			const Host = makeLessonHost({ getSession: () => session, onFinished: () => {} });
			const screen = renderWithProviders(
				<Host
					render={(slot) => <Dashboard mode={recording.header.mode} lesson={slot} onQuit={() => {}} />}
				/>,
				{ lab, clock: replayer.clock, size: { cols: 100, rows: 40 } },
			);
			const frame = await waitForFrame(
				screen.frame,
				(f) => f.includes('Recap – what your cluster measured'),
				'the recap on screen',
			);
			expect(frame).toContain(`meta leader ${leader}`);
			expect(frame).toContain(`lesson ${recording.header.lesson?.order}/`);
			// Read-only: the key bar offers no node keys.
			expect(frame).not.toMatch(/k kill/);
			// No binary was fetched and no cluster was made for it (the course's parse cache is all).
			expect(readdirSync(home).filter((f) => f !== 'cache')).toEqual([]);
			expect(existsSync(join(home, 'cache', 'servers'))).toBe(false);
		},
	);
});
