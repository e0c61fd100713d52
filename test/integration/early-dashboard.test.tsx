// Issue #12: the sandbox's dashboard comes before the meta leader. The real screen (runScreen
// on fake TTY streams) gets a real Lab created as the sandbox creates it (upWhen 'running'),
// on 2.10.27 servers that cannot route: write_deadline 1ns times out every route's first
// write, so they run, answer clients and /jsz, and never elect a meta leader. Were the Lab
// handed over only once the servers agree on a leader, no dashboard would ever be drawn here.
// The dashboard must show the three nodes up and say the election is still on while every
// server's /jsz names no leader; natslab's 30 s wait for the leader then ends the screen with
// its one line and every server stopped. And q during the election stops every server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

// With CI set, Ink draws nothing until exit (is-in-ci is read when Ink loads).
const saved = vi.hoisted(() => {
	const before = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
	delete process.env.CI;
	delete process.env.CONTINUOUS_INTEGRATION;
	return before;
});

import { waitUntil } from '../../src/base/wait.js';
import { isAlive } from '../../src/cluster/process-info.js';
import { createLab } from '../../src/lab/lab.js';
import type { Lab } from '../../src/lab/types.js';
import { runScreen } from '../../src/ui/run.js';
import { fakeIo } from '../support/fake-tty.js';
import { labHome } from '../support/lab-home.js';
import { TEST_BASE_PORTS } from '../support/ports.js';

const VERSION = '2.10.27';
const NODES = ['n1', 'n2', 'n3'];
const BASE = TEST_BASE_PORTS.earlyDashboard;

afterAll(() => {
	for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
});

/** `meta_cluster.leader` of one server: a name, null (none), or undefined (no answer). */
async function jszLeader(node: string): Promise<string | null | undefined> {
	try {
		const res = await fetch(`http://127.0.0.1:${BASE + 4000 + NODES.indexOf(node)}/jsz`, {
			signal: AbortSignal.timeout(2000),
		});
		const j = (await res.json()) as { meta_cluster?: { leader?: string } };
		return j.meta_cluster?.leader ?? null;
	} catch {
		return undefined;
	}
}

const upRow = (frame: string, node: string) =>
	frame.split('\n').some((l) => new RegExp(`^│[› ] \\d ${node} .*● up`).test(l));
/** A dashboard frame: the three nodes up, and the header saying the first election is on. */
const electingDashboard = (frame: string) =>
	NODES.every((n) => upRow(frame, n)) && frame.includes('electing a meta leader…');

/** The sandbox's screen on a Lab whose servers never elect; `pids` are its servers' (from the run file). */
function sandboxThatCannotElect() {
	const home = labHome('natslab-early-dashboard-', [VERSION]);
	const { io, stdout, stderr, stdin } = fakeIo(true, home.env);
	let lab: Lab | null = null;
	const done = runScreen({
		mode: 'sandbox',
		source: 'sandbox',
		io,
		versions: [VERSION],
		patchConsole: false,
		createLab: async (hooks) => {
			lab = await createLab({
				version: VERSION,
				basePort: BASE,
				workspace: 'sandbox',
				serverOptions: { write_deadline: '1ns' },
				upWhen: 'running',
				...hooks,
			});
			return lab;
		},
	});
	done.catch(() => {});
	const pids = () => {
		const run = JSON.parse(
			readFileSync(join(home.dir, 'state', 'clusters', 'sandbox', 'run.json'), 'utf8'),
		) as { nodes: Record<string, { pid: number | null }> };
		return Object.values(run.nodes).flatMap((n) => (n.pid ? [n.pid] : []));
	};
	/** Waits for the dashboard before any leader; checks that no server names one; returns the server pids. */
	const dashboardBeforeTheLeader = async () => {
		await waitUntil(() => stdout.writes.some(electingDashboard), {
			timeoutMs: 25_000,
			everyMs: 20,
			describe: () => `no dashboard before the election; last frame:\n${stdout.writes.at(-1) ?? ''}`,
		});
		const leaders = await Promise.all(NODES.map(jszLeader));
		// Every server answers, and none names a leader: the dashboard came before the servers knew one.
		expect(leaders).toEqual([null, null, null]);
		expect(lab?.election?.getState()).toEqual({ phase: 'electing' });
		const started = pids();
		expect(started).toHaveLength(3);
		return started;
	};
	const cleanup = async () => {
		await (lab as Lab | null)?.shutdown();
		home.remove();
	};
	return { done, stderr, stdin, dashboardBeforeTheLeader, cleanup };
}

describe('the sandbox screen before the meta leader (real 2.10.27 servers that cannot route)', () => {
	it('shows the nodes while no server names a leader; no leader in 30 s ends it in one line, every server stopped', async () => {
		const run = sandboxThatCannotElect();
		try {
			const pids = await run.dashboardBeforeTheLeader();
			const error = await run.done.then(
				() => new Error('the screen ended as if quit'),
				(err: unknown) => err,
			);
			expect(error).toBeInstanceOf(Error);
			expect((error as Error).message).toMatch(/^no agreed JetStream meta leader after 30 s \(n1: none/);
			expect((error as Error).message).not.toContain('\n');
			expect(run.stderr.text).toContain('natslab sandbox: stopping the servers…');
			expect(pids.filter(isAlive)).toEqual([]);
		} finally {
			await run.cleanup();
		}
	}, 90_000);

	it('q during the election stops every server and returns 0', async () => {
		const run = sandboxThatCannotElect();
		try {
			const pids = await run.dashboardBeforeTheLeader();
			run.stdin.write('q');
			await expect(run.done).resolves.toBe(0);
			expect(run.stderr.text).toContain('natslab sandbox: every server stopped');
			expect(pids.filter(isAlive)).toEqual([]);
		} finally {
			await run.cleanup();
		}
	}, 90_000);
});
