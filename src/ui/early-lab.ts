// Starting the Lab while the screen loads (issue #12: dashboard ≤ 1 s after launch).
// Loading Ink and React takes ~0.4–0.7 s, and the servers need ~0.5 s from spawn to
// an elected meta leader; one after the other, the dashboard came after both. Here
// the command starts the Lab first, the setup events it says meanwhile are kept, and
// runScreen, once loaded, takes the Lab over as if it had started it: the kept events
// first, then the rest as they come. Free of Ink, like ./terminal.ts.

import type { Lab, SetupEvent } from '../lab/types.js';
import type { LabHooks } from './run.js';

export interface EarlyLab {
	/** runScreen's `createLab`: the Lab started already, with the setup events said so far. */
	createLab(hooks: LabHooks): Promise<Lab>;
	/** The Lab once it is up (null before): then the screen's first frame can be the dashboard. */
	upNow(): Lab | null;
	/** When no screen took the Lab (the screen failed to load): stop its servers. */
	discard(): Promise<void>;
}

export function startLabEarly(create: (hooks: LabHooks) => Promise<Lab>, env: NodeJS.ProcessEnv): EarlyLab {
	const abort = new AbortController();
	const kept: SetupEvent[] = [];
	let forward: ((e: SetupEvent) => void) | null = null;
	const started = create({
		env,
		signal: abort.signal,
		onSetup: (e) => (forward ? forward(e) : kept.push(e)),
	});
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
		upNow: () => up,
		async discard() {
			if (taken) return;
			abort.abort();
			const lab = await started.catch(() => null);
			await lab?.shutdown();
		},
	};
}
