// A step's actions, in order: the learner's by key when interactive, natslab's
// at once. Each is announced on the panel and as a lesson event.

import type { ActionSource } from '../base/names.js';
import type { LabState } from '../observe/state.js';
import { actionText, performAction } from './actions.js';
import type { Step } from './load.js';
import type { StepResult } from './results.js';
import type { SessionParts, Target } from './session-parts.js';
import { actionNode } from './session-targets.js';

/** Runs the step's actions. A string is a failure. */
export async function actStep(
	p: SessionParts,
	step: Step,
	target: Target | null,
	interactive: boolean,
	replay: boolean,
	res: StepResult,
): Promise<{ actionAt: number | null; beforeAction?: LabState } | string> {
	let actionAt: number | null = null;
	let beforeAction: LabState | undefined;
	for (const a of step.actions) {
		const picked = await actionNode(p, a, target);
		if ('error' in picked) return picked.error;
		const text = actionText(a, picked.node, p.lab.versions.upgradeTo, picked.peer);
		const byLearner = a.by === 'learner' && interactive;
		if (byLearner) {
			p.screen.update({ phase: 'action', prompt: `press ${a.key} to ${text}`, message: null });
			if (!(await p.screen.key((k) => (k.ch === a.key ? true : null)))) return 'stopped';
		}
		p.screen.update({
			phase: replay ? 'replaying' : 'acting',
			prompt: null,
			message: `natslab: ${text}…`,
		});
		const by: ActionSource = byLearner ? 'learner' : 'lesson';
		p.onEvent?.({ type: 'action', index: step.index, text, by });
		actionAt = p.clock();
		beforeAction = p.lab.getState();
		if (by === 'learner') p.offPlan?.expectOwn();
		try {
			await performAction(p.lab, a, picked.node, by, picked.peer);
		} catch (err) {
			return `could not ${text}: ${err instanceof Error ? err.message : String(err)}`;
		}
		res.actions.push(text);
	}
	p.screen.update({ message: null });
	return { actionAt, beforeAction };
}
