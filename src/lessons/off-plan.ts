// A learner's node key that the lesson did not ask for. In the course the node
// keys stay live (restarting a node is often the fix for a stuck wait), so a key
// pressed during prose, a question or a wait changes the cluster outside the
// lesson's plan. The lesson must say so, not go on as if the cluster were its
// own: the waits and figures that follow now include the learner's change.
//
// Every action reaches the reducer as a timeline entry "learner: restart n2"
// (observe/reducer.ts); the engine's own actions on the learner's behalf come
// the same way, so it announces each one first (`expectOwn`) and only the rest
// are off the plan.

import type { Lab } from '../lab/types.js';
import type { LabState, TimelineEntry } from '../observe/state.js';

const LEARNER = 'learner: ';

export class OffPlanWatch {
	private readonly seen = new WeakSet<TimelineEntry>();
	private own = 0;
	private readonly off: () => void;

	constructor(
		lab: Lab,
		private readonly onOffPlan: (action: string) => void,
	) {
		for (const e of lab.getState().timeline) this.seen.add(e);
		this.off = lab.subscribe(() => this.scan(lab.getState()));
	}

	/** The engine is about to act for the learner (their key at an action prompt): not off the plan. */
	expectOwn(): void {
		this.own++;
	}

	private scan(state: LabState): void {
		for (const e of state.timeline) {
			if (this.seen.has(e)) continue;
			this.seen.add(e);
			const detail = e.kind === 'action' && e.evidence.source === 'action' ? e.evidence.detail : '';
			if (!detail.startsWith(LEARNER)) continue;
			if (this.own > 0) this.own--;
			else {
				// Not from inside the lab's notification (the callback may emit to the lab itself).
				const action = detail.slice(LEARNER.length);
				queueMicrotask(() => this.onOffPlan(action));
			}
		}
	}

	stop(): void {
		this.off();
	}
}

/** The lesson panel's line for it. */
export function offPlanMessage(action: string): string {
	return `you: ${action} — outside this lesson's plan; the lesson goes on, and what it waits for and measures now includes your change`;
}
