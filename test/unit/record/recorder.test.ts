// The recorder and the reader together: what a lab emitted (and the lesson panel,
// the probes' start-up, the keys) comes back from the file as it went in — polls
// that repeated and lesson views written as changes made whole again — with no
// URL password in the file, and a size limit that stops the recording with a note.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { Lab, ProbeStartup } from '../../../src/lab/types.js';
import { blankStep, type LessonView } from '../../../src/lessons/view.js';
import type { LabEvent } from '../../../src/observe/events.js';
import { initialLabState } from '../../../src/observe/reducer.js';
import { parseRecording, readRecording } from '../../../src/record/read.js';
import { Recorder } from '../../../src/record/recorder.js';
import { FakeLab } from '../../support/render.js';

const dir = mkdtempSync(join(tmpdir(), 'natslab-record-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeLab(): FakeLab & { probe: (s: ProbeStartup) => void } {
	const lab = new FakeLab(
		initialLabState({ nodes: ['n1', 'n2', 'n3'], addressBook: { '127.0.0.1:4222': 'n1' } }),
		{ initial: '2.10.27', upgradeTo: null },
	) as FakeLab & { probe: (s: ProbeStartup) => void };
	let probes: ProbeStartup = { phase: 'stream' };
	const listeners = new Set<(s: ProbeStartup) => void>();
	lab.probeStartup = {
		getState: () => probes,
		subscribe: (l) => {
			listeners.add(l);
			return () => listeners.delete(l);
		},
	};
	lab.probe = (s) => {
		probes = s;
		for (const l of listeners) l(s);
	};
	return lab;
}

const varz = (at: number, connections: number): LabEvent => ({
	kind: 'poll',
	node: 'n1',
	at,
	ok: true,
	endpoint: 'varz',
	data: { version: '2.10.27', serverName: 'n1', uptime: '1s', connections, serverId: 'NABC' },
});

function view(over: Partial<LessonView>): LessonView {
	return {
		lesson: { id: 'lame-duck', title: 'Lame duck mode', order: 6, total: 9 },
		stepIndex: 0,
		stepCount: 4,
		stepTitle: 'Drain',
		prose: 'A long text that every view repeats.',
		phase: 'waiting',
		...blankStep(),
		recap: [],
		message: null,
		keys: '',
		...over,
	};
}

describe('a recording read back', () => {
	it.each(['plain.jsonl', 'zipped.jsonl.gz'])(
		'%s: the same events, views, probes and keys, in order',
		async (name) => {
			const file = join(dir, name);
			let t = 1000;
			const rec = await Recorder.open(
				file,
				{
					command: 'learn',
					mode: 'lesson 6',
					lesson: { id: 'lame-duck', title: 'Lame duck mode', order: 6, total: 9 },
				},
				{ now: () => t++ },
			);
			const lab = fakeLab();
			const events: LabEvent[] = [
				{ kind: 'process', node: 'n1', at: 990, type: 'spawned', pid: 7, version: '2.10.27' },
				varz(995, 1),
				varz(1500, 1),
				varz(2000, 2),
				{ kind: 'note', at: 2100, text: 'client at nats://alice:s3cret@127.0.0.1:4222 connected' },
			];
			// The first event arrives before the lab is up (createLab has not resolved): it waits for the header.
			rec.labEvent(events[0] as LabEvent);
			rec.attachLab(lab as unknown as Lab);
			for (const e of events.slice(1)) rec.labEvent(e);
			let current = view({ waits: [{ text: 'x', status: 'y', met: false, elapsedMs: 0, timeoutMs: 5 }] });
			const viewListeners = new Set<(v: LessonView) => void>();
			rec.attachLesson({
				view: current,
				subscribe: (l) => {
					viewListeners.add(l);
					return () => viewListeners.delete(l);
				},
			});
			current = view({ phase: 'stepDone', waits: [] });
			for (const l of viewListeners) l(current);
			lab.probe({ phase: 'running' });
			rec.key('k');
			rec.mark('here');
			await rec.close();

			const raw = readFileSync(file);
			const text = (name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
			expect(text).not.toContain('s3cret');
			expect(text).not.toContain('alice');
			// A poll that answered the same as the one before is one short line; the prose is written once.
			expect(text.split('\n').filter((l) => l.includes('"same"'))).toHaveLength(1);
			expect(text.split('A long text').length - 1).toBe(1);

			const r = await readRecording(file);
			expect(r.header).toMatchObject({
				natslabRecording: 1,
				command: 'learn',
				nodes: ['n1', 'n2', 'n3'],
				addressBook: { '127.0.0.1:4222': 'n1' },
				versions: { initial: '2.10.27', upgradeTo: null },
				lesson: { id: 'lame-duck' },
			});
			const labEvents = r.entries.flatMap((e) => (e.kind === 'lab' ? [e.event] : []));
			expect(labEvents.slice(0, 4)).toEqual(events.slice(0, 4));
			expect(labEvents[4]).toEqual({
				kind: 'note',
				at: 2100,
				text: 'client at nats://127.0.0.1:4222 connected',
			});
			const views = r.entries.flatMap((e) => (e.kind === 'view' ? [e.view] : []));
			expect(views).toHaveLength(2);
			expect(views[1]).toMatchObject({
				phase: 'stepDone',
				waits: [],
				prose: 'A long text that every view repeats.',
			});
			expect(
				r.entries.filter((e) => e.kind === 'probes').map((e) => (e.kind === 'probes' ? e.state.phase : '')),
			).toEqual(['stream', 'running']);
			expect(r.entries.map((e) => e.kind).slice(-3)).toEqual(['key', 'mark', 'end']);
			// natslab's clock stamps every line, in the order things happened.
			const ts = r.entries.map((e) => e.t);
			expect([...ts].sort((a, b) => a - b)).toEqual(ts);
		},
	);

	it('past its size limit it stops, says so on the timeline, and the file still reads', async () => {
		const file = join(dir, 'limited.jsonl');
		const stopped: string[] = [];
		const rec = await Recorder.open(
			file,
			{ command: 'sandbox', mode: 'sandbox' },
			{
				limitBytes: 2000,
				onStopped: (why) => stopped.push(why),
			},
		);
		const lab = fakeLab();
		rec.attachLab(lab as unknown as Lab);
		for (let i = 0; i < 100; i++) rec.labEvent(varz(1000 + i, i));
		await rec.close();
		expect(stopped).toHaveLength(1);
		expect(stopped[0]).toMatch(/recording stopped at .* MB \(the size limit\)/);
		expect(lab.emitted.at(-1)).toMatchObject({ kind: 'note', text: stopped[0] });
		expect(readFileSync(file).length).toBeLessThan(2600);
		const r = await readRecording(file);
		expect(r.entries.at(-1)).toMatchObject({ kind: 'end', reason: stopped[0] });
	});

	it('refuses what is not a recording with one line, exit 2', async () => {
		const notOne = join(dir, 'notes.txt');
		writeFileSync(notOne, 'hello\n');
		await expect(readRecording(notOne)).rejects.toMatchObject({
			exitCode: 2,
			message: expect.stringMatching(/is not a natslab recording/),
		});
		const future = Buffer.from(
			`${JSON.stringify({ natslabRecording: 99, natslab: '9.0.0', nodes: [], versions: {} })}\n`,
		);
		expect(() => parseRecording('future.jsonl', future)).toThrow(/format 99, made by natslab 9.0.0/);
		await expect(readRecording(join(dir, 'missing.jsonl'))).rejects.toMatchObject({ exitCode: 3 });
	});

	it('a bad --record path fails before anything starts (exit 3, the path named)', async () => {
		await expect(
			Recorder.open(join(dir, 'no', 'such', 'x.jsonl'), { command: 'sandbox', mode: 'sandbox' }),
		).rejects.toMatchObject({
			exitCode: 3,
			message: expect.stringContaining('does not exist'),
		});
	});
});
