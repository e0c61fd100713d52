// A running lesson's eye on the named diagnoses (observe/diagnoses.ts): every
// LabState the lab goes through is folded in, so that a step that waits in
// vain can say why (a one-way route, a replica stuck behind) and what fixes
// it, on the screen while it waits and in the result when it gives up.

import type { NodeName } from '../base/names.js';
import type { Lab } from '../lab/types.js';
import {
	type Diagnosis,
	diagnosesOf,
	diagnosisLine,
	initialDiagnosisTracker,
	trackDiagnoses,
} from '../observe/diagnoses.js';
import type { LessonView } from './view.js';

export class DiagnosisWatch {
	private tracker = initialDiagnosisTracker();
	private readonly off: () => void;

	constructor(
		private readonly lab: Lab,
		private readonly clock: () => number,
	) {
		this.fold();
		this.off = lab.subscribe(() => this.fold());
	}

	private fold(): void {
		this.tracker = trackDiagnoses(this.tracker, this.lab.getState(), this.clock());
	}

	/** What has held long enough to be named, now. */
	current(): Diagnosis[] {
		this.fold();
		return diagnosesOf(this.tracker, this.clock());
	}

	/** The first diagnosis as the lesson panel shows it, with the keys that fix it. */
	view(order: readonly NodeName[]): LessonView['diagnosis'] {
		const d = this.current()[0];
		if (!d) return null;
		const key = order.indexOf(d.node) + 1;
		return {
			text: `${d.kind}: ${d.summary}`,
			hint: `${d.hint} (keys ${key} r: the node keys work while the lesson waits)`,
		};
	}

	stop(): void {
		this.off();
	}
}

/** "…; diagnosis one-way-route: n1 lists … (14 s) → restart n2: …" appended to a failure line. */
export function withDiagnoses(failure: string, found: Diagnosis[]): string {
	return found.length === 0 ? failure : `${failure}; diagnosis ${found.map(diagnosisLine).join('; ')}`;
}
