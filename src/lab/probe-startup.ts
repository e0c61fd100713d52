// The probes a Lab is created with start behind the dashboard: creating the lab
// stream (an R3 stream needs its Raft group elected) and connecting four nats.js
// clients took 1.5–2.5 s of the sandbox's start-up, all of it awaited before the
// first dashboard frame. Now createLab resolves once the cluster has a meta leader,
// and this runs the start, says how far it got (a small Watchable the clients
// panel reads) and keeps its outcome for whoever needs the probes running
// (probesReady(): the lessons and the rehearsal).

import type { Watchable } from '../base/wait.js';
import { toldValue } from './told-value.js';
import type { ProbeStartup } from './types.js';

export interface ProbeStartupRun extends Watchable<ProbeStartup> {
	/** Resolves when the probes run; rejects with why they did not start. */
	ready(): Promise<void>;
}

export interface ProbeStartupSteps {
	/** Creates the lab stream; null when no probe needs it. */
	stream: (() => Promise<void>) | null;
	probes: () => Promise<void>;
	/** Told once, when the start failed (the lab records it on its timeline). */
	onFailed?: (error: Error) => void;
}

/** Runs the steps now, in the background; `null` steps → a run that is done at once. */
export function startProbesBehind(steps: ProbeStartupSteps | null): ProbeStartupRun {
	const state = toldValue<ProbeStartup>({ phase: steps ? (steps.stream ? 'stream' : 'starting') : 'none' });
	const set = state.set;
	const run = steps
		? (async () => {
				if (steps.stream) {
					await steps.stream();
					set({ phase: 'starting' });
				}
				await steps.probes();
				set({ phase: 'running' });
			})().catch((err: unknown) => {
				const error = err instanceof Error ? err : new Error(String(err));
				set({ phase: 'failed', error: error.message.split('\n')[0] ?? error.message });
				steps.onFailed?.(error);
				throw error;
			})
		: Promise.resolve();
	// Nobody may ever ask (a sandbox); a failure is shown, never an unhandled rejection.
	run.catch(() => {});
	return { getState: state.getState, subscribe: state.subscribe, ready: () => run };
}
