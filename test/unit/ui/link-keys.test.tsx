// `L` on the dashboard of a lab with proxied links: the other end by its number or
// the arrows, then c cut, d delay 200 ms, h heal, Esc cancels. The keys go through
// the one reducer, so a sequence typed in one chunk ("1L2c") or as writes with no
// await between them each see what the previous key left. Direct links and a
// read-only lab (a watch) offer no such key and send nothing.
import { afterEach, describe, expect, it } from 'vitest';
import type { LinkOp } from '../../../src/cluster/links/table.js';
import { watchLinks } from '../../../src/lab/link-state.js';
import { Dashboard } from '../../../src/ui/components/Dashboard.js';
import { linkModeKey, openLinkMode } from '../../../src/ui/link-keys.js';
import { linkPairs } from '../../support/link-pairs.js';
import { cleanup, FakeLab, renderWithProviders, tick, waitForFrame } from '../../support/render.js';
import { stateAt } from './replay.js';

afterEach(() => cleanup());

const RUN = 'core-2.10.27';
const ALL_UP = '2026-11-26T00:47:33.000Z';

/** A lab whose changeLinks records each op and applies it to its link state, as the proxies would. */
function proxiedLab(readOnly?: string) {
	const lab = new FakeLab(stateAt(RUN, ALL_UP));
	const watch = watchLinks(null);
	const asked: LinkOp[] = [];
	const changeLinks = async (op: LinkOp) => {
		asked.push(op);
		const pairs = (watch.getState() ?? []).map((p) => {
			if (op.op === 'heal-all') return { ...p, cut: false, delayMs: 0 };
			if (!('a' in op) || !([p.from, p.to].includes(op.a) && [p.from, p.to].includes(op.b))) return p;
			if (op.op === 'cut') return { ...p, cut: true };
			if (op.op === 'delay') return { ...p, delayMs: op.delayMs };
			return { ...p, cut: false, delayMs: 0 };
		});
		watch.set(pairs);
		return pairs;
	};
	Object.assign(lab, { linkState: watch, changeLinks, ...(readOnly ? { readOnly } : {}) });
	watch.set(linkPairs(['n1', 'n2', 'n3']));
	return { lab, asked };
}

function dashboard(lab: FakeLab, cols = 80) {
	return renderWithProviders(<Dashboard mode="sandbox" onQuit={() => {}} />, {
		lab,
		size: { cols, rows: 30 },
	});
}

describe('L: one link from the selected node', () => {
	it('"1L2c" in one write cuts n1–n2; the links line says so; the key bar names L at 80 columns', async () => {
		const { lab, asked } = proxiedLab();
		const r = dashboard(lab);
		await waitForFrame(r.frame, (f) => f.includes('links n1–n2 open'), 'the links line');
		expect(r.frame().split('\n').at(-1)).toMatch(/ L link /);
		r.stdin.write('1L2c');
		await waitForFrame(r.frame, (f) => f.includes('n1–n2 cut'), 'n1–n2 cut on the links line');
		expect(asked).toEqual([{ op: 'cut', a: 'n1', b: 'n2' }]);
		expect(r.frame()).toContain('cutting link n1–n2, both ways');
		// The prompt closed: digits select nodes again.
		r.stdin.write('3');
		await waitForFrame(r.frame, (f) => /^│› 3 n3 /m.test(f), 'n3 selected');
		expect(lab.acts).toHaveLength(0);
	});

	it('writes with no await between them: L 3 d delays n1–n3, then L → h heals n1–n2', async () => {
		const { lab, asked } = proxiedLab();
		const r = dashboard(lab, 100);
		await waitForFrame(r.frame, (f) => f.includes('links n1–n2 open'), 'the links line');
		r.stdin.write('L');
		r.stdin.write('3');
		r.stdin.write('d');
		r.stdin.write('L');
		r.stdin.write('\u001B[C'); // → : the first other end, n2
		r.stdin.write('h');
		await waitForFrame(r.frame, () => asked.length === 2, 'two link changes');
		expect(asked).toEqual([
			{ op: 'delay', a: 'n1', b: 'n3', delayMs: 200, dropPercent: 0 },
			{ op: 'heal-link', a: 'n1', b: 'n2' },
		]);
		await waitForFrame(r.frame, (f) => f.includes('n1–n3 delay 200 ms'), 'the delay on the links line');
	});

	it('the prompt takes every key until c/d/h or Esc: r restarts nothing, its own end and Esc send nothing', async () => {
		const { lab, asked } = proxiedLab();
		const r = dashboard(lab);
		await waitForFrame(r.frame, (f) => f.includes('links n1–n2 open'), 'the links line');
		r.stdin.write('2L');
		await waitForFrame(r.frame, (f) => f.includes('link n2–? · other end 1,3'), 'the prompt');
		// c before an other end, its own end, a node key, then n1 chosen and Esc.
		const answers: [string, string][] = [
			['c', 'other end first'],
			['2', 'n2 is this end'],
			['r', 'not a link key: r'],
			['1', 'link n2–n1 ·'],
			['\u001B', 'link: nothing changed'],
		];
		for (const [key, says] of answers) {
			r.stdin.write(key);
			await waitForFrame(r.frame, (f) => f.includes(says), says);
		}
		r.stdin.write('c');
		await tick(50);
		expect(asked).toEqual([]);
		expect(lab.acts).toEqual([]);
	});

	it('is not offered for direct links: no L in the key bar or the help, and L sends nothing', async () => {
		const lab = new FakeLab(stateAt(RUN, ALL_UP));
		const asked: LinkOp[] = [];
		Object.assign(lab, { changeLinks: async (op: LinkOp) => asked.push(op) });
		const r = dashboard(lab, 120);
		await waitForFrame(r.frame, (f) => f.includes('q quit'), 'the dashboard');
		expect(r.frame().split('\n').at(-1)).not.toMatch(/ L link /);
		r.stdin.write('L2c');
		await waitForFrame(
			r.frame,
			(f) => f.includes('L changes a link of a lab started with --links proxied'),
			'why not',
		);
		r.stdin.write('?');
		await waitForFrame(r.frame, (f) => f.includes('help'), 'the help');
		expect(r.frame()).not.toMatch(/L +one link of the node/);
		expect(asked).toEqual([]);
	});

	it('a read-only lab (a watch of proxied links) refuses L like i', async () => {
		const { lab, asked } = proxiedLab('watching prod');
		const r = dashboard(lab, 120);
		await waitForFrame(r.frame, (f) => f.includes('links n1–n2 open'), 'the links line');
		r.stdin.write('L2c');
		await waitForFrame(r.frame, (f) => f.includes('watch'), 'the refusal');
		await tick(50);
		expect(asked).toEqual([]);
		expect(r.frame().split('\n').at(-1)).not.toMatch(/ L link /);
	});

	it('the prompt and its warnings fit the status line at 80 columns, five nodes', () => {
		const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];
		const open = openLinkMode('n3', nodes);
		const mode = { from: 'n3', to: null };
		const texts = [
			open.text,
			...['x', '3', '9', 'c'].map((ch) => linkModeKey(mode, { ch, name: null }, nodes).text),
		];
		expect(texts[1]).toBe('not a link key: x · link n3–? · 1-5 ←→ c d h Esc');
		for (const text of texts) expect(`» ${text}`.length).toBeLessThanOrEqual(80);
	});

	it('the help names L with proxied links', async () => {
		const { lab } = proxiedLab();
		const r = dashboard(lab, 120);
		await waitForFrame(r.frame, (f) => f.includes('links n1–n2 open'), 'the links line');
		r.stdin.write('?');
		await waitForFrame(r.frame, (f) => /L +one link of the node/.test(f), 'the help line');
	});
});
