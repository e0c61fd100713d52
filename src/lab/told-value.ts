// A value that tells its listeners each time it is set: the small Watchables a Lab hands
// the screen beside its state (how the probes and the first election are coming along).
import type { Watchable } from '../base/wait.js';

export interface ToldValue<S> extends Watchable<S> {
	set(next: S): void;
}

export function toldValue<S>(initial: S): ToldValue<S> {
	let value = initial;
	const listeners = new Set<(s: S) => void>();
	return {
		getState: () => value,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		set(next) {
			value = next;
			for (const l of [...listeners]) l(value);
		},
	};
}
