// natslab's check of a fresh cluster's first meta leader, run behind the screen (issue #12:
// the dashboard ≤ 1 s after launch). A lab created with `upWhen: 'running'` resolves once
// its servers accept clients, and the dashboard shows the election as the servers report it
// (their /jsz and log lines through the one reducer). This waits for the agreed leader
// meanwhile, says where it is (the header's "electing…" while no server names one) and
// keeps the outcome: a start that fails here (no meta leader in 30 s) has already shut the
// lab down, and done() rejects with why, for the screen to stop on.

import { toldValue } from './told-value.js';
import type { Lab, LabElection } from './types.js';

export type ElectionRun = NonNullable<Lab['election']>;

/** Runs `elect` now, in the background; `elect` shuts the lab down itself when it fails. */
export function electBehind(elect: () => Promise<void>): ElectionRun {
	const phase = toldValue<LabElection>({ phase: 'electing' });
	const run = elect().then(
		() => phase.set({ phase: 'elected' }),
		(err: unknown) => {
			const message = err instanceof Error ? err.message : String(err);
			phase.set({ phase: 'failed', error: message.split('\n')[0] ?? message });
			throw err;
		},
	);
	// A sandbox always asks (the screen stops on it); a script may never: no unhandled rejection.
	run.catch(() => {});
	return { getState: phase.getState, subscribe: phase.subscribe, done: () => run };
}
