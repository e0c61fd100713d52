// The keys of a replay (natslab replay): they come before the dashboard's and the
// lesson's, and none of them acts on a cluster. Digits still select a node, tab
// and a still move panels and logs, [ ] still page the lesson text.
// The keys the learner pressed live follow at their moments (useRecordedKeys): those
// that change the view only, never a node's key (a replay acts on nothing).
//   space play/pause · + - speed 0.5x–8x · n next change · b 10 s back · < > lesson step

import type { Key } from 'ink';
import { useEffect, useRef } from 'react';
import type { RecordedKeys, ReplayControl } from '../record/replay-kit.js';
import { type KeyName, type KeyPress, splitKeys, toInkKey } from './keys.js';

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

/** Recorded labels of named keys (keyLabel); a shift only matters for tab. */
const NAMED: Partial<Record<string, KeyName>> = {
	up: 'up',
	down: 'down',
	left: 'left',
	right: 'right',
	pageUp: 'pageUp',
	pageDown: 'pageDown',
	return: 'return',
	escape: 'escape',
	tab: 'tab',
	'shift-tab': 'shiftTab',
};
const PLAIN = toInkKey({ ch: '', name: null });

/** A recorded key (keyLabel's form; plain characters may be a chunk, "2a") as key presses. */
export function recordedPresses(label: string): KeyPress[] {
	const name = NAMED[label] ?? NAMED[label.replace(/^shift-/, '')];
	if (name) return [{ ch: '', name }];
	if (/^(ctrl|shift)-./.test(label) || label === 'backspace') return [];
	return splitKeys(label, PLAIN);
}

/** Keys that only change what the screen shows: selection, focus, scrolling, logs all/one, help, a full log line. */
const VIEW_NAMES: ReadonlySet<KeyName> = new Set<KeyName>([
	'tab',
	'shiftTab',
	'up',
	'down',
	'left',
	'right',
	'pageUp',
	'pageDown',
	'home',
	'end',
	'escape',
	'return',
]);
export function isViewKey(press: KeyPress): boolean {
	return press.name ? VIEW_NAMES.has(press.name) : /^[1-9av?[\]]$/.test(press.ch);
}

/**
 * Hands the screen the view keys of a recording as the replay reaches them (those
 * pressed before it mounted first); `onReset` when the replay went back, before
 * the keys up to the new position come again.
 */
export function useRecordedKeys(
	source: RecordedKeys | undefined,
	onPress: (press: KeyPress) => void,
	onReset: () => void,
	/** Keys a prompt took live (the link prompt's "2" chose a link's end): never view keys then. */
	took?: (press: KeyPress) => boolean,
): void {
	const latest = useRef({ onPress, onReset, took });
	latest.current = { onPress, onReset, took };
	useEffect(() => {
		if (!source) return;
		const apply = (keys: readonly string[]) => {
			for (const label of keys)
				for (const press of recordedPresses(label))
					if (!latest.current.took?.(press) && isViewKey(press)) latest.current.onPress(press);
		};
		apply(source.keysSoFar());
		return source.subscribeKeys((change) => {
			if (change.reset) latest.current.onReset();
			apply(change.keys);
		});
	}, [source]);
}
