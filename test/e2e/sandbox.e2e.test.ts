// The real TUI in a real terminal against a real cluster: `node dist/cli.js
// sandbox` in a private tmux (100x30), real nats-server binaries, real probes.
// Restart the meta leader by key and check that the screen tells the truth:
// the node leaves and comes back (a new pid), the meta leader moves, and the
// leader the screen names is the one /jsz reports. q must stop every server.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FROM_VERSION, DEFAULT_TO_VERSION } from '../../src/base/versions.js';
import { waitUntil as waitUntilBase } from '../../src/base/wait.js';
import { binaryDir } from '../support/binaries.js';
import { TEST_BASE_PORTS } from '../support/ports.js';
import { Tmux } from '../support/tmux.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BASE = TEST_BASE_PORTS.e2e;
const NODES = ['n1', 'n2', 'n3'];
const httpPort = (node: string) => BASE + 4000 + NODES.indexOf(node);

/** Alive and not a zombie (kill -0 is true for zombies; PID 1 here reaps late). */
function alive(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
	} catch {
		return false;
	}
}

async function jszLeader(node: string): Promise<string | null> {
	try {
		const res = await fetch(`http://127.0.0.1:${httpPort(node)}/jsz`, { signal: AbortSignal.timeout(2000) });
		const body = (await res.json()) as { meta_cluster?: { leader?: string } };
		return body.meta_cluster?.leader ?? null;
	} catch {
		return null;
	}
}

/** The meta leader every node's /jsz names, or null while they disagree or one does not answer. */
async function agreedJszLeader(): Promise<string | null> {
	const leaders = await Promise.all(NODES.map(jszLeader));
	const first = leaders[0] ?? null;
	return first !== null && leaders.every((l) => l === first) ? first : null;
}

const nodeRow = (screen: string, node: string) =>
	screen.split('\n').find((l) => new RegExp(`^│[› ] \\d ${node} `).test(l)) ?? '';
const screenLeader = (screen: string) => /meta leader (n\d) for /.exec(screen)?.[1] ?? null;
const allUp = (screen: string) => NODES.every((n) => nodeRow(screen, n).includes('● up'));

describe('natslab sandbox in a real terminal', () => {
	let home: string;
	let tmux: Tmux;
	const pids = new Set<number>();

	const runFile = () => join(home, 'state', 'clusters', 'sandbox', 'run.json');
	/** Remember every server pid the workspace run file names (it is removed on a clean stop). */
	function collectPids(): void {
		try {
			const run = JSON.parse(readFileSync(runFile(), 'utf8')) as {
				owner: { pid: number } | null;
				nodes: Record<string, { pid: number | null }>;
			};
			for (const n of Object.values(run.nodes)) if (n.pid) pids.add(n.pid);
		} catch {
			// Not written yet, or being replaced.
		}
	}

	beforeAll(async () => {
		home = mkdtempSync(join(tmpdir(), 'natslab-e2e-'));
		mkdirSync(join(home, 'cache', 'servers'), { recursive: true });
		for (const v of [DEFAULT_FROM_VERSION, DEFAULT_TO_VERSION]) {
			symlinkSync(join(binaryDir(), v), join(home, 'cache', 'servers', v));
		}
		tmux = new Tmux();
		await tmux.start(`node dist/cli.js sandbox --base-port ${BASE}`, {
			cols: 100,
			rows: 30,
			cwd: ROOT,
			env: { NATSLAB_HOME: home },
		});
	});

	afterAll(async () => {
		await tmux?.kill();
		// Belt and braces: nothing of this test may outlive it.
		for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
		rmSync(home, { recursive: true, force: true });
	});

	it('restarts the meta leader by key and shows what really happened; q stops everything', async () => {
		// Three nodes up and a meta leader on screen, and it is the one /jsz reports.
		let screen = await tmux.waitFor(
			(s) => allUp(s) && screenLeader(s) !== null,
			60_000,
			'three up nodes and a leader',
		);
		collectPids();
		expect(pids.size).toBe(3);
		let leader = screenLeader(screen) as string;
		await waitUntil(async () => {
			screen = await tmux.screen();
			leader = screenLeader(screen) ?? '';
			return leader !== '' && leader === (await agreedJszLeader());
		}, 'the screen and /jsz to name the same meta leader');
		expect(nodeRow(screen, leader)).toContain('◆META');

		// Select the leader by its number and restart it: both keys in one chunk.
		const key = String(NODES.indexOf(leader) + 1);
		await tmux.keys(key, 'r');
		const oldPid = [...pids];
		screen = await tmux.waitFor(`restarting ${leader}`, 20_000, `the answer to r on ${leader}`);
		expect(nodeRow(screen, leader)).toMatch(/^│›/);

		// It comes back: up again, with a new pid in the run file.
		await waitUntil(async () => {
			const s = await tmux.screen();
			collectPids();
			return allUp(s) && pids.size > oldPid.length;
		}, `${leader} back up with a new pid`);
		// The meta leader moved (SIGTERM steps it down), and screen and /jsz agree on the new one.
		let newLeader = '';
		await waitUntil(async () => {
			screen = await tmux.screen();
			newLeader = screenLeader(screen) ?? '';
			return newLeader !== '' && newLeader !== leader && newLeader === (await agreedJszLeader());
		}, 'a new meta leader, the same on screen and in /jsz');
		expect(nodeRow(screen, newLeader)).toContain('◆META');
		expect(nodeRow(screen, leader)).not.toContain('◆META');

		// The timeline kept the whole story: focus it and page through, newest first.
		// (A restart takes ~100 ms, so the node row itself may never show the gap.)
		const story = [
			`restart ${leader}`,
			`${leader} stopped (SIGTERM`, // a restart natslab asked for: a planned stop, not a failure
			`${leader} starting`,
			`meta leader ${leader} lost`,
		];
		const seen = new Set<string>();
		await tmux.keys('Tab');
		await tmux.waitFor('▸ timeline', 10_000);
		const pages: string[] = [];
		// One page at a time, each drawn before the next key (two keys between captures would skip a page).
		const cursorRow = (scr: string) => scr.split('\n').find((l) => /│› \d{2}:\d{2}/.test(l)) ?? '';
		// The restart's entries may still be on their way to the screen when paging starts, and a page
		// whose cursor row reads like the last one ends a pass early: so page from the newest again
		// until the whole story has been seen (or 30 s).
		const onePass = async () => {
			await tmux.keys('Home');
			// Home puts the cursor on the newest entry: the panel's title then reads 1/N.
			let page = await tmux.waitFor(/timeline[^\n]* 1\/\d+ /, 3000).catch(() => tmux.screen());
			for (let i = 0; i < 60 && seen.size < story.length; i++) {
				pages.push(page);
				for (const line of story) if (page.includes(line)) seen.add(line);
				const before = cursorRow(page);
				await tmux.keys('NPage');
				const next = await tmux.waitFor((scr) => cursorRow(scr) !== before, 3000).catch(() => null);
				if (next === null) break; // the cursor stays on the oldest entry: the end
				page = next;
			}
			for (const line of story) if (page.includes(line)) seen.add(line);
			return seen.size === story.length;
		};
		await waitUntil(onePass, 'the whole story in the timeline', 30_000).catch(() => {});
		if (seen.size < story.length) {
			throw new Error(
				`timeline misses ${story.filter((l) => !seen.has(l))}; pages seen:\n${pages.slice(-12).join('\n')}`,
			);
		}

		// q quits: exit code 0 and no server of the workspace left running.
		await tmux.keys('q');
		screen = await tmux.waitFor(Tmux.EXITED, 60_000, 'the exit marker');
		expect(Tmux.EXITED.exec(screen)?.[1]).toBe('0');
		expect(screen).toContain('every server stopped');
		const left = [...pids].filter(alive);
		expect(left).toEqual([]);
	});
});

function waitUntil(pred: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<true> {
	return waitUntilBase(pred, {
		timeoutMs,
		everyMs: 100,
		describe: () => `timed out after ${timeoutMs} ms waiting for ${what}`,
	});
}
