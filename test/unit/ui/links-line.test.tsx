// The links line of a lab with proxied links: one line under the header saying
// what natslab's proxies do with each link and whether the servers noticed a cut
// yet (their route peers, from the real core-2.10.27 run's state); nothing for
// direct links; the frame stays one row shorter than the terminal either way.
import { afterEach, describe, expect, it } from 'vitest';
import type { PairStatus } from '../../../src/cluster/links/pairs.js';
import type { LinkOp } from '../../../src/cluster/links/table.js';
import { watchLinks } from '../../../src/lab/link-state.js';
import type { LabState } from '../../../src/observe/state.js';
import { Dashboard } from '../../../src/ui/components/Dashboard.js';
import { fitLinkSegments, linkSegments } from '../../../src/ui/components/LinksLine.js';
import { cleanup, FakeLab, renderWithProviders, waitForFrame } from '../../support/render.js';
import { stateAt } from './replay.js';

afterEach(() => cleanup());

const ALL_UP = '2026-11-26T00:47:33.000Z';

function pair(from: string, to: string, port: number, over: Partial<PairStatus> = {}): PairStatus {
	return {
		from,
		to,
		port,
		target: 0,
		cut: false,
		delayMs: 0,
		dropPercent: 0,
		connections: 1,
		held: 0,
		...over,
	};
}

/** n3 isolated, n1–n2 delayed 200 ms. */
const PAIRS: PairStatus[] = [
	pair('n1', 'n2', 17222, { delayMs: 200 }),
	pair('n1', 'n3', 17223, { cut: true }),
	pair('n2', 'n1', 17224, { delayMs: 200 }),
	pair('n2', 'n3', 17225, { cut: true }),
	pair('n3', 'n1', 17226, { cut: true }),
	pair('n3', 'n2', 17227, { cut: true }),
];

/** The real state, with n1 still routing to n3 and n2–n3 routes gone (n3 isolated a while ago). */
function stateWithN2N3RoutesGone(): LabState {
	const s = stateAt('core-2.10.27', ALL_UP);
	const peers: Record<string, string[]> = { n1: ['n2', 'n3'], n2: ['n1'], n3: ['n1'] };
	const nodes = Object.fromEntries(
		Object.entries(s.cluster.nodes).map(([name, n]) => [
			name,
			{ ...n, peers: peers[name] ?? [], routesSeenAt: s.now },
		]),
	);
	return { ...s, cluster: { ...s.cluster, nodes } };
}

describe('the links line', () => {
	it('says each link state and whether a cut link is still routed', () => {
		const s = stateWithN2N3RoutesGone();
		expect(linkSegments(PAIRS, s)).toEqual([
			{ text: 'n1–n2 delay 200 ms', color: 'yellow' },
			{ text: 'n1–n3 cut (routes still up)', color: 'red' },
			{ text: 'n2–n3 cut (routes down)', color: 'red' },
		]);
	});

	it('at 80 columns, three cut links are grouped by what is true of them, never cut before it', () => {
		const s = stateWithN2N3RoutesGone();
		const allCut = PAIRS.map((p) => ({ ...p, cut: true, delayMs: 0 }));
		const full = linkSegments(allCut, s);
		// Link by link it is 'links ' + 87 columns: the last '(routes down)' would be cut at 80.
		const fitted = fitLinkSegments(full, 78);
		expect(fitted).toEqual([
			{ text: 'cut (routes still up): n1–n2 n1–n3', color: 'red' },
			{ text: 'cut (routes down): n2–n3', color: 'red' },
		]);
		expect(`links ${fitted.map((x) => x.text).join(' · ')}`.length).toBeLessThanOrEqual(78);
		// Wide enough: link by link, as before.
		expect(fitLinkSegments(full, 200)).toEqual(full);
	});

	it("does not count a frozen end's old /routez as a route still up", () => {
		const s = stateWithN2N3RoutesGone();
		const n1 = s.cluster.nodes.n1;
		const n3 = s.cluster.nodes.n3;
		if (!n1 || !n3) throw new Error('fixture lacks n1/n3');
		// n1 is frozen (SIGSTOP) with its last answer still listing n3; n3 no longer lists n1.
		const frozen = {
			...s,
			cluster: {
				...s.cluster,
				nodes: { ...s.cluster.nodes, n1: { ...n1, process: 'paused' as const }, n3: { ...n3, peers: [] } },
			},
		};
		expect(linkSegments(PAIRS, frozen)[1]).toEqual({ text: 'n1–n3 cut (routes down)', color: 'red' });
	});

	it('shows under the header for proxied links and keeps the frame one row short of the terminal', async () => {
		const lab = new FakeLab(stateWithN2N3RoutesGone());
		const watch = watchLinks(null);
		Object.assign(lab, { linkState: watch });
		const r = renderWithProviders(<Dashboard mode="sandbox" onQuit={() => {}} />, {
			lab,
			size: { cols: 100, rows: 30 },
		});
		expect(r.frame()).not.toContain('links ');
		watch.set(PAIRS);
		const f = await waitForFrame(r.frame, (x) => x.includes('n1–n3 cut (routes still up)'), 'the links line');
		const lines = f.split('\n');
		expect(lines[1]).toMatch(/^links n1–n2 delay 200 ms · n1–n3 cut \(routes still up\) · n2–n3 cut/);
		expect(lines).toHaveLength(29);
	});

	it('i isolates the selected node, i again heals it; the key bar and the help name the key', async () => {
		const { r, asked } = n3IsolationScreen((apply) => Promise.resolve(apply()));
		await waitForFrame(r.frame, (f) => f.includes('links n1–n2 open'), 'the links line');
		expect(r.frame()).toMatch(/ i isolate /);
		r.stdin.write('3i');
		await waitForFrame(r.frame, (f) => f.includes('n2–n3 cut'), 'n3 cut on the links line');
		expect(r.frame()).toContain('isolating n3: every link of it cut, both ways');
		r.stdin.write('i');
		await waitForFrame(r.frame, (f) => f.includes('n2–n3 open'), 'n3 healed on the links line');
		expect(asked).toEqual([
			{ op: 'isolate', node: 'n3' },
			{ op: 'heal', node: 'n3' },
		]);
		r.stdin.write('?');
		await waitForFrame(r.frame, (f) => /i +isolate the node/.test(f), 'the help line');
	});

	it('"ii" in one write, before the Lab has answered the first: isolate, then heal (one reducer, no stale read)', async () => {
		let answer: () => void = () => {};
		// The proxies answer when the test says so: both keys are reduced before the first answer.
		const { r, asked } = n3IsolationScreen(
			(apply) =>
				new Promise<PairStatus[]>((resolve) => {
					answer = () => resolve(apply());
				}),
		);
		await waitForFrame(r.frame, (f) => f.includes('links n1–n2 open'), 'the links line');
		r.stdin.write('3ii');
		await waitForFrame(r.frame, (f) => f.includes("healing n3's links"), 'the second i said');
		await waitForFrame(r.frame, () => asked.length === 1, 'the isolate sent');
		answer();
		await waitForFrame(r.frame, (f) => f.includes('n2–n3 cut'), 'n3 cut on the links line');
		await waitForFrame(r.frame, () => asked.length === 2, 'the heal sent after the isolate');
		answer();
		await waitForFrame(r.frame, (f) => f.includes('n2–n3 open'), 'n3 healed on the links line');
		expect(asked).toEqual([
			{ op: 'isolate', node: 'n3' },
			{ op: 'heal', node: 'n3' },
		]);
	});

	it('is absent for a lab whose servers route directly', () => {
		const r = renderWithProviders(<Dashboard mode="sandbox" onQuit={() => {}} />, {
			lab: new FakeLab(stateAt('core-2.10.27', ALL_UP)),
			size: { cols: 80, rows: 24 },
		});
		expect(r.frame()).not.toContain('links ');
		expect(r.frame().split('\n')).toHaveLength(23);
	});
});

/**
 * A dashboard on a proxied lab whose changeLinks isolates or heals n3; `respond` decides when
 * the proxies answer (`apply` sets their new state and returns it).
 */
function n3IsolationScreen(respond: (apply: () => PairStatus[]) => Promise<PairStatus[]>) {
	const lab = new FakeLab(stateWithN2N3RoutesGone());
	const watch = watchLinks(null);
	const asked: LinkOp[] = [];
	const changeLinks = (op: LinkOp) => {
		asked.push(op);
		const cut = op.op === 'isolate';
		const pairs = PAIRS.map((p) => ({ ...p, cut: cut && (p.from === 'n3' || p.to === 'n3'), delayMs: 0 }));
		return respond(() => {
			watch.set(pairs);
			return pairs;
		});
	};
	Object.assign(lab, { linkState: watch, changeLinks });
	watch.set(PAIRS.map((p) => ({ ...p, cut: false, delayMs: 0 })));
	const r = renderWithProviders(<Dashboard mode="sandbox" onQuit={() => {}} />, {
		lab,
		size: { cols: 120, rows: 30 },
	});
	return { r, asked };
}
