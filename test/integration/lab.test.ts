// The wired engine against a real 2.10.27 cluster: the state that the screen,
// the lessons and the rehearsal read must agree with what the servers answer.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/base/wait.js';
import { createLab } from '../../src/lab/lab.js';
import type { Lab, ProbeStartup } from '../../src/lab/types.js';
import type { LabState } from '../../src/observe/state.js';
import { binaryDir } from '../support/binaries.js';
import { TEST_BASE_PORTS } from '../support/ports.js';

const VERSION = '2.10.27';

function waitForState(
	lab: Lab,
	pred: (s: LabState) => boolean,
	timeoutMs: number,
	what: string,
): Promise<LabState> {
	return waitFor(lab, (s) => (pred(s) ? s : undefined), {
		timeoutMs,
		describe: () => `timed out after ${timeoutMs} ms waiting for ${what}`,
	});
}

/** What the dashboard needs to show: every node up and a meta leader. */
function allUpWithLeader(lab: Lab): Promise<LabState> {
	return waitForState(
		lab,
		(st) =>
			st.cluster.order.every((n) => st.cluster.nodes[n]?.process === 'up') && st.cluster.meta.leader !== null,
		20_000,
		'three up nodes and a meta leader',
	);
}

function alive(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
	} catch {
		return false;
	}
}

async function jszLeader(lab: Lab, node: string): Promise<string | null> {
	const res = await fetch(`http://127.0.0.1:${lab.ports(node).http}/jsz`);
	const body = (await res.json()) as { meta_cluster?: { leader?: string } };
	return body.meta_cluster?.leader ?? null;
}

describe('lab: the wired engine on a real cluster', () => {
	let home: string;
	let lab: Lab;
	const pids: number[] = [];
	/** What the screen would get at the moment createLab resolved. */
	let atResolve: { startup: ProbeStartup | undefined; state: LabState };

	beforeAll(async () => {
		home = mkdtempSync(join(tmpdir(), 'natslab-lab-'));
		mkdirSync(join(home, 'cache', 'servers'), { recursive: true });
		symlinkSync(join(binaryDir(), VERSION), join(home, 'cache', 'servers', VERSION));
		lab = await createLab({
			version: VERSION,
			basePort: TEST_BASE_PORTS.lab,
			env: { ...process.env, NATSLAB_HOME: home },
			probes: [{ kind: 'core' }, { kind: 'jetstream' }],
		});
		atResolve = { startup: lab.probeStartup?.getState(), state: lab.getState() };
	});

	afterAll(async () => {
		await lab?.shutdown();
		rmSync(home, { recursive: true, force: true });
	});

	it('derives three up nodes and the same meta leader that /jsz reports', async () => {
		const s = await allUpWithLeader(lab);
		for (const n of s.cluster.order) {
			const pid = s.cluster.nodes[n]?.pid;
			expect(pid).toBeTypeOf('number');
			pids.push(pid as number);
		}
		const leader = s.cluster.meta.leader;
		for (const n of s.cluster.order) expect(await jszLeader(lab, n)).toBe(leader);
		expect(s.cluster.meta.quorum).toMatchObject({ size: 3, needed: 2 });
	});

	it('resolves before the probes start (the dashboard does not wait for them), which then come up behind it', async () => {
		// createLab awaited the agreed meta leader, not the lab stream (an R3 Raft group) or four connections.
		expect(atResolve.startup).toEqual({ phase: 'stream' });
		expect(atResolve.state.clients.order).toEqual([]);
		const s = await allUpWithLeader(lab);
		expect(s.cluster.meta.leader).toMatch(/^n[123]$/);
		await lab.probesReady?.();
		expect(lab.probeStartup?.getState()).toEqual({ phase: 'running' });
		expect([...lab.getState().clients.order].sort()).toEqual([
			'core-pub',
			'core-sub',
			'js-consumer',
			'js-pub',
		]);
	});

	it('sees the probes connected and messages flowing', async () => {
		const s = await waitForState(
			lab,
			(st) =>
				(st.clients.probes['core-sub']?.received ?? 0) > 20 && (st.clients.probes['js-pub']?.acked ?? 0) > 5,
			20_000,
			'core messages received and JetStream acks',
		);
		expect(s.clients.probes['core-pub']?.node).toMatch(/^n[123]$/);
	});

	it('records an action and the leader change a SIGTERM of the meta leader causes', async () => {
		const before = lab.getState().cluster.meta.leader as string;
		await lab.act({ op: 'restart', node: before }, 'learner');
		const s = await waitForState(
			lab,
			(st) =>
				st.cluster.meta.leader !== null &&
				st.cluster.meta.leader !== before &&
				st.cluster.nodes[before]?.process === 'up' &&
				st.cluster.nodes[before]?.seesMetaLeader === st.cluster.meta.leader,
			30_000,
			`meta leader to move off ${before} and ${before} to return and see it`,
		);
		expect(s.timeline.some((t) => t.kind === 'action' && t.text.includes(before))).toBe(true);
		expect(s.timeline.some((t) => t.kind === 'leader' && t.evidence.source === 'log')).toBe(true);
		expect(await jszLeader(lab, before)).toBe(s.cluster.meta.leader);
	});

	it('verifies that no acked JetStream message was lost, and shutdown leaves nothing running', async () => {
		const result = await lab.verify();
		expect(result).not.toBeNull();
		expect(result?.acked).toBeGreaterThan(0);
		expect(result?.ackedMissing).toBe(0);
		const restarted = lab.getState().cluster.order.map((n) => lab.getState().cluster.nodes[n]?.pid as number);
		await lab.shutdown();
		for (const pid of [...pids, ...restarted]) expect(alive(pid)).toBe(false);
	});
});
