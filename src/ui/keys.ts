// Ink hands a chunk of plain characters to useInput as ONE input string ("2r"
// when keys arrive together: fast typing, paste, tmux send-keys). The screen
// splits it back into single key presses so every key counts, in order.

import type { Key } from 'ink';

export type KeyName =
	| 'tab'
	| 'shiftTab'
	| 'up'
	| 'down'
	| 'left'
	| 'right'
	| 'pageUp'
	| 'pageDown'
	| 'home'
	| 'end'
	| 'escape'
	| 'return'
	| 'ctrlC';

export interface KeyPress {
	/** The printable character, '' for a named key. */
	ch: string;
	name: KeyName | null;
}

function named(key: Key): KeyName | null {
	if (key.tab) return key.shift ? 'shiftTab' : 'tab';
	if (key.upArrow) return 'up';
	if (key.downArrow) return 'down';
	if (key.leftArrow) return 'left';
	if (key.rightArrow) return 'right';
	if (key.pageUp) return 'pageUp';
	if (key.pageDown) return 'pageDown';
	if (key.home) return 'home';
	if (key.end) return 'end';
	if (key.return) return 'return';
	if (key.escape) return 'escape';
	return null;
}

function fromChar(ch: string): KeyPress {
	switch (ch) {
		case '\t':
			return { ch: '', name: 'tab' };
		case '\r':
		case '\n':
			return { ch: '', name: 'return' };
		case '\u0003':
			return { ch: '', name: 'ctrlC' };
		default:
			return { ch, name: null };
	}
}

/** One useInput call → the key presses it stands for. */
export function splitKeys(input: string, key: Key): KeyPress[] {
	if (key.ctrl && input === 'c') return [{ ch: '', name: 'ctrlC' }];
	const name = named(key);
	if (name) return [{ ch: '', name }];
	if (key.ctrl || key.meta) return [];
	return [...input].map(fromChar);
}

/** An Ink Key for a single split key press (what a lesson's onKey expects). */
export function toInkKey(press: KeyPress): Key {
	const n = press.name;
	return {
		upArrow: n === 'up',
		downArrow: n === 'down',
		leftArrow: n === 'left',
		rightArrow: n === 'right',
		pageDown: n === 'pageDown',
		pageUp: n === 'pageUp',
		home: n === 'home',
		end: n === 'end',
		return: n === 'return',
		escape: n === 'escape',
		ctrl: n === 'ctrlC',
		shift: n === 'shiftTab' || (press.ch.length === 1 && /[A-Z]/.test(press.ch)),
		tab: n === 'tab' || n === 'shiftTab',
		backspace: false,
		delete: false,
		meta: n === 'escape',
		super: false,
		hyper: false,
		capsLock: false,
		numLock: false,
	};
}
