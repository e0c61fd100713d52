// The header's meta group and the node rows, fed with REAL answers: every node's
// /jsz and /routez recorded around a SIGKILL / SIGSTOP of the meta leader
// (test/fixtures/samples/meta-after-signal), folded by the real reducer with the
// process events natslab would have seen. The header must say what the running
// servers say at each moment, and natslab's own knowledge only as natslab's.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProcessEvent } from '../../../src/base/names.js';
import { normalizeJsz, normalizeRoutez } from '../../../src/monitoring/normalize.js';
import type { LabEvent, PollEvent } from '../../../src/observe/events.js';
import { metaBadge, metaHeader } from '../../../src/observe/meta-header.js';
import { leaderViews } from '../../../src/observe/meta-view.js';
import { initialLabState, reduce } from '../../../src/observe/reducer.js';
import { frozenForMs, routeMark } from '../../../src/observe/route-view.js';
import type { LabState } from '../../../src/observe/state.js';
import { Header } from '../../../src/ui/components/Header.js';
import { FIXTURES } from '../../support/fixtures.js';
import { cleanup, FakeLab, renderWithProviders } from '../../support/render.js';
import { stateAt } from '../ui/replay.js';

interface Capture {
	version: string;
	signal: 'SIGKILL' | 'SIGSTOP';
	target: string;
	newLeaderAgreedAtMs: number;
	samples: {
		before?: boolean;
		atMs: number;
		node: string;
		jsz: { server_id: string; meta_cluster: { leader?: string } } | null;
		routez: { routes: { remote_name?: string; remote_id: string }[] } | null;
	}[];
}

const NODES = ['n1', 'n2', 'n3'];
const T = 5_000_000; // the signal

function capture(file: string): Capture {
	return JSON.parse(readFileSync(join(FIXTURES, 'samples', 'meta-after-signal', file), 'utf8')) as Capture;
}

/** Three nodes up for 10 s, then the recorded answers in time order, the signal at T. */
function replay(c: Capture): { at: number; events: LabEvent[] }[] {
	const ids: Record<string, string> = {};
	for (const s of c.samples) if (s.jsz) ids[s.jsz.server_id] = s.node;
	const start: LabEvent[] = NODES.flatMap((node, i) => [
		{ kind: 'process', node, at: T - 10_000, type: 'spawned', pid: 100 + i, version: c.version },
		{ kind: 'process', node, at: T - 9_900, type: 'ready', pid: 100 + i },
	]);
	const pid = 100 + NODES.indexOf(c.target);
	const signal: ProcessEvent[] = [
		{ kind: 'process', node: c.target, at: T, type: 'signalled', pid, signal: c.signal },
	];
	if (c.signal === 'SIGKILL') {
		signal.push({
			kind: 'process',
			node: c.target,
			at: T + 6,
			type: 'exited',
			pid,
			code: null,
			signal: 'SIGKILL',
		});
	}
	const steps: { at: number; events: LabEvent[] }[] = [{ at: T - 9_900, events: start }];
	for (const s of c.samples) {
		const at = s.before ? T - 50 : T + 10 + s.atMs;
		const answer = (endpoint: 'jsz' | 'routez'): PollEvent =>
			s[endpoint] === null
				? { kind: 'poll', node: s.node, at, ok: false, endpoint, error: 'timeout after 500 ms' }
				: ({
						kind: 'poll',
						node: s.node,
						at,
						ok: true,
						endpoint,
						data: endpoint === 'jsz' ? normalizeJsz(s.jsz) : normalizeRoutez(s.routez, ids),
					} as PollEvent);
		// One poll round: the nodes answered together (the capture asked all three at once).
		const round = steps.find((x) => x.at === at);
		if (round) round.events.push(answer('routez'), answer('jsz'));
		else steps.push({ at, events: [answer('routez'), answer('jsz')] });
	}
	steps.push({ at: T, events: signal });
	return steps.sort((a, b) => a.at - b.at);
}

/** Every running server's last /jsz answer, as the fixture recorded it up to `at`. */
function recordedViews(c: Capture, at: number): Map<string, string | null> {
	const views = new Map<string, string | null>();
	for (const s of c.samples) {
		const t = s.before ? T - 50 : T + 10 + s.atMs;
		if (t > at || s.jsz === null) continue;
		if (t > T && s.node === c.target) continue;
		views.set(s.node, s.jsz.meta_cluster.leader ?? null);
	}
	if (at >= T) views.delete(c.target); // killed or frozen: no current answer
	return views;
}

function headerLine(s: LabState): string {
	const h = metaHeader(s, s.now);
	return `${h.quorum.text} · ${h.leader.text}${h.note}${h.detail}`;
}

describe('header after a SIGKILL of the meta leader, on recorded answers', () => {
	for (const file of [
		'sigkill-leader-2.10.27.json',
		'sigkill-leader-2.15.1.json',
		'sigkill-leader-2.9.10.json',
	]) {
		const c = capture(file);
		it(`${c.version}: names ${c.target} as the survivors do, marks the kill as natslab's, then the new leader`, () => {
			let s = initialLabState({ nodes: NODES });
			const survivors = NODES.filter((n) => n !== c.target);
			let followedUntil = 0;
			let namedOld = 0;
			for (const step of replay(c)) {
				s = step.events.reduce(reduce, s);
				if (step.at < T) continue;
				const views = recordedViews(c, step.at);
				const line = headerLine(s);
				// The done-when line: never a claim every running server's /jsz contradicts.
				const named = [...views.values()];
				if (named.length > 0 && named.every((l) => l === c.target)) {
					namedOld++;
					followedUntil = step.at;
					expect(line).toContain(`meta leader ${c.target} (per ${survivors.join(',')})`);
					expect(line).toMatch(new RegExp(`natslab: ${c.target} killed \\d+(ms|s) ago`));
					expect(line).not.toContain('no meta leader');
					// natslab's own picture already dropped it: that is what the header used to show.
					expect(s.cluster.meta.leader).not.toBe(c.target);
					expect(metaBadge(s, c.target)).toBe('◇META');
				}
				const agreed = named[0];
				if (named.length > 0 && agreed && agreed !== c.target && named.every((l) => l === agreed)) {
					expect(line).toMatch(new RegExp(`meta leader ${agreed} for`));
					expect(line).not.toContain('natslab:');
				}
				if (named.length > 0 && named.every((l) => l === null)) expect(line).toContain('no meta leader');
			}
			expect(namedOld).toBeGreaterThan(5);
			// The end: the new leader's own view counts itself and the other survivor current, not the dead node.
			const [leader] = [...recordedViews(c, Number.POSITIVE_INFINITY).values()];
			expect(headerLine(s)).toMatch(new RegExp(`^meta quorum 2/3 \\(needs 2\\) · meta leader ${leader} for`));
			expect(metaBadge(s, leader as string)).toBe('◆META');
			// Routes as both ends list them: the survivors to each other; none to or from the dead node.
			expect(routeMark(s, survivors[0] as string, survivors[1] as string)).toBe('both');
			for (const n of survivors) {
				expect(routeMark(s, n, c.target)).toBe('none');
				expect(routeMark(s, c.target, n)).toBe('none');
			}
			// …and says whom it counts out, as its own /jsz does (`current: false`).
			expect(metaHeader(s).detail).toBe(` · ${c.target} not current per ${leader}`);
			// Timed from the kill to the first answer set where no survivor named the old leader.
			const noticed = s.timeline.find((e) => e.text.startsWith('servers noticed'));
			const firstNot = replay(c).find((x) => x.at > followedUntil && x.at > T)?.at ?? 0;
			expect(noticed?.text).toBe(
				`servers noticed: ${survivors.join(',')} no longer follow ${c.target} after ${((firstNot - T) / 1000).toFixed(1)} s`,
			);
			expect(firstNot - T).toBeGreaterThan(2000); // an election, not a hand-over
		});
	}
});

describe('SIGSTOP of the meta leader, on recorded answers', () => {
	const c = capture('sigstop-leader-2.10.27.json');

	it('the frozen leader is named as the others name it, and its own data is marked stale', () => {
		let s = initialLabState({ nodes: NODES });
		const steps = replay(c);
		const others = NODES.filter((n) => n !== c.target);
		for (const step of steps.filter((x) => x.at <= T + 1000)) s = step.events.reduce(reduce, s);
		expect(headerLine(s)).toContain(`meta leader ${c.target} (per ${others.join(',')})`);
		expect(headerLine(s)).toMatch(new RegExp(`natslab: ${c.target} paused \\d+(ms|s) ago`));
		expect(leaderViews(s.cluster).map((v) => v.node)).toEqual(others);
		expect(frozenForMs(s, c.target)).toBeGreaterThan(500);
		// The others still list their routes to it, and it cannot say: one-sided, not ✓.
		for (const o of others) {
			expect(s.cluster.nodes[o]?.peers).toContain(c.target);
			expect(routeMark(s, o, c.target)).toBe('mine');
			expect(routeMark(s, c.target, o)).toBe('theirs');
		}
		expect(routeMark(s, others[0] as string, others[1] as string)).toBe('both');
		for (const step of steps.filter((x) => x.at > T + 1000)) s = step.events.reduce(reduce, s);
		expect(headerLine(s)).toMatch(/meta leader n\d for/);
		expect(headerLine(s)).not.toContain(`meta leader ${c.target}`);
		expect(s.timeline.some((e) => /^servers noticed: n\d,n\d no longer follow/.test(e.text))).toBe(true);
	});

	it('thawed, the old leader still naming itself does not unseat the leader the others elected', () => {
		let s = replay(c).reduce((st, step) => step.events.reduce(reduce, st), initialLabState({ nodes: NODES }));
		const elected = metaHeader(s).leader.text;
		expect(elected).toMatch(/^meta leader n\d for /);
		const pid = 100 + NODES.indexOf(c.target);
		// Its first answer after SIGCONT: what it believed when frozen (its own recorded answer from then).
		const frozenBelief = c.samples.find((x) => x.before && x.node === c.target)?.jsz;
		s = [
			{ kind: 'process', node: c.target, at: s.now + 100, type: 'signalled', pid, signal: 'SIGCONT' },
			{
				kind: 'poll',
				node: c.target,
				at: s.now + 200,
				ok: true,
				endpoint: 'jsz',
				data: normalizeJsz(frozenBelief),
			},
		].reduce((st, e) => reduce(st, e as LabEvent), s);
		const h = metaHeader(s, s.now);
		expect(h.leader.text.replace(/ for .*/, '')).toBe(elected.replace(/ for .*/, ''));
		expect(h.detail).toContain(`(${c.target} sees ${c.target})`);
		expect(metaBadge(s, c.target)).toBe('◇META');
	});

	it('a peer that dropped its route to the frozen node shows it as gone on both rows', () => {
		let s = initialLabState({ nodes: NODES });
		for (const step of replay(c).filter((x) => x.at <= T + 1000)) s = step.events.reduce(reduce, s);
		const [peer] = NODES.filter((n) => n !== c.target) as [string];
		// The peer's next /routez without the frozen node (what a stale-connection close leaves).
		const last = c.samples.filter((x) => x.node === peer && x.routez).at(-1);
		const routes = (last?.routez?.routes ?? []).filter((r) => r.remote_name !== c.target);
		s = reduce(s, {
			kind: 'poll',
			node: peer,
			at: s.now + 100,
			ok: true,
			endpoint: 'routez',
			data: normalizeRoutez({ routes }),
		});
		expect(routeMark(s, peer, c.target)).toBe('none');
		expect(routeMark(s, c.target, peer)).toBe('none');
	});
});

describe('the rendered header in the moments after the kill', () => {
	const c = capture('sigkill-leader-2.10.27.json');
	/** The state 2 s after the kill: the survivors still name the dead leader. */
	function midKill(): LabState {
		return replay(c)
			.filter((x) => x.at <= T + 2000)
			.reduce((s, step) => step.events.reduce(reduce, s), initialLabState({ nodes: NODES }));
	}

	for (const cols of [80, 100]) {
		it(`fits one line of ${cols} columns and keeps the servers' leader and natslab's kill`, () => {
			const lab = new FakeLab(midKill(), { initial: c.version, upgradeTo: null });
			const f = renderWithProviders(<Header mode="sandbox" width={cols} />, { lab }).frame();
			expect(f.split('\n')).toHaveLength(1);
			expect(f.length).toBeLessThanOrEqual(cols);
			expect(f).toContain(`meta leader ${c.target} (per n1,n3) · natslab: ${c.target} killed`);
			cleanup();
		});
	}

	it('after the election: the leader’s own count, with whom it counts out where there is room', () => {
		const end = replay(c).reduce(
			(s, step) => step.events.reduce(reduce, s),
			initialLabState({ nodes: NODES }),
		);
		const frame = (cols: number) =>
			renderWithProviders(<Header mode="sandbox" width={cols} />, {
				lab: new FakeLab(end, { initial: c.version, upgradeTo: null }),
			}).frame();
		const wide = frame(100);
		expect(wide).toContain('meta quorum 2/3 (needs 2) · meta leader n1 for');
		expect(wide).toContain(' · n2 not current per n1');
		const narrow = frame(80);
		expect(narrow.length).toBeLessThanOrEqual(80);
		expect(narrow).toContain('meta quorum 2/3 (needs 2) · meta leader n1 for');
		expect(narrow).not.toContain('not current');
		cleanup();
	});

	it('a just-restarted follower that names no leader yet does not unseat the one the others follow', () => {
		let s = replay(c)
			.filter((x) => x.at < T)
			.reduce((st, step) => step.events.reduce(reduce, st), initialLabState({ nodes: NODES }));
		const leader = c.target;
		const follower = NODES.find((n) => n !== leader) as string;
		s = [
			{ kind: 'process', node: follower, at: T, type: 'signalled', pid: 100, signal: 'SIGTERM' },
			{ kind: 'process', node: follower, at: T + 10, type: 'exited', pid: 100, code: 1, signal: null },
			{ kind: 'process', node: follower, at: T + 100, type: 'spawned', pid: 200, version: c.version },
			{ kind: 'process', node: follower, at: T + 150, type: 'ready', pid: 200 },
			// Its first /jsz: the same answer with no `leader` (it has not heard from the leader yet).
			{
				kind: 'poll',
				node: follower,
				at: T + 300,
				ok: true,
				endpoint: 'jsz',
				data: normalizeJsz({ meta_cluster: { name: 'lab', cluster_size: 3 } }),
			},
		].reduce((st, e) => reduce(st, e as LabEvent), s);
		const h = metaHeader(s, s.now);
		expect(h.leader.text).toMatch(new RegExp(`^meta leader ${leader} for `));
		expect(h.detail).toBe(` (${follower} sees none)`);
		expect(h.note).toBe('');
		expect(metaBadge(s, leader)).toBe('◆META');
	});
});

describe('servers noticed, from the servers’ own log lines (real run core-2.10.27)', () => {
	it('a SIGTERMed leader hands over in milliseconds; after a SIGKILL the others follow it until their election', () => {
		const s = stateAt('core-2.10.27', '2026-11-26T00:47:56.000Z');
		const noticed = s.timeline.filter((e) => e.text.startsWith('servers noticed')).map((e) => e.text);
		// n3 SIGTERMed at 41.888: n1 logged itself leader at 41.906, n2 followed at 41.908 (the last to say so).
		// n1 SIGKILLed at 48.869: n2 elected itself at 53.556.
		expect(noticed).toEqual([
			'servers noticed: n1,n2 no longer follow n3 after 20 ms',
			'servers noticed: n2,n3 no longer follow n1 after 4.7 s',
		]);
	});
});
