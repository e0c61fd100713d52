// The screen's own small store: setup progress until the Lab is ready, then the
// Lab. Setup events (download progress arrives per chunk) are coalesced into at
// most one frame per FRAME_MS, like the Lab's state.

import { toldValue } from '../lab/told-value.js';
import type { Lab, SetupEvent } from '../lab/types.js';
import { FRAME_MS } from './frame-store.js';
import { initialSetupState, reduceSetup, type SetupState } from './setup-state.js';

export interface ScreenSnapshot {
	setup: SetupState;
	lab: Lab | null;
	startedAt: number;
}

export interface ScreenStore {
	getSnapshot(): ScreenSnapshot;
	subscribe(listener: () => void): () => void;
	setup(event: SetupEvent): void;
	ready(lab: Lab): void;
}

export function createScreenStore(versions: readonly string[], frameMs = FRAME_MS): ScreenStore {
	let pending: ScreenSnapshot = { setup: initialSetupState(versions), lab: null, startedAt: Date.now() };
	const published = toldValue(pending);
	let timer: NodeJS.Timeout | null = null;
	const publish = () => {
		timer = null;
		if (published.getState() !== pending) published.set(pending);
	};
	const schedule = (now: boolean) => {
		if (now) {
			if (timer) clearTimeout(timer);
			publish();
			return;
		}
		timer ??= setTimeout(publish, frameMs);
	};
	return {
		getSnapshot: published.getState,
		subscribe: (listener) => published.subscribe(() => listener()),
		setup(event) {
			pending = { ...pending, setup: reduceSetup(pending.setup, event) };
			schedule(false);
		},
		ready(lab) {
			pending = { ...pending, lab };
			schedule(true);
		},
	};
}
