// A recording as the screen's inputs: a Lab whose read side (state, probe start-up,
// link state, versions) comes from a Replayer and which cannot act (readOnly
// 'replay': the screen offers no node keys), and, for a lesson, a session whose view
// is the recorded one. The command hands both to the screen like live ones.

import { UserError } from '../base/errors.js';
import type { Watchable } from '../base/wait.js';
import type { Lab } from '../lab/types.js';
import type { LessonKey, LessonResult } from '../lessons/results.js';
import type { LessonView } from '../lessons/view.js';
import type { Recording } from './format.js';
import { type Listeners, REPLAY_LABEL } from './replay-kit.js';
import { Replayer } from './replayer.js';

export interface Replay {
	replayer: Replayer;
	lab: Lab;
	/** What ui/lesson/LessonHost.tsx hosts (a HostedLesson), from a recording; null without a lesson. */
	lesson: ReturnType<typeof replayedLesson> | null;
}

export function createReplay(recording: Recording): Replay {
	const replayer = new Replayer(recording);
	return {
		replayer,
		lab: replayLab(recording, replayer),
		lesson: recording.header.lesson ? replayedLesson(recording, replayer) : null,
	};
}

function watchable<S>(get: () => S, listeners: Listeners<S>): Watchable<S> {
	return { getState: get, subscribe: (l) => listeners.add(l) };
}

function replayLab(recording: Recording, r: Replayer): Lab {
	const refuse = () => Promise.reject(new UserError('a replay cannot act on a cluster'));
	return {
		getState: () => r.state,
		subscribe: (l) => r.labListeners.add(l),
		emit: () => {},
		act: refuse,
		startProbes: refuse,
		stopProbes: async () => {},
		probeStartup: watchable(() => r.probes, r.probeListeners),
		linkState: watchable(() => r.links, r.linkListeners),
		verify: async () => null,
		ports: () => {
			throw new UserError('a replay has no ports');
		},
		clientUrls: () => [],
		versions: { ...recording.header.versions },
		readOnly: REPLAY_LABEL,
		shutdown: async () => r.stop(),
		release: async () => r.stop(),
	};
}

function replayedLesson(recording: Recording, r: Replayer) {
	const first = recording.entries.find((e) => e.kind === 'view');
	const fallback = first?.kind === 'view' ? first.view : null;
	const header = recording.header.lesson;
	const stopped: (() => void)[] = [];
	return {
		get view() {
			const v = r.view ?? fallback;
			if (!v)
				throw new UserError(`replay: ${recording.file} has a lesson (${header?.id}) but no lesson view`);
			return v;
		},
		busy: false,
		subscribe: (l: (v: LessonView) => void) => r.viewListeners.add(l),
		// Never ends by itself: the learner quits the replay.
		run: () =>
			new Promise<LessonResult>((resolve) =>
				stopped.push(() =>
					resolve({
						id: header?.id ?? '',
						title: header?.title ?? '',
						status: 'aborted',
						ms: 0,
						steps: [],
						measurements: [],
					}),
				),
			),
		stop: () => {
			for (const s of stopped.splice(0)) s();
		},
		// An open question took a–d live (the answer is in the recorded views): not the logs' a.
		onKey: (key: LessonKey) => {
			const check = r.view?.check;
			return check != null && check.correct !== true && /^[a-d]$/.test(key.ch);
		},
	};
}
