// The lab's side of natslab's core reach check (probes/core-reach.ts): which node takes a
// client (every running one), the result as a LabEvent, and an abort when the lab stops.

import { UserError } from '../base/errors.js';
import type { NodeName } from '../base/names.js';
import type { CoreReachResult, LabEvent } from '../observe/events.js';
import { isAlive, node } from '../observe/selectors.js';
import type { LabState } from '../observe/state.js';
import { probesModule } from './lazy-probes.js';

export interface CoreReachRunner {
	run(from: NodeName): Promise<CoreReachResult>;
	/** Closes the clients of a check still running (it rejects); later runs reject at once. */
	stop(): void;
}

export function coreReachRunner(opts: {
	nodes: readonly NodeName[];
	clientUrl: (node: NodeName) => string;
	getState: () => LabState;
	emit: (e: LabEvent) => void;
}): CoreReachRunner {
	const stopped = new AbortController();
	return {
		async run(from) {
			if (stopped.signal.aborted) throw new UserError('the lab is shut down');
			if (!opts.nodes.includes(from)) throw new UserError(`unknown node ${from}`);
			const state = opts.getState();
			const nodes = opts.nodes.map((n) =>
				isAlive(state, n)
					? { node: n, url: opts.clientUrl(n) }
					: { node: n, url: null, why: node(state, n)?.process ?? 'unknown' },
			);
			const { checkCoreReach } = await probesModule();
			const result = await checkCoreReach({ nodes, from, signal: stopped.signal });
			opts.emit({ kind: 'core-reach', at: Date.now(), result });
			return result;
		},
		stop: () => stopped.abort(),
	};
}
