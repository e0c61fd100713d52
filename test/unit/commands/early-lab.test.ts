// startLabEarly: the Lab starts before the screen; the screen then gets every setup
// event in order, its abort reaches the Lab, and a Lab no screen took is shut down.

import { describe, expect, it } from 'vitest';
import { startLabEarly } from '../../../src/commands/early-lab.js';
import type { Lab, SetupEvent } from '../../../src/lab/types.js';
import type { LabHooks } from '../../../src/ui/run.js';

/** A createLab whose progress and outcome the test drives. */
function scripted() {
	let hooks: LabHooks | null = null;
	let resolveLab: (lab: Lab) => void = () => {};
	let rejectLab: (err: Error) => void = () => {};
	let shutdowns = 0;
	const lab = { shutdown: async () => void shutdowns++ } as unknown as Lab;
	const create = (h: LabHooks) => {
		hooks = h;
		return new Promise<Lab>((res, rej) => {
			resolveLab = res;
			rejectLab = rej;
		});
	};
	return {
		create,
		lab,
		say: (e: SetupEvent) => hooks?.onSetup(e),
		signal: () => hooks?.signal,
		resolve: () => resolveLab(lab),
		reject: (err: Error) => rejectLab(err),
		shutdowns: () => shutdowns,
	};
}

const node = (n: string, phase: 'starting' | 'up'): SetupEvent => ({ type: 'node', node: n, phase });

function screenHooks() {
	const seen: SetupEvent[] = [];
	const abort = new AbortController();
	return { seen, abort, hooks: { onSetup: (e: SetupEvent) => seen.push(e), signal: abort.signal, env: {} } };
}

describe('startLabEarly', () => {
	it('starts the lab at once and gives the screen the setup events so far, then the rest, in order', async () => {
		const s = scripted();
		const early = startLabEarly(s.create, {});
		expect(s.signal()).toBeDefined();
		s.say(node('n1', 'starting'));
		s.say(node('n2', 'starting'));
		const screen = screenHooks();
		const taken = early.createLab(screen.hooks);
		s.say(node('n1', 'up'));
		expect(screen.seen).toEqual([node('n1', 'starting'), node('n2', 'starting'), node('n1', 'up')]);
		expect(early.upNow()).toBeNull();
		s.resolve();
		expect(await taken).toBe(s.lab);
		expect(early.upNow()).toBe(s.lab);
		await early.discard();
		expect(s.shutdowns()).toBe(0);
	});

	it("passes the screen's abort (q during setup) on to the lab", () => {
		const s = scripted();
		const early = startLabEarly(s.create, {});
		const screen = screenHooks();
		void early.createLab(screen.hooks).catch(() => {});
		expect(s.signal()?.aborted).toBe(false);
		screen.abort.abort();
		expect(s.signal()?.aborted).toBe(true);
	});

	it('says when the servers are being spawned, a download begins or the start ended (then the screen loads)', async () => {
		const settled = (p: Promise<void>) =>
			Promise.race([p.then(() => true), new Promise((r) => setImmediate(() => r(false)))]);
		const s = scripted();
		const early = startLabEarly(s.create, {});
		s.say({ type: 'binary', version: '2.9.10', phase: 'cached' });
		expect(await settled(early.spawning())).toBe(false);
		s.say(node('n1', 'starting'));
		expect(await settled(early.spawning())).toBe(true);

		const d = scripted();
		const downloading = startLabEarly(d.create, {});
		d.say({ type: 'binary', version: '2.10.27', phase: 'downloading' });
		expect(await settled(downloading.spawning())).toBe(true);

		const f = scripted();
		const failing = startLabEarly(f.create, {});
		f.reject(new Error('no such version'));
		expect(await settled(failing.spawning())).toBe(true);
	});

	it('shuts down a lab that no screen took', async () => {
		const s = scripted();
		const early = startLabEarly(s.create, {});
		s.resolve();
		await early.discard();
		expect(s.signal()?.aborted).toBe(true);
		expect(s.shutdowns()).toBe(1);
	});

	it('keeps a failure for the screen that takes the lab', async () => {
		const s = scripted();
		const early = startLabEarly(s.create, {});
		s.reject(new Error('port 26400 is in use'));
		await new Promise((r) => setImmediate(r));
		await expect(early.createLab(screenHooks().hooks)).rejects.toThrow('port 26400 is in use');
	});
});
