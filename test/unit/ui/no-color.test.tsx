// NO_COLOR: Ink's chalk does not read it, so the screen's theme must keep every
// SGR code out of the frame. Colours are forced on for this file (Ink's chalk, set
// to 16 colours: its level is read once, when chalk is first imported, and the unit
// files share their modules) so that the colour frame really has them.

import chalk from 'chalk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Dashboard } from '../../../src/ui/components/Dashboard.js';
import { colorEnabled } from '../../../src/ui/theme.js';
import { cleanup, FakeLab, renderWithProviders } from '../../support/render.js';
import { clientSequence, connected, fold, stateAt } from './replay.js';

let level = chalk.level;
beforeAll(() => {
	level = chalk.level;
	chalk.level = 1;
});
afterEach(() => cleanup());
afterAll(() => {
	chalk.level = level;
});

const ESC = '\u001B';

function frameWith(color: boolean): string {
	// n3 stopped, n1 meta leader, a client reconnected: every colour the screen uses is in play.
	const base = stateAt('core-2.10.27', '2026-11-26T00:47:42.500Z');
	const state = fold(
		[
			connected('core-pub', '127.0.0.1:4222', base.now),
			...clientSequence('sigkill', 'core-pub', base.now + 100),
		],
		base,
	);
	const lab = new FakeLab(state);
	return renderWithProviders(<Dashboard mode="sandbox" onQuit={() => {}} />, { lab, color }).frame();
}

describe('NO_COLOR', () => {
	it('is honoured when set and not empty', () => {
		expect(colorEnabled({ NO_COLOR: '1' })).toBe(false);
		expect(colorEnabled({ NO_COLOR: '' })).toBe(true);
		expect(colorEnabled({})).toBe(true);
	});

	it('colours the screen when allowed', () => {
		expect(frameWith(true)).toContain(`${ESC}[`);
	});

	it('draws no escape code at all without colour, and the symbols still say it all', () => {
		const f = frameWith(false);
		expect(f).not.toContain(ESC);
		expect(f).toContain('◆META');
		expect(f).toContain('■ stopped');
		expect(f).toContain('● up');
		expect(f).toContain('▸ nodes');
		expect(f).toMatch(/│› 1 n1/);
	});
});
