import { describe, expect, it } from 'vitest';
import { longestFirst } from '../../support/sequencer.js';

const id = (s: string) => s;

describe('the suite order', () => {
	it('starts the longest integration files first, in the given order; the others keep theirs', () => {
		const files = ['small', 'rehearse', 'lessons-auto', 'tiny', 'other'];
		expect(longestFirst(files, id, ['lessons-auto', 'rehearse', 'gone'])).toEqual([
			'lessons-auto',
			'rehearse',
			'small',
			'tiny',
			'other',
		]);
	});

	it('keeps every file exactly once', () => {
		expect(longestFirst(['b', 'a', 'c'], id, [])).toEqual(['b', 'a', 'c']);
		expect(longestFirst([], id, ['a'])).toEqual([]);
	});
});
