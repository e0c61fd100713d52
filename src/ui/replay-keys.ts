// The keys of a replay (natslab replay): they come before the dashboard's and the
// lesson's, and none of them acts on a cluster. Digits still select a node, tab
// and a still move panels and logs, [ ] still page the lesson text.
//   space play/pause · + - speed 0.5x–8x · n next change · b 10 s back · < > lesson step

import type { Key } from 'ink';
import type { ReplayControl } from '../record/replay-kit.js';

export const REPLAY_KEYS: [string, string][] = [
	['space', 'play/pause'],
	['+/-', 'speed'],
	['n', 'next change'],
	['b', '10 s back'],
	['< >', 'step'],
	['q', 'quit'],
];

/** What each replay key does (two keys for one where a shift is easy to miss: = +, _ -, . >, , <). */
const ACTIONS: Record<string, (replay: ReplayControl) => unknown> = {
	' ': (r) => r.toggle(),
	'+': (r) => r.changeSpeed(1),
	'=': (r) => r.changeSpeed(1),
	'-': (r) => r.changeSpeed(-1),
	_: (r) => r.changeSpeed(-1),
	n: (r) => r.nextChange(),
	b: (r) => r.back(),
	'>': (r) => r.step(1),
	'.': (r) => r.step(1),
	'<': (r) => r.step(-1),
	',': (r) => r.step(-1),
};

export function replayKeyHandler(replay: ReplayControl): (input: string, key: Key) => boolean {
	return (input) => {
		const action = ACTIONS[input];
		if (!action) return false;
		action(replay);
		return true;
	};
}

/** A key as a recording keeps it: the character, or the name of a special key ("up", "return"). */
export function keyLabel(input: string, key: Key): string {
	if (input !== '' && !key.ctrl && !key.meta) return input;
	const named = (
		[
			['up', key.upArrow],
			['down', key.downArrow],
			['left', key.leftArrow],
			['right', key.rightArrow],
			['pageUp', key.pageUp],
			['pageDown', key.pageDown],
			['return', key.return],
			['escape', key.escape],
			['tab', key.tab],
			['backspace', key.backspace],
		] as const
	).find(([, on]) => on);
	if (named) return key.shift ? `shift-${named[0]}` : named[0];
	return key.ctrl ? `ctrl-${input}` : input;
}
