// Starting the Lab while the screen loads (issue #12: dashboard ≤ 1 s after launch).
// Loading Ink and React takes ~0.4–0.7 s, and the servers need ~0.5 s from spawn to
// an elected meta leader; one after the other, the dashboard came after both. Here
// the command starts the Lab first, the setup events it says meanwhile are kept, and
// runScreen, once loaded, takes the Lab over as if it had started it: the kept events
// first, then the rest as they come. The screen is loaded once the servers are being
// spawned: the start's own work (its modules, the binary checks) and Ink's loading share
// the one JavaScript thread, and the spawn waited behind Ink. Free of Ink. It lives in
// commands/: it owns a started Lab's abort and shutdown (the screen only takes the Lab over).

import type { Lab, SetupEvent } from '../lab/types.js';
import type { LabHooks } from '../ui/run.js';

export interface EarlyLab {
	/** runScreen's `createLab`: the Lab started already, with the setup events said so far. */
	createLab(hooks: LabHooks): Promise<Lab>;
	/**
	 * Resolves once the servers are being spawned (or a binary has to be downloaded, which the
	 * screen must show, or the start ended): loading the screen before that point delays the
	 * spawn, as both run on the one JavaScript thread.
	 */
	spawning(): Promise<void>;
	/** The Lab once it is up (null before): then the screen's first frame can be the dashboard. */
	upNow(): Lab | null;
	/** When no screen took the Lab (the screen failed to load): stop its servers. */
	discard(): Promise<void>;
}

export function startLabEarly(create: (hooks: LabHooks) => Promise<Lab>, env: NodeJS.ProcessEnv): EarlyLab {
	const abort = new AbortController();
	const kept: SetupEvent[] = [];
	let forward: ((e: SetupEvent) => void) | null = null;
	let markSpawning: () => void = () => {};
	const spawning = new Promise<void>((resolve) => {
		markSpawning = resolve;
	});
	const started = create({
		env,
		signal: abort.signal,
		onSetup: (e) => {
			if (e.type === 'node' || (e.type === 'binary' && e.phase !== 'cached')) markSpawning();
			if (forward) forward(e);
			else kept.push(e);
		},
	});
	started.finally(markSpawning).catch(() => {});
	let up: Lab | null = null;
	// Until a screen takes it, a failure waits there for it (no unhandled rejection meanwhile).
	started.then(
		(lab) => {
			up = lab;
		},
		() => {},
	);
	let taken = false;
	return {
		createLab(hooks) {
			taken = true;
			for (const e of kept.splice(0)) hooks.onSetup(e);
			forward = hooks.onSetup;
			if (hooks.signal.aborted) abort.abort();
			else hooks.signal.addEventListener('abort', () => abort.abort(), { once: true });
			return started;
		},
		spawning: () => spawning,
		upNow: () => up,
		async discard() {
			if (taken) return;
			abort.abort();
			const lab = await started.catch(() => null);
			await lab?.shutdown();
		},
	};
}
