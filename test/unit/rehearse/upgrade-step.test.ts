// How one upgrade step decides and words its outcome, on states the real reducer
// built from the recorded 2.10.27 restart. The lab here is a stand-in that only
// swaps in those recorded states when asked to act: it tests natslab's step
// logic (waits, timeouts, failure wording), not cluster behaviour.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/base/errors.js';
import type { NodeAction } from '../../../src/base/names.js';
import type { Lab } from '../../../src/lab/types.js';
import type { LabState } from '../../../src/observe/state.js';
import { upgradeNode } from '../../../src/rehearse/upgrade-step.js';
import { RehearsalAborted } from '../../../src/rehearse/wait.js';
import { HEALTHZ_RESTART as R, replayHealthzRestart } from './scenarios.js';

const run = replayHealthzRestart(3000);
const at = (t: number) => run.states.filter((s) => s.now <= t).at(-1) as LabState;
const before = at(R.sigterm - 1);
const afterExit = at(R.spawned - 1);
/** n2 is up again, routed, but its replica is not current yet and /healthz answers 503. */
const catchingUp = at(R.spawned + 1300);

/** Per operation: the state it leads to, a few states shown 20 ms apart, or the error it throws. */
function stubLab(script: Partial<Record<NodeAction['op'], LabState | LabState[] | Error>>): {
	lab: Lab;
	acts: string[];
} {
	let state = before;
	const listeners = new Set<(s: LabState) => void>();
	const acts: string[] = [];
	const lab = {
		getState: () => state,
		subscribe(fn: (s: LabState) => void) {
			listeners.add(fn);
			return () => listeners.delete(fn);
		},
		async act(action: NodeAction) {
			acts.push(`${action.op} ${action.node}${action.toVersion ? ` ${action.toVersion}` : ''}`);
			const next = script[action.op];
			if (next instanceof Error) throw next;
			const show = (s: LabState) => {
				state = s;
				for (const fn of listeners) fn(state);
			};
			const [first, ...later] = Array.isArray(next) ? next : next ? [next] : [];
			if (first) show(first);
			for (const [i, s] of later.entries()) setTimeout(() => show(s), 20 * (i + 1));
		},
	} as unknown as Lab;
	return { lab, acts };
}

const gates = { stableMs: 0, gateTimeoutMs: 400, exitTimeoutMs: 300 };
const base = { toVersion: '2.10.27', streams: ['ORDERS'], gates, signal: new AbortController().signal };

describe('one upgrade step', () => {
	it('stops the node the chosen way, waits for the exit, then starts it on the new version', async () => {
		const { lab, acts } = stubLab({ stop: afterExit, upgrade: [catchingUp, run.final] });
		const rec = await upgradeNode({ ...base, lab, strategy: 'restart' }, 'n2');
		expect(acts).toEqual(['stop n2', 'upgrade n2 2.10.27']);
		expect(rec.failure).toBeNull();
		// 2.10.27 exits with code 1 on SIGTERM (recorded in events.log).
		expect(rec.exit).toEqual({ code: 1, signal: null });
		expect(rec.newPid).toBe(R.pid);
		expect(rec.passedAt).not.toBeNull();
	});

	it('names the first gate still shut and what is missing when the gates time out', async () => {
		const { lab } = stubLab({ kill: afterExit, upgrade: catchingUp });
		const lines: string[] = [];
		const rec = await upgradeNode({ ...base, lab, strategy: 'kill', progress: (l) => lines.push(l) }, 'n2');
		expect(rec.signal).toBe('SIGKILL');
		expect(rec.failure?.gate).toBe('replicaCurrent');
		expect(rec.failure?.reason).toMatch(/^not reached 0 s after the start \(.*replica of ORDERS not current/);
	});

	it('fails on an old process that does not exit after the lame duck signal', async () => {
		const { lab, acts } = stubLab({});
		const rec = await upgradeNode({ ...base, lab, strategy: 'lame-duck' }, 'n2');
		expect(acts).toEqual(['ldm n2']);
		expect(rec.failure).toEqual({ gate: 'exit', reason: 'n2 was still running 0 s after the ldm signal' });
	});

	it('reports a node that will not start on the new version in the words of the cluster layer', async () => {
		const { lab } = stubLab({
			stop: afterExit,
			upgrade: new UserError('n2 exited with code 1 during start: bad config'),
		});
		const rec = await upgradeNode({ ...base, lab, strategy: 'restart' }, 'n2');
		expect(rec.failure).toEqual({ gate: 'start', reason: 'n2 exited with code 1 during start: bad config' });
		expect(rec.passedAt).toBeNull();
	});

	it('gives up at once when interrupted', async () => {
		const { lab } = stubLab({ stop: afterExit, upgrade: catchingUp });
		const ctl = new AbortController();
		const pending = upgradeNode(
			{ ...base, lab, strategy: 'restart', gates: { ...gates, gateTimeoutMs: 60_000 }, signal: ctl.signal },
			'n2',
		);
		setTimeout(() => ctl.abort(), 50);
		await expect(pending).rejects.toBeInstanceOf(RehearsalAborted);
	});
});
