// What the hub needs from every probe.
import type { ProbeCounters, ProbeKind } from '../observe/events.js';

export interface Probe {
	readonly id: ProbeKind;
	/**
	 * Starts connecting and measuring. Resolves once the probe is ready (connected, subscribed),
	 * or a connect attempt failed (it keeps trying in the background), or it was stopped.
	 */
	start(): Promise<void>;
	/** Ends loops, clears timers, closes the connection; bounded even while servers are down or frozen. */
	stop(): Promise<void>;
	/** False once stopped, or once its client gave up (closed on its own). */
	alive(): boolean;
	/** Cumulative counters without `rate` (the hub derives it from `rateCount`). */
	counters(): Omit<ProbeCounters, 'rate'>;
	/** The count whose growth per second is this probe's rate (sent, received or acked). */
	rateCount(): number;
}

/** Milliseconds between two sends at `rate` per second. */
export function intervalFor(rate: number): number {
	return Math.max(1, Math.round(1000 / rate));
}
