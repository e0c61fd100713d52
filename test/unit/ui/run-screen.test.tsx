// runScreen end to end on fake TTY streams and a scripted createLab (the setup
// events are the Lab's real event shapes; the Lab is a FakeLab holding a state
// from a real run). Real clusters are the e2e test's job.

import { afterAll, describe, expect, it } from 'vitest';

// With CI set, Ink draws nothing until exit (is-in-ci is read when Ink loads).
const saved = vi.hoisted(() => {
	const before = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
	delete process.env.CI;
	delete process.env.CONTINUOUS_INTEGRATION;
	return before;
});

import { vi } from 'vitest';
import { UserError } from '../../../src/base/errors.js';
import { waitUntil } from '../../../src/base/wait.js';
import type { Lab } from '../../../src/lab/types.js';
import { type LabHooks, runScreen, type ScreenIo } from '../../../src/ui/run.js';
import { fakeIo, strip } from '../../support/fake-tty.js';
import { FakeLab } from '../../support/render.js';
import { stateAt } from './replay.js';

afterAll(() => {
	for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
});

async function until(pred: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
	await waitUntil(pred, { timeoutMs, everyMs: 10, describe: () => `timed out waiting for ${what}` });
}

const VERSIONS = ['2.9.10', '2.10.27'];

/** The sandbox screen on `lab`, ready at once (`extra`: more runScreen options). */
function screenOn(io: ScreenIo, lab: Lab, extra: Partial<Parameters<typeof runScreen>[0]> = {}) {
	return runScreen({
		mode: 'sandbox',
		io,
		versions: VERSIONS,
		createLab: async () => lab,
		patchConsole: false,
		...extra,
	});
}

/** A lesson host whose render throws (a bug in a panel). */
function Broken(): never {
	throw new Error('lesson panel exploded\nat somewhere');
}

describe('runScreen', () => {
	it('draws the setup view first, then the dashboard; q stops every server and returns 0', async () => {
		const { io, stdout, stderr, stdin } = fakeIo();
		const lab = new FakeLab(stateAt('core-2.10.27', '2026-11-26T00:47:33.000Z'));
		let release: () => void = () => {};
		const gate = new Promise<void>((r) => {
			release = r;
		});
		let seen: LabHooks | null = null;
		const createLab = async (opts: LabHooks): Promise<Lab> => {
			seen = opts;
			opts.onSetup?.({ type: 'binary', version: '2.9.10', phase: 'cached' });
			opts.onSetup?.({
				type: 'binary',
				version: '2.10.27',
				phase: 'downloading',
				progress: { received: 6_500_000, total: 13_000_000, bytesPerSec: 3_200_000, source: 'github.com' },
			});
			opts.onSetup?.({ type: 'node', node: 'n1', phase: 'starting' });
			await gate;
			return lab;
		};
		const done = runScreen({
			mode: 'sandbox',
			source: 'sandbox',
			io,
			versions: VERSIONS,
			createLab,
			patchConsole: false,
		});
		await until(
			() => strip(stdout.text).includes('50% 6.5 MB/13.0 MB 3.2 MB/s from github.com'),
			'download progress',
		);
		expect(strip(stdout.text)).toContain('✓ nats-server 2.9.10   cached');
		expect(strip(stdout.text)).toContain('n1   starting');
		// The screen hands the command's factory its hooks: setup progress and the abort signal.
		expect(seen).toMatchObject({ signal: expect.any(AbortSignal), onSetup: expect.any(Function) });
		release();
		await until(() => strip(stdout.text).includes('meta quorum 3/3 (needs 2)'), 'the dashboard');
		stdin.write('2r');
		await until(() => lab.acts.length === 1, 'the restart');
		expect(lab.acts[0]).toEqual({ action: { op: 'restart', node: 'n2' }, by: 'sandbox' });
		stdin.write('q');
		expect(await done).toBe(0);
		expect(lab.shutdownCalls).toBe(1);
		expect(stderr.text).toContain('natslab sandbox: every server stopped');
	});

	it('draws the dashboard as its first frame when the lab is up already (started while the screen loaded)', async () => {
		const { io, stdout, stdin } = fakeIo();
		const lab = new FakeLab(stateAt('core-2.10.27', '2026-11-26T00:47:33.000Z'));
		const done = screenOn(io, lab, { labUpNow: () => lab });
		await until(() => strip(stdout.text).includes('meta quorum 3/3 (needs 2)'), 'the dashboard');
		expect(strip(stdout.text)).not.toContain('starting a local cluster');
		stdin.write('q');
		expect(await done).toBe(0);
		expect(lab.shutdownCalls).toBe(1);
	});

	it('keeps every frame shorter than the terminal', async () => {
		const { io, stdout, stdin } = fakeIo();
		stdout.columns = 80;
		stdout.rows = 24;
		const lab = new FakeLab(stateAt('core-2.10.27', '2026-11-26T00:48:20.000Z'));
		const done = screenOn(io, lab);
		await until(() => strip(stdout.text).includes('meta quorum'), 'the dashboard');
		stdin.write('q');
		expect(await done).toBe(0);
		// Ink never had to clear the whole terminal (it does when a frame is as tall as the terminal).
		expect(stdout.text).not.toContain('\u001B[2J');
		expect(stdout.text).not.toContain('\u001Bc');
	});

	it('hands the Lab failure on to the command line handler, after giving the terminal back', async () => {
		const { io, stdout, stderr } = fakeIo();
		const failure = new UserError('nats-server 9.9.9 is not a published release\nsecond line', 3);
		const done = runScreen({
			mode: 'sandbox',
			io,
			versions: VERSIONS,
			patchConsole: false,
			createLab: async () => {
				throw failure;
			},
		});
		await expect(done).rejects.toBe(failure);
		expect(stderr.text).toBe('');
		expect(stdout.text).toContain('\u001B[?25h');
	});

	it('aborts the setup when q is pressed before the cluster is up', async () => {
		const { io, stdout, stderr, stdin } = fakeIo();
		let aborted = false;
		const done = runScreen({
			mode: 'sandbox',
			io,
			versions: VERSIONS,
			patchConsole: false,
			createLab: (opts) =>
				new Promise<Lab>((_, reject) => {
					opts.signal?.addEventListener('abort', () => {
						aborted = true;
						reject(new UserError('setup cancelled'));
					});
				}),
		});
		await until(() => strip(stdout.text).includes('starting a local cluster'), 'the setup view');
		stdin.write('q');
		expect(await done).toBe(0);
		expect(aborted).toBe(true);
		expect(stderr.text).toContain('stopped before the cluster was up');
	});

	it('on a crash stops every server, gives the terminal back and throws it on (no stack on screen)', async () => {
		const { io, stdout } = fakeIo();
		const lab = new FakeLab(stateAt('core-2.10.27', '2026-11-26T00:47:33.000Z'));
		const done = runScreen({
			mode: 'course',
			io,
			versions: VERSIONS,
			createLab: async () => lab,
			lesson: Broken,
			patchConsole: false,
		});
		await expect(done).rejects.toThrow('lesson panel exploded');
		expect(lab.shutdownCalls).toBe(1);
		// No stack on the screen either (Ink's own error screen would print one).
		expect(stdout.text).not.toContain('at somewhere');
		// Ink showed the cursor again on the way out.
		expect(stdout.text).toContain('\u001B[?25h');
	});

	it('refuses to draw without a terminal: one usage error, no Lab', async () => {
		const { io, stdout } = fakeIo(false);
		let created = false;
		const done = runScreen({
			mode: 'sandbox',
			io,
			versions: VERSIONS,
			patchConsole: false,
			createLab: async () => {
				created = true;
				return new FakeLab(stateAt('core-2.10.27', '2026-11-26T00:47:33.000Z'));
			},
		});
		await expect(done).rejects.toMatchObject({
			name: 'UserError',
			exitCode: 2,
			message: 'sandbox: stdout is not a terminal; the dashboard needs an interactive terminal',
		});
		expect(created).toBe(false);
		expect(stdout.text).toBe('');
	});
});
