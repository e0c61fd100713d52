// Runs the screen around a Lab's whole life: the setup view is drawn first (before
// the engine's modules are even loaded: the command's `createLab` loads them), the
// Lab is created behind it, the dashboard takes over once the Lab is up (the
// sandbox's once its servers run: the election then shows on the dashboard, and a
// start that fails there ends the screen like any failure), and on quit, failure
// or crash the screen is unmounted, every server is stopped and the terminal is
// given back. A failure is thrown on to the command line's one handler. Used by
// `natslab sandbox` and by the course.
// Process-level crashes, signals and a closed terminal go through the one crash
// path (lab/cleanup.ts); the screen registers its unmount there so it runs first.

import { render } from 'ink';
import { EXIT, UserError } from '../base/errors.js';
import type { ActionSource } from '../base/names.js';
import { registerCleanup, writeSafely } from '../lab/cleanup.js';
import type { Lab, SetupEvent } from '../lab/types.js';
import type { ReplayControl } from '../record/replay-kit.js';
import { type LessonHost, ScreenRoot } from './components/ScreenRoot.js';
import { keyLabel } from './replay-keys.js';
import { createScreenStore, type ScreenStore } from './screen-store.js';
import { erasePlaceholder, terminalProblem } from './terminal.js';
import { colorEnabled } from './theme.js';
import type { StartWarning } from './ui-state.js';

/** Re-exported for the course command. */
export { terminalProblem };

export interface ScreenIo {
	stdout: NodeJS.WriteStream;
	stderr: NodeJS.WriteStream;
	stdin: NodeJS.ReadStream;
	env: NodeJS.ProcessEnv;
}

/** What the screen gives the command's Lab factory: setup progress goes to the setup view; q aborts. */
export interface LabHooks {
	onSetup: (e: SetupEvent) => void;
	signal: AbortSignal;
	env: NodeJS.ProcessEnv;
}

export interface RunScreenOptions {
	/** Shown in the header and in messages: "sandbox", "course". */
	mode: string;
	/** The nats-server versions the setup view lists (start version, upgrade target). */
	versions: string[];
	/** Builds the Lab (the command's factory: it imports the engine only when called). */
	createLab: (hooks: LabHooks) => Promise<Lab>;
	io: ScreenIo;
	/** Who key actions are from in the timeline (default 'learner'). */
	source?: ActionSource;
	lesson?: LessonHost;
	/** Route stray console output above the frame (default true; vitest's console cannot be patched). */
	patchConsole?: boolean;
	/** natslab replay: the replay's clock, keys and bar (its Lab comes from createLab as usual). */
	replay?: ReplayControl;
	/** Sees every key (--record keeps them). */
	onKey?: (label: string) => void;
	/**
	 * A Lab already up when the screen has loaded (commands/early-lab.ts): the first frame is the
	 * dashboard, not a setup view replaced a frame later. `createLab` still hands it over.
	 */
	labUpNow?: () => Lab | null;
	/**
	 * A warning that must stay in sight (a sandbox downgrade): on the dashboard's status line from
	 * its first frame until something else is said there (the Lab's timeline keeps it as a note).
	 */
	warning?: StartWarning;
}

type Outcome = { kind: 'quit' } | { kind: 'failed'; error: unknown } | { kind: 'crash'; error: unknown };

/**
 * Resolves 0 when the learner quits. A Lab that fails to start, or a component
 * that throws, is re-thrown after the servers are stopped (the caller's handler
 * prints it: a UserError as one line, anything else as an internal error).
 */
export async function runScreen(opts: RunScreenOptions): Promise<number> {
	const { io, mode } = opts;
	const problem = terminalProblem(io);
	if (problem)
		throw new UserError(`${mode}: ${problem}; the dashboard needs an interactive terminal`, EXIT.usage);

	let settle: (o: Outcome) => void = () => {};
	const outcome = new Promise<Outcome>((resolve) => {
		settle = resolve;
	});
	const screen: ScreenStore = createScreenStore(opts.versions);
	const upNow = opts.labUpNow?.();
	if (upNow) screen.ready(upNow);
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
			replay={opts.replay}
			onKey={opts.onKey ? (input, key) => opts.onKey?.(keyLabel(input, key)) : undefined}
			warning={opts.warning}
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
	// If natslab ends under the screen (signal, closed terminal, crash), give the terminal back first.
	const unregisterScreen = registerCleanup(() => instance.unmount(), { screen: true });

	const abort = new AbortController();
	const labPromise = opts.createLab({ env: io.env, signal: abort.signal, onSetup: (e) => screen.setup(e) });
	const failed = (error: unknown) => settle({ kind: 'failed', error });
	labPromise.then((lab) => {
		screen.ready(lab);
		lab.election?.done().catch(failed);
	}, failed);

	const result = await outcome;
	instance.unmount();
	await instance.waitUntilExit().catch(() => {});
	unregisterScreen();

	abort.abort();
	const lab = await labPromise.catch(() => null);
	// A lab that cannot act (a replay, a watched cluster) started no server to stop.
	if (lab) {
		if (!lab.readOnly) writeSafely(io.stderr, `natslab ${mode}: stopping the servers…\n`);
		await lab.shutdown();
	}
	if (result.kind !== 'quit') throw result.error;
	if (lab?.readOnly) return EXIT.ok;
	writeSafely(
		io.stderr,
		`natslab ${mode}: ${lab ? 'every server stopped' : 'stopped before the cluster was up'}\n`,
	);
	return EXIT.ok;
}
