// Runs the screen around a Lab's whole life: the setup view is drawn first (before
// the engine's modules are even loaded), the Lab is created behind it, the
// dashboard takes over once the cluster has a meta leader, and on quit, failure
// or crash the screen is unmounted, every server is stopped and the terminal is
// given back. Used by `natslab sandbox` and by the course.

import { render } from 'ink';
import { isUserError } from '../base/errors.js';
import type { ActionSource } from '../base/names.js';
import type { CreateLabOptions } from '../lab/lab.js';
import type { Lab } from '../lab/types.js';
import { type LessonHost, ScreenRoot } from './components/ScreenRoot.js';
import { createScreenStore, type ScreenStore } from './screen-store.js';
import { erasePlaceholder, terminalProblem } from './terminal.js';
import { colorEnabled } from './theme.js';

/** Re-exported for the course command. */
export { terminalProblem };

export interface ScreenIo {
	stdout: NodeJS.WriteStream;
	stderr: NodeJS.WriteStream;
	stdin: NodeJS.ReadStream;
	env: NodeJS.ProcessEnv;
}

export interface RunScreenOptions {
	/** Shown in the header and in messages: "sandbox", "course". */
	mode: string;
	lab: Omit<CreateLabOptions, 'onSetup' | 'signal' | 'env'>;
	io: ScreenIo;
	/** Who key actions are from in the timeline (default 'learner'). */
	source?: ActionSource;
	lesson?: LessonHost;
	/** Replaces the real createLab (tests). */
	createLab?: (opts: CreateLabOptions) => Promise<Lab>;
	/** Route stray console output above the frame (default true; vitest's console cannot be patched). */
	patchConsole?: boolean;
}

type Outcome = { kind: 'quit' } | { kind: 'failed'; error: unknown } | { kind: 'crash'; error: unknown };

function firstLine(err: unknown): string {
	const text = err instanceof Error ? err.message : String(err);
	return (text.split('\n')[0] ?? '').trim() || 'unknown error';
}

export async function runScreen(opts: RunScreenOptions): Promise<number> {
	const { io, mode } = opts;
	// Not a terminal: say so in one line (exit code 2) instead of drawing.
	const problem = terminalProblem(io);
	if (problem) {
		io.stderr.write(`natslab ${mode}: ${problem}; the dashboard needs an interactive terminal\n`);
		return 2;
	}

	let settle: (o: Outcome) => void = () => {};
	const outcome = new Promise<Outcome>((resolve) => {
		settle = resolve;
	});
	const versions = [opts.lab.version, ...(opts.lab.upgradeTo ? [opts.lab.upgradeTo] : [])];
	const screen: ScreenStore = createScreenStore(versions);
	erasePlaceholder(io.stdout);

	const instance = render(
		<ScreenRoot
			screen={screen}
			mode={mode}
			source={opts.source ?? 'learner'}
			color={colorEnabled(io.env)}
			lesson={opts.lesson}
			onQuit={() => settle({ kind: 'quit' })}
			onCrash={(error) => settle({ kind: 'crash', error })}
		/>,
		{
			stdout: io.stdout,
			stdin: io.stdin,
			stderr: io.stderr,
			exitOnCtrlC: false,
			patchConsole: opts.patchConsole ?? true,
			maxFps: 20,
			// Not incrementalRendering: in Ink 6.8 it moves the cursor one line short when the frame
			// ends with a newline (every non-fullscreen frame), so each update lands a row lower.
		},
	);
	instance.waitUntilExit().then(
		() => settle({ kind: 'quit' }),
		(error: unknown) => settle({ kind: 'crash', error }),
	);
	const onCrash = (error: unknown) => settle({ kind: 'crash', error });
	process.on('uncaughtException', onCrash);
	process.on('unhandledRejection', onCrash);

	// Only now load the engine (execa, nats.js, …): the setup view is already up.
	const abort = new AbortController();
	const labPromise = (async () => {
		const create = opts.createLab ?? (await import('../lab/lab.js')).createLab;
		return create({ ...opts.lab, env: io.env, signal: abort.signal, onSetup: (e) => screen.setup(e) });
	})();
	labPromise.then(
		(lab) => screen.ready(lab),
		(error: unknown) => settle({ kind: 'failed', error }),
	);

	const result = await outcome;
	instance.unmount();
	await instance.waitUntilExit().catch(() => {});
	process.off('uncaughtException', onCrash);
	process.off('unhandledRejection', onCrash);

	abort.abort();
	const lab = await labPromise.catch(() => null);
	if (lab) {
		io.stderr.write(`natslab ${mode}: stopping the servers…\n`);
		await lab.shutdown();
	}
	switch (result.kind) {
		case 'quit':
			io.stderr.write(
				`natslab ${mode}: ${lab ? 'every server stopped' : 'stopped before the cluster was up'}\n`,
			);
			return 0;
		case 'failed':
			io.stderr.write(`natslab ${mode}: ${firstLine(result.error)}\n`);
			return isUserError(result.error) ? result.error.exitCode : 1;
		case 'crash':
			io.stderr.write(`natslab ${mode}: internal error: ${firstLine(result.error)} (servers stopped)\n`);
			return 70;
	}
}
