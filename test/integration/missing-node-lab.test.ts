// Lesson 12's lab against real servers: createLab({ start: [n1, n2] }) starts two of three
// nodes, fresh. On 2.15.1 (2.12+) the lab comes up without a meta leader and stays without
// one: every started server's own /jsz names none and its /healthz says why, while n3 shows
// as never started (not as exited). Starting n3 brings the first leader. The same lab on
// 2.10.27 elects with 2 of 3 (docs/partitions.md "A new cluster with a node missing").
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { delay, waitUntil } from '../../src/base/wait.js';
import { createLab } from '../../src/lab/lab.js';
import type { Lab } from '../../src/lab/types.js';
import { processLook } from '../../src/ui/format.js';
import { labHome } from '../support/lab-home.js';
import { TEST_BASE_PORTS } from '../support/ports.js';
import { hasBinary } from './cluster-support.js';

const BASE = TEST_BASE_PORTS.missingNode;
const STARTED = ['n1', 'n2'];
const NO_LEADER_TEXT = 'JetStream has not established contact with a meta leader';
/** What 2.15.1's /healthz says in its first moments, before NO_LEADER_TEXT (measured here). */
const RECOVERING_TEXT = 'JetStream is still recovering meta layer';

/** One server's own word: the meta leader its /jsz names ('' for none) and its /healthz. */
async function serverView(lab: Lab, node: string) {
	const http = `http://127.0.0.1:${lab.ports(node).http}`;
	const jsz = (await (await fetch(`${http}/jsz`)).json()) as { meta_cluster?: { leader?: string } };
	const health = await fetch(`${http}/healthz`);
	return { leader: jsz.meta_cluster?.leader ?? '', health: health.status, healthText: await health.text() };
}

/** The meta leader every given server's /jsz names, once they all name the same one. */
function agreedLeader(lab: Lab, nodes: string[], timeoutMs: number): Promise<string> {
	return waitUntil(
		async () => {
			const views = await Promise.all(nodes.map((n) => serverView(lab, n).catch(() => null)));
			const first = views[0]?.leader;
			return first && views.every((v) => v?.leader === first) ? first : undefined;
		},
		{ timeoutMs, everyMs: 250, describe: () => `${nodes.join(', ')} naming the same meta leader` },
	);
}

let lab: Lab | null = null;
const home = labHome('natslab-missing-node-', ['2.10.27', '2.15.1'].filter(hasBinary));
afterEach(async () => {
	await lab?.shutdown();
	lab = null;
});
afterAll(() => home.remove());

describe.skipIf(!hasBinary('2.15.1'))('a fresh 2.15.1 lab started with n1 and n2 of three', () => {
	it('is up without a meta leader, stays without one, and elects once n3 starts', {
		timeout: 120_000,
	}, async () => {
		lab = await createLab({ version: '2.15.1', start: STARTED, basePort: BASE, env: home.env });
		const started = lab;
		const n3 = started.getState().cluster.nodes.n3;
		expect(n3?.process).toBe('down');
		expect(n3?.exit).toBeNull();
		expect(n3 && processLook(n3).label).toBe('not started');

		// Any meta leader natslab's state names while we watch fails the test, not only one at the end.
		const named: string[] = [];
		const unsubscribe = started.subscribe((s) => {
			if (s.cluster.meta.leader) named.push(s.cluster.meta.leader);
		});
		// Ten seconds of the servers' own word, every half second: no leader, and /healthz says why
		// (after a first moment of recovering its meta layer).
		const watchUntil = Date.now() + 10_000;
		let looks = 0;
		const lastText: Record<string, string> = {};
		while (Date.now() < watchUntil) {
			for (const node of STARTED) {
				const v = await serverView(started, node);
				expect(v.leader, `${node} /jsz`).toBe('');
				expect(v.health, `${node} /healthz`).toBe(503);
				expect(
					[NO_LEADER_TEXT, RECOVERING_TEXT].some((t) => v.healthText.includes(t)),
					v.healthText,
				).toBe(true);
				lastText[node] = v.healthText;
			}
			looks++;
			await delay(500);
		}
		unsubscribe();
		expect(named).toEqual([]);
		expect(looks).toBeGreaterThan(5);
		for (const node of STARTED) expect(lastText[node], node).toContain(NO_LEADER_TEXT);
		// n3 was never started: nothing listens on its monitoring port.
		await expect(fetch(`http://127.0.0.1:${started.ports('n3').http}/healthz`)).rejects.toThrow();

		await started.act({ op: 'start', node: 'n3' }, 'lesson');
		const leader = await agreedLeader(started, ['n1', 'n2', 'n3'], 45_000);
		expect(['n1', 'n2', 'n3']).toContain(leader);
	});
});

describe.skipIf(!hasBinary('2.10.27'))('the same lab on 2.10.27', () => {
	it('elects a meta leader with 2 of 3 fresh servers; n3 stays not started', {
		timeout: 90_000,
	}, async () => {
		lab = await createLab({ version: '2.10.27', start: STARTED, basePort: BASE, env: home.env });
		const leader = await agreedLeader(lab, STARTED, 30_000);
		expect(STARTED).toContain(leader);
		expect(lab.getState().cluster.nodes.n3?.process).toBe('down');
	});
});
