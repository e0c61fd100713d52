// A 5-node cluster (`--nodes 5`) on the smallest terminal natslab supports
// (80x24): every node has its row, and each row still shows its routes to all
// four peers and its health. The 3-node state of a real run, widened to n1..n5.

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LabState, NodeState } from '../../../src/observe/state.js';
import { Dashboard } from '../../../src/ui/components/Dashboard.js';
import { cleanup, FakeLab, renderWithProviders } from '../../support/render.js';
import { stateAt } from './replay.js';

afterEach(() => cleanup());

const FIVE = ['n1', 'n2', 'n3', 'n4', 'n5'];

/** The real run's state at all-up, with n4 and n5 as copies of n1 and every node routed to the other four. */
function fiveNodes(): LabState {
	const three = stateAt('core-2.10.27', '2026-11-26T00:47:33.000Z');
	const n1 = three.cluster.nodes.n1 as NodeState;
	const nodes: Record<string, NodeState> = {};
	for (const name of FIVE) {
		const base = (three.cluster.nodes[name] as NodeState | undefined) ?? { ...n1, isMetaLeader: false };
		const leads = three.cluster.nodes[name] ? base.leads : { streams: [], consumers: [] };
		nodes[name] = {
			...base,
			name,
			leads,
			peers: FIVE.filter((p) => p !== name),
			routesSeenAt: three.now,
			health: { ok: true, status: 200, since: three.now },
		};
	}
	return { ...three, cluster: { ...three.cluster, order: FIVE, nodes } };
}

function rowsOf(frame: string): string[] {
	const lines = frame.split('\n');
	return FIVE.map((name, i) => {
		const row = lines.find((l) => new RegExp(`^│[› ] ${i + 1} ${name} `).test(l));
		if (!row) throw new Error(`no row for ${name} in\n${frame}`);
		return row;
	});
}

describe('nodes panel with 5 nodes', () => {
	it('fits 80x24: five rows, each with its four routes (by row number) and its health', () => {
		const lab = new FakeLab(fiveNodes());
		const { frame } = renderWithProviders(<Dashboard mode="sandbox" onQuit={vi.fn()} />, {
			lab,
			size: { cols: 80, rows: 24 },
		});
		const f = frame();
		expect(f.split('\n').length).toBeLessThan(24);
		for (const [i, row] of rowsOf(f).entries()) {
			// Narrow: a peer is named by its row number (the key that selects it), so the row fits.
			const peers = [1, 2, 3, 4, 5].filter((n) => n !== i + 1).map((n) => `${n}✓`);
			expect(row).toContain(`⇄ ${peers.join('')}`);
			expect(row).toContain('✓ healthy');
			expect([...row].length).toBeLessThanOrEqual(80);
		}
	});

	it('names the peers on a wide terminal', () => {
		const lab = new FakeLab(fiveNodes());
		const { frame } = renderWithProviders(<Dashboard mode="sandbox" onQuit={vi.fn()} />, {
			lab,
			size: { cols: 110, rows: 30 },
		});
		const [n1] = rowsOf(frame());
		expect(n1).toContain('n2✓ n3✓ n4✓ n5✓');
		expect(n1).toContain('✓ healthy');
	});
});
