import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { splitKeys, toInkKey } from '../../../src/ui/keys.js';

const noKey: Key = toInkKey({ ch: 'x', name: null });

describe('splitKeys', () => {
	it('splits a chunk of plain characters into single presses, in order', () => {
		expect(splitKeys('2r', noKey)).toEqual([
			{ ch: '2', name: null },
			{ ch: 'r', name: null },
		]);
	});

	it('recognises tab, return and Ctrl-C inside a chunk', () => {
		expect(splitKeys('1\tq\r\u0003', noKey).map((k) => k.name ?? k.ch)).toEqual([
			'1',
			'tab',
			'q',
			'return',
			'ctrlC',
		]);
	});

	it('maps named keys from Ink and Ctrl-C as Ink reports it', () => {
		expect(splitKeys('', { ...noKey, downArrow: true })).toEqual([{ ch: '', name: 'down' }]);
		expect(splitKeys('', { ...noKey, tab: true, shift: true })).toEqual([{ ch: '', name: 'shiftTab' }]);
		expect(splitKeys('c', { ...noKey, ctrl: true })).toEqual([{ ch: '', name: 'ctrlC' }]);
		expect(splitKeys('x', { ...noKey, ctrl: true })).toEqual([]);
	});
});
