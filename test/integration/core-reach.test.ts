// natslab's core reach check (issue #14) against a real proxied lab (2.10.27, then 2.15.1): healthy, every
// node's subscriber gets the messages; n3 isolated, a client on n3 reaches only n3's own
// subscriber and a client on n1 reaches n1 and n2 but not n3; healed, all three again. The
// state keeps each result and the timeline notes it. An aborted check closes its clients
// (the servers' own /connz lists none of them afterwards), a stopped node takes no client,
// and a lab shut down mid-check rejects it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeName } from '../../src/base/names.js';
import { waitFor, waitUntil } from '../../src/base/wait.js';
import { createLab } from '../../src/lab/lab.js';
import type { Lab } from '../../src/lab/types.js';
import { agreedMetaLeader, fullMesh, node } from '../../src/observe/selectors.js';
import { checkCoreReach } from '../../src/probes/core-reach.js';
import { labHome } from '../support/lab-home.js';
import { TEST_BASE_PORTS } from '../support/ports.js';
import { freeBase, hasBinary } from './cluster-support.js';

const NODES: NodeName[] = ['n1', 'n2', 'n3'];

/** Names of the client connections a node's /connz lists. */
async function connectionNames(lab: Lab, n: NodeName): Promise<string[]> {
	const res = await fetch(`http://127.0.0.1:${lab.ports(n).http}/connz?limit=1024`);
	const body = (await res.json()) as { connections?: { name?: string }[] };
	return (body.connections ?? []).map((c) => c.name ?? '');
}

// One lab at a time, on the same block: the first is shut down before the second starts.
describe.each(['2.10.27', '2.15.1'])("core reach through natslab's pair proxies (%s)", (VERSION) => {
	if (!hasBinary(VERSION)) return void it.skip(`no ${VERSION} binary`);
	const home = labHome('natslab-core-reach-', [VERSION]);
	let lab: Lab;

	beforeAll(async () => {
		lab = await createLab({
			version: VERSION,
			workspace: 'core-reach',
			basePort: await freeBase(TEST_BASE_PORTS.coreReach, { proxied: true }),
			env: home.env,
			links: 'proxied',
			probes: [],
		});
		await waitFor(lab, (s) => (agreedMetaLeader(s) && fullMesh(s) ? true : undefined), {
			timeoutMs: 60_000,
			describe: () => 'an agreed meta leader and a full mesh',
		});
	}, 120_000);
	afterAll(async () => {
		await lab?.shutdown();
		home.remove();
	}, 60_000);

	const reach = async (from: NodeName) => {
		const check = lab.checkCoreReach;
		if (!check) throw new Error('the lab has no core reach check');
		return check(from);
	};

	it('healthy: a client on n3 reaches every node’s subscriber; the state keeps it, the timeline notes it', async () => {
		const r = await reach('n3');
		expect(r.received).toEqual({ n1: 20, n2: 20, n3: 20 });
		expect(r.sent).toBe(20);
		const kept = lab.getState().coreReach?.at(-1);
		expect(kept?.from).toBe('n3');
		expect(kept?.received).toEqual(r.received);
		const note = lab.getState().timeline.find((e) => e.text.startsWith('natslab check: a client on n3'));
		expect(note?.text).toContain("n3's own subscriber got 20, n1's 20, n2's 20");
		expect(note?.evidence.source).toBe('client');
		// Every client of the check is closed again.
		for (const n of NODES) expect(await connectionNames(lab, n)).not.toContain(`natslab-reach-${n}`);
	}, 60_000);

	it('n3 isolated: from n3 only n3’s own subscriber gets them; from n1, n1 and n2 but not n3', async () => {
		await lab.changeLinks?.({ op: 'isolate', node: 'n3' }, 'cli');
		const fromN3 = await reach('n3');
		expect(fromN3.received).toEqual({ n1: 0, n2: 0, n3: 20 });
		// It kept trying for the whole window: nothing was going to cross.
		expect(fromN3.rounds).toBeGreaterThan(1);
		const fromN1 = await reach('n1');
		expect(fromN1.received).toEqual({ n1: 20, n2: 20, n3: 0 });
		// The routes still look up meanwhile (their stale timeout is far off).
		expect(node(lab.getState(), 'n3')?.peers.length).toBe(2);
	}, 60_000);

	it('healed: a client on n3 reaches all three again', async () => {
		await lab.changeLinks?.({ op: 'heal', node: 'n3' }, 'cli');
		// Route traffic flows again once n3 names the others' meta leader (its /jsz needs the meta group).
		await waitFor(
			lab,
			(s) => (node(s, 'n3')?.metaView?.metaLeader && agreedMetaLeader(s) && fullMesh(s) ? true : undefined),
			{ timeoutMs: 60_000, describe: () => 'n3 naming the agreed meta leader after the heal' },
		);
		const r = await reach('n3');
		expect(r.received).toEqual({ n1: 20, n2: 20, n3: 20 });
	}, 90_000);

	it('an aborted check rejects and closes every client it opened', async () => {
		await lab.changeLinks?.({ op: 'isolate', node: 'n3' }, 'cli');
		try {
			const stop = new AbortController();
			const nodes = NODES.map((n) => ({ node: n, url: `nats://127.0.0.1:${lab.ports(n).client}` }));
			// From n3 while cut: it publishes rounds for its whole window, so it is mid-check when aborted.
			const running = checkCoreReach({ nodes, from: 'n3', signal: stop.signal });
			const outcome = running.then(
				() => 'resolved',
				(err: Error) => err.message,
			);
			for (const n of NODES) {
				await waitUntil(async () => (await connectionNames(lab, n)).includes(`natslab-reach-${n}`), {
					timeoutMs: 10_000,
					everyMs: 100,
					describe: () => `the check's client on ${n} in its /connz`,
				});
			}
			stop.abort();
			expect(await outcome).toMatch(/stopped/);
			for (const n of NODES) {
				await waitUntil(async () => !(await connectionNames(lab, n)).includes(`natslab-reach-${n}`), {
					timeoutMs: 10_000,
					everyMs: 100,
					describe: () => `no check client on ${n} in its /connz`,
				});
			}
		} finally {
			await lab.changeLinks?.({ op: 'heal', node: 'n3' }, 'cli');
		}
	}, 60_000);

	it('a stopped node takes no client, and the check says why', async () => {
		await lab.act({ op: 'stop', node: 'n2' }, 'cli');
		const gone = await waitFor(
			lab,
			(s) => {
				const p = node(s, 'n2')?.process;
				return p === 'down' || p === 'exited' ? p : undefined;
			},
			{ timeoutMs: 30_000, describe: () => 'n2 stopped in the lab state' },
		);
		const r = await reach('n1');
		expect(r.received).toEqual({ n1: 20, n2: null, n3: 20 });
		expect(r.noClient).toEqual({ n2: gone });
	}, 60_000);

	it('the lab shut down mid-check: the check rejects at once, no result is kept', async () => {
		await lab.changeLinks?.({ op: 'isolate', node: 'n3' }, 'cli');
		const kept = lab.getState().coreReach?.length ?? 0;
		const running = reach('n3').then(
			() => 'resolved',
			(err: Error) => err.message,
		);
		await waitUntil(async () => (await connectionNames(lab, 'n1')).includes('natslab-reach-n1'), {
			timeoutMs: 10_000,
			everyMs: 100,
			describe: () => "the check's client on n1 in its /connz",
		});
		await lab.shutdown();
		expect(await running).toMatch(/the lab stopped/);
		expect(lab.getState().coreReach?.length ?? 0).toBe(kept);
	}, 60_000);
});
