import { describe, expect, it } from 'vitest';
import type { KeyPress } from '../../../src/ui/keys.js';
import { initialUiState, type KeyContext, type UiState, uiReducer } from '../../../src/ui/ui-state.js';
import { stateAt } from './replay.js';

const ctx: KeyContext = {
	nodes: ['n1', 'n2', 'n3'],
	busy: false,
	timelineLength: 30,
	logsLength: 100,
	timelineRows: 5,
	logsRows: 8,
	now: 1000,
};
const ch = (c: string): KeyPress => ({ ch: c, name: null });
const named = (name: KeyPress['name']): KeyPress => ({ ch: '', name });

function press(keys: KeyPress[], state: UiState = initialUiState(), c: KeyContext = ctx): UiState {
	return keys.reduce((s, key) => uiReducer(s, { type: 'key', key, ctx: c }), state);
}

describe('uiReducer', () => {
	it('selects with a digit and queues the node key for the node selected just before', () => {
		const s = press([ch('2'), ch('r'), ch('3'), ch('k')]);
		expect(s.selected).toBe(2);
		expect(s.intents.map((i) => [i.key, i.node])).toEqual([
			['r', 'n2'],
			['k', 'n3'],
		]);
	});

	it('refuses a digit without a node and says so', () => {
		const s = press([ch('7')]);
		expect(s.selected).toBe(0);
		expect(s.feedback?.text).toBe('there is no node 7');
	});

	it('quits at once without a lesson step, asks first with one', () => {
		expect(press([ch('q')]).quit).toBe(true);
		expect(press([named('ctrlC')]).quit).toBe(true);
		const asking = press([ch('q')], initialUiState(), { ...ctx, busy: true });
		expect(asking).toMatchObject({ quit: false, confirmQuit: true });
		expect(press([ch('n')], asking)).toMatchObject({ quit: false, confirmQuit: false });
		expect(press([ch('y')], asking).quit).toBe(true);
		expect(press([named('ctrlC')], asking).quit).toBe(true);
	});

	it('Ctrl-C with the L prompt open closes the prompt, so y then confirms the quit', () => {
		const live = { ...ctx, busy: true, links: true };
		const prompt = press([ch('L')], initialUiState(), live);
		expect(prompt.linkMode).not.toBeNull();
		const asking = press([named('ctrlC')], prompt, live);
		expect(asking).toMatchObject({ linkMode: null, confirmQuit: true, quit: false });
		expect(press([ch('y')], asking, live).quit).toBe(true);
		expect(press([named('ctrlC')], press([ch('L')], initialUiState(), { ...ctx, links: true })).quit).toBe(
			true,
		);
	});

	it('L d says a delay leaves a cut link cut (only h heals it)', () => {
		const s = press([ch('L'), ch('2'), ch('d')], initialUiState(), { ...ctx, links: true });
		expect(s.linkIntents.at(-1)?.op).toMatchObject({ op: 'delay', a: 'n1', b: 'n2' });
		expect(s.feedback?.text).toMatch(/delaying link n1–n2 200 ms each way .*a cut link stays cut/);
	});

	it("i isolates, a second i before the Lab answered heals; once settled the proxies' answer decides", () => {
		const live = { ...ctx, links: true, cutNodes: [] };
		const twice = press([ch('3'), ch('i'), ch('i')], initialUiState(), live);
		expect(twice.linkIntents.map((i) => i.op)).toEqual([
			{ op: 'isolate', node: 'n3' },
			{ op: 'heal', node: 'n3' },
		]);
		expect(twice.feedback?.text).toBe("healing n3's links");
		// Both settled: the proxies say n3 is cut (a lesson cut it meanwhile), so i heals.
		const settled = twice.linkIntents.reduce(
			(s, i) => uiReducer(s, { type: 'linkIntentSettled', id: i.id }),
			twice,
		);
		expect(settled.isolating).toEqual({});
		const next = press([ch('i')], settled, { ...live, cutNodes: ['n3', 'n1'] });
		expect(next.linkIntents.at(-1)?.op).toEqual({ op: 'heal', node: 'n3' });
		// Settling an older change keeps the newer one pending.
		const older = uiReducer(twice, { type: 'linkIntentSettled', id: twice.linkIntents[0]?.id ?? 0 });
		expect(older.isolating.n3?.op).toBe('heal');
		expect(press([ch('i')], initialUiState(), ctx).feedback?.text).toMatch(/--links proxied/);
	});

	it('cycles focus with tab and back with shift-tab', () => {
		expect(press([named('tab')]).focus).toBe('timeline');
		expect(press([named('tab'), named('tab')]).focus).toBe('logs');
		expect(press([named('tab'), named('tab'), named('tab')]).focus).toBe('nodes');
		expect(press([named('shiftTab')]).focus).toBe('logs');
	});

	it('scrolls the focused panel within bounds', () => {
		expect(press([named('down'), named('down'), named('up')]).selected).toBe(1);
		expect(press([named('up')]).selected).toBe(0);
		const timeline = press([named('tab'), named('pageDown'), named('down')]);
		expect(timeline.timelineCursor).toBe(5);
		expect(press([named('end')], timeline).timelineCursor).toBe(29);
		const logs = press([named('tab'), named('tab'), named('pageUp'), named('up')]);
		expect(logs.logsBack).toBe(8);
		expect(press([named('home')], logs).logsBack).toBe(92);
		expect(press([named('end')], logs).logsBack).toBe(0);
	});

	it('pages the timeline by the entries a page shows, so wrapped entries are never skipped unseen', () => {
		// Entries of two rows each (wrapped), 6 rows: a page holds three entries.
		const wrapped: KeyContext = { ...ctx, timelineRows: 6, timelineEntryRows: () => 2 };
		const focused = press([named('tab')], initialUiState(), wrapped);
		const down = press([named('pageDown')], focused, wrapped);
		// Entries 0..2 fill the rows; the old rule (rows - 1 entries) jumped to 5 and entries 3-4 were never drawn.
		expect(down.timelineCursor).toBe(2);
		expect(press([named('pageDown')], down, wrapped).timelineCursor).toBe(4);
		expect(press([named('pageUp')], down, wrapped).timelineCursor).toBe(0);
		// An entry taller than the panel still moves the cursor on by one.
		const tall: KeyContext = { ...ctx, timelineRows: 3, timelineEntryRows: () => 5 };
		expect(press([named('pageDown')], focused, tall).timelineCursor).toBe(1);
		expect(press([named('pageUp'), named('pageUp')], focused, tall).timelineCursor).toBe(0);
	});

	it('toggles all logs vs the selected node, opens and closes help', () => {
		expect(press([ch('a')]).logsAll).toBe(false);
		const help = press([ch('?')]);
		expect(help.help).toBe(true);
		expect(press([ch('r')], help).intents).toHaveLength(0);
		expect(press([named('escape')], help).help).toBe(false);
		expect(press([ch('q')], help)).toMatchObject({ help: false, quit: false });
	});

	it('drops intents once taken', () => {
		const s = press([ch('r'), ch('2'), ch('s')]);
		const first = s.intents[0]?.id ?? 0;
		expect(uiReducer(s, { type: 'intentsTaken', upTo: first }).intents.map((i) => i.key)).toEqual(['s']);
	});
});

describe('uiReducer: node keys against the Lab state', () => {
	const lab = stateAt('core-2.10.27', '2026-11-26T00:47:33.000Z');
	const live: KeyContext = { ...ctx, state: lab, upgradeTo: '2.15.1' };
	const keys = (s: UiState) => s.intents.map((i) => `${i.key} ${i.node}`);

	it('takes one action per node until it has settled; k still kills', () => {
		const busy = press([ch('r'), ch('r'), ch('s')], initialUiState(), live);
		expect(busy.feedback?.text).toBe('n1 is already restarting');
		const s = press([ch('k')], busy, live);
		expect(keys(s)).toEqual(['r n1', 'k n1']);
		expect(s.feedback?.text).toBe('kill -9 n1');
		// The restart settling does not free the node while the kill is in flight.
		expect(uiReducer(s, { type: 'settled', node: 'n1', key: 'r' })).toBe(s);
		const settled = uiReducer(s, { type: 'settled', node: 'n1', key: 'k' });
		expect(keys(press([ch('r')], settled, live))).toEqual(['r n1', 'k n1', 'r n1']);
	});

	it('refuses at once what the state rules out, without an intent', () => {
		const s = press([ch('p'), ch('2'), ch('l')], initialUiState(), { ...live, upgradeTo: null });
		expect(keys(s)).toEqual(['p n1', 'l n2']);
		const u = press([ch('u')], initialUiState(), { ...live, upgradeTo: null });
		expect(u.intents).toEqual([]);
		expect(u.feedback?.text).toBe('no upgrade version: start with --upgrade-to <version>');
	});

	it('u asks first (the question stays), u again upgrades, any other key cancels', () => {
		const asked = press([ch('u')], initialUiState(), live);
		expect(asked).toMatchObject({ confirmUpgrade: 'n1', intents: [] });
		expect(asked.feedback).toMatchObject({ tone: 'info', sticky: true });
		expect(asked.feedback?.text).toMatch(/^u again: upgrade n1 2\.10\.27 → 2\.15\.1 \(any other key: no\)/);
		expect(keys(press([ch('u')], asked, live))).toEqual(['u n1']);
		const cancelled = press([ch('2'), ch('u')], asked, live);
		expect(cancelled.intents).toEqual([]);
		expect(cancelled.confirmUpgrade).toBe('n2');
		const down = press([ch('u')], initialUiState(), { ...live, upgradeTo: '2.9.10' });
		expect(down.feedback).toMatchObject({ tone: 'warn' });
		expect(down.feedback?.text).toMatch(/^u again: DOWNGRADE n1 2\.10\.27 → 2\.9\.10/);
	});

	it('keeps a start warning on the status line until something else is said there', () => {
		const warned = initialUiState({ text: 'warning: u downgrades 2.10.27 → 2.9.10' });
		expect(warned.feedback).toMatchObject({
			tone: 'warn',
			sticky: true,
			text: 'warning: u downgrades 2.10.27 → 2.9.10',
		});
		// Moving between nodes says nothing, so the warning stays.
		expect(press([ch('2'), named('down')], warned).feedback).toEqual(warned.feedback);
		expect(press([ch('7')], warned).feedback?.text).toBe('there is no node 7');
		expect(initialUiState().feedback).toBeNull();
	});
});
