// A proxied lab's links as a small Watchable the screen reads (like the probe
// start-up): every pair proxy's state, refreshed after each change natslab
// makes and every few seconds (route connections and held dials move on their
// own). Null for a lab whose servers route directly.
import type { Watchable } from '../base/wait.js';
import type { ClusterLinks } from '../cluster/links/cluster-links.js';
import type { PairStatus } from '../cluster/links/pairs.js';
import { toldValue } from './told-value.js';

export interface LinkWatch extends Watchable<PairStatus[] | null> {
	/** A fresh answer from the proxies (also what changeLinks got back). */
	set(pairs: PairStatus[]): void;
	stop(): void;
}

const REFRESH_MS = 2000;

export function watchLinks(links: ClusterLinks | null): LinkWatch {
	const state = toldValue<PairStatus[] | null>(null);
	const refresh = () => {
		// A proxy process that stopped answering keeps the last known state on screen.
		links?.status().then(state.set, () => {});
	};
	refresh();
	const timer = links ? setInterval(refresh, REFRESH_MS) : null;
	timer?.unref();
	return {
		getState: state.getState,
		subscribe: state.subscribe,
		set: state.set,
		stop: () => {
			if (timer) clearInterval(timer);
		},
	};
}
