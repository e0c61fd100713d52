// The lab's clients, loaded when first used. nats.js and the probes are ~0.1 s of module
// loading on this 2-core machine; loaded with the lab they came before the first server
// spawn, i.e. before the election could begin (issue #12: the sandbox's dashboard with its
// meta leader). Loaded on first use, they load while the servers start and elect.

import type { VerifyResult } from '../observe/events.js';
import type { ProbeHub, ProbeHubOptions } from '../probes/hub.js';
import type { ProbeSpec } from '../probes/spec.js';

type ProbesModule = typeof import('../probes/index.js');

let loading: Promise<ProbesModule> | null = null;
/** The probes module, imported once. */
export function probesModule(): Promise<ProbesModule> {
	loading ??= import('../probes/index.js');
	return loading;
}

/** A ProbeHub that loads the probes on its first start(); stop() and verify() before that have nothing to do. */
export function lazyProbeHub(opts: ProbeHubOptions): ProbeHub {
	let hub: ProbeHub | null = null;
	let made: Promise<ProbeHub> | null = null;
	const get = () => {
		made ??= probesModule().then((m) => {
			hub = m.createProbeHub(opts);
			return hub;
		});
		return made;
	};
	/** The hub, when a start has begun making it (null before: nothing to stop or verify). */
	const begun = async () => hub ?? (made === null ? null : await made);
	return {
		start: async (specs: ProbeSpec[]) => (await get()).start(specs),
		// A start still loading the module ends in a hub a later stop() stops.
		stop: async () => {
			await (await begun())?.stop();
		},
		verify: async (): Promise<VerifyResult | null> => {
			const h = await begun();
			return h ? h.verify() : null;
		},
		running: () => hub?.running() ?? [],
	};
}
