// The lesson key line names the answer letters the question takes (lesson 12's questions have
// three choices; "a–d answer" offered a fourth that does nothing).
import { describe, expect, it } from 'vitest';
import { keysFor } from '../../../src/lessons/view.js';

describe('keysFor', () => {
	it('offers as many answer letters as the question has choices', () => {
		expect(keysFor('asking', false, 3)).toBe('a–c answer');
		expect(keysFor('asking', true, 4)).toBe('a–d answer · h hint');
		expect(keysFor('asking', false, 2)).toBe('a–b answer');
	});
});
