// Lesson 3's a-follower on a real 2.10.27 lab whose three leaders (meta, ORDERS, C1) sit on
// three different nodes: natslab steps C1's leader down with a real JetStream request and picks
// the node it left. Every claim is checked against every server's own /jsz.
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, waitUntil } from '../../src/base/wait.js';
import { createLab } from '../../src/lab/lab.js';
import type { Lab } from '../../src/lab/types.js';
import { findLesson, loadCourse } from '../../src/lessons/course.js';
import { LessonSession } from '../../src/lessons/engine.js';
import { findOrFreeFollower } from '../../src/lessons/free-follower.js';
import { consumerLeaderToFree } from '../../src/lessons/targets.js';
import { labHome } from '../support/lab-home.js';
import { TEST_BASE_PORTS } from '../support/ports.js';

const VERSION = '2.10.27';
const NODES = ['n1', 'n2', 'n3'];

interface Leaders {
	meta: string;
	stream: string;
	consumer: string;
}

interface Jsz {
	meta_cluster?: { leader?: string };
	account_details?: {
		stream_detail?: {
			name: string;
			cluster?: { leader?: string };
			consumer_detail?: { name: string; cluster?: { leader?: string } }[];
		}[];
	}[];
}

/** One server's view of the three leaders, or null while it does not know all three. */
async function leadersSeenBy(lab: Lab, node: string): Promise<Leaders | null> {
	const res = await fetch(
		`http://127.0.0.1:${lab.ports(node).http}/jsz?accounts=true&streams=true&consumers=true`,
	);
	const jsz = (await res.json()) as Jsz;
	const stream = jsz.account_details?.flatMap((a) => a.stream_detail ?? []).find((s) => s.name === 'ORDERS');
	const consumer = stream?.consumer_detail?.find((c) => c.name === 'C1');
	const meta = jsz.meta_cluster?.leader;
	const s = stream?.cluster?.leader;
	const c = consumer?.cluster?.leader;
	return meta && s && c ? { meta, stream: s, consumer: c } : null;
}

/** Every server's view (null where it did not answer or does not know all three leaders). */
function viewsOf(lab: Lab): Promise<(Leaders | null)[]> {
	return Promise.all(NODES.map((n) => leadersSeenBy(lab, n).catch(() => null)));
}

/** The leaders when every server reports the same three, else null. */
async function agreedLeaders(lab: Lab): Promise<Leaders | null> {
	const views = await viewsOf(lab);
	const [first] = views;
	if (!first || views.some((v) => JSON.stringify(v) !== JSON.stringify(first))) return null;
	return first;
}

const waitAgreed = (lab: Lab, ok: (l: Leaders) => boolean = () => true) =>
	waitUntil(
		async () => {
			const l = await agreedLeaders(lab);
			return l && ok(l) ? l : undefined;
		},
		{
			timeoutMs: 30_000,
			everyMs: 250,
			describe: () => 'every server reporting the same meta, ORDERS and C1 leaders',
		},
	);

/**
 * Moves meta, ORDERS and C1 onto three nodes with the servers' own stepdowns (bounded), then
 * waits until the lab's state shows that layout too. Returns the layout every server reports.
 */
async function forceThreeWay(lab: Lab): Promise<Leaders> {
	const nc = await connect({ servers: lab.clientUrls() });
	let layout = await waitAgreed(lab);
	try {
		for (let i = 0; i < 24 && new Set(Object.values(layout)).size < 3; i++) {
			const before = layout;
			// The meta leader cannot be moved from the app account, so the stream or the consumer moves, in turn:
			// under load C1 went n1 → n2 → n1 … 16 times beside meta n1 and ORDERS n2, never to n3; moving ORDERS
			// too changes which node C1 must reach (a node that never wins one group's election can take the other).
			if (layout.stream === layout.meta || i % 2 === 1) {
				await nc.request('$JS.API.STREAM.LEADER.STEPDOWN.ORDERS', '', { timeout: 5000 });
				layout = await waitAgreed(lab, (l) => l.stream !== before.stream);
			} else {
				await lab.stepDownConsumerLeader?.('ORDERS', 'C1');
				layout = await waitAgreed(lab, (l) => l.consumer !== before.consumer);
			}
		}
	} finally {
		await nc.close();
	}
	expect(new Set(Object.values(layout)).size, JSON.stringify(layout)).toBe(3);
	const shown = layout;
	await waitFor(lab, (s) => (consumerLeaderToFree(s)?.node === shown.consumer ? true : undefined), {
		timeoutMs: 30_000,
		describe: () => `the lab's state showing ${JSON.stringify(shown)}`,
	});
	return layout;
}

describe('a-follower when each node leads one thing (real 2.10.27 lab)', () => {
	const home = labHome('natslab-free-follower-', [VERSION]);
	let lab: Lab;

	beforeAll(async () => {
		lab = await createLab({
			version: VERSION,
			basePort: TEST_BASE_PORTS.freeFollower,
			env: home.env,
			// What lesson 3 asks for.
			probes: [{ kind: 'core' }, { kind: 'jetstream' }],
		});
		await lab.probesReady?.();
	}, 120_000);

	afterAll(async () => {
		await lab?.shutdown();
		home.remove();
	});

	it('forces the three-way layout, then natslab steps C1 down and picks a node that leads nothing per every /jsz', async () => {
		const layout = await forceThreeWay(lab);
		const freed = layout.consumer;

		const found = await findOrFreeFollower(lab, { timeoutMs: 30_000 });
		expect(found, 'a follower was made').not.toBeNull();
		expect(found?.node).toBe(freed);
		expect(found?.why).toContain(`natslab moved C1's leader off ${freed}`);

		// Every server agrees the picked node leads nothing.
		const after = await waitAgreed(lab, (l) => l.consumer !== freed);
		expect([after.meta, after.stream, after.consumer]).not.toContain(found?.node);
		// And the timeline says natslab did it.
		expect(
			lab
				.getState()
				.timeline.some(
					(t) =>
						t.text ===
						`natslab moved C1's leader off ${freed} (consumer leader stepdown) so that one server leads nothing`,
				),
		).toBe(true);
	}, 300_000);

	it('a stepdown the servers refuse rejects with their reason', async () => {
		await expect(lab.stepDownConsumerLeader?.('ORDERS', 'NOPE')).rejects.toThrow(
			/consumer leader stepdown of ORDERS > NOPE refused: .*not found.*\(10014\)/,
		);
	});

	it('lesson 3 runs to the end (auto) on that layout: when the step began its target claimed no leadership in its /jsz and the servers that answered agreed on it for no role', async () => {
		const layout = await forceThreeWay(lab);
		const lesson = findLesson(await loadCourse(), 'restart-a-follower');
		// Auto mode restarts the target at once, so it may not answer this /jsz: the others must.
		let atStart: { target: string; why: string; views: Promise<(Leaders | null)[]> } | null = null;
		const session = new LessonSession({
			lab,
			lesson,
			mode: 'auto',
			onEvent: (e) => {
				if (e.type === 'step-start' && e.index === 0 && e.target)
					atStart = { ...e.target, target: e.target.node, views: viewsOf(lab) };
			},
		});
		const result = await session.run();
		expect(result.status, result.failure).toBe('done');
		const start = atStart as { target: string; why: string; views: Promise<(Leaders | null)[]> } | null;
		expect(start?.target).toBe(layout.consumer);
		expect(start?.why).toContain(`natslab moved C1's leader off ${layout.consumer}`);
		const target = start?.target as string;
		const answered = ((await start?.views) ?? []).flatMap((v, i) => (v ? [{ node: NODES[i], ...v }] : []));
		expect(answered.length, 'servers that answered /jsz at the step start').toBeGreaterThanOrEqual(2);
		const said = JSON.stringify(answered);
		// The target's own answer claims no leadership (a leader knows it leads), and for no role do the
		// servers that answered agree on the target. A follower's view can lag a leader change by a
		// moment (2.10.27, once in CI: one server still named the stepped-down C1 leader at the step
		// start): natslab, like this test, believes a leader's own view (observe/stream-view.ts).
		const own = answered.find((v) => v.node === target);
		if (own) expect([own.meta, own.stream, own.consumer], said).not.toContain(target);
		for (const role of ['meta', 'stream', 'consumer'] as const)
			expect(
				answered.every((v) => v[role] === target),
				`${role}: ${said}`,
			).toBe(false);
	}, 300_000);
});
