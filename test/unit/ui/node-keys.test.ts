import { describe, expect, it } from 'vitest';
import { resolveNodeKey } from '../../../src/ui/node-keys.js';
import { stateAt } from './replay.js';

const RUN = 'core-2.10.27';
const allUp = stateAt(RUN, '2026-11-26T00:47:33.000Z');
// n3 SIGTERMed at 00:47:41.888, exited 41.899 (code 1).
const n3Exited = stateAt(RUN, '2026-11-26T00:47:42.500Z');
// Between the SIGTERM and the exit, n3 is stopping.
const n3Stopping = stateAt(RUN, '2026-11-26T00:47:41.890Z');

describe('resolveNodeKey on real states', () => {
	it('turns keys on an up node into the operations', () => {
		const ops = (['r', 's', 'k', 'l', 'p', 'u'] as const).map((k) => {
			const r = resolveNodeKey(k, 'n2', allUp, '2.15.1');
			return 'action' in r ? r.action : r.refused;
		});
		expect(ops).toEqual([
			{ op: 'restart', node: 'n2' },
			{ op: 'stop', node: 'n2' },
			{ op: 'kill', node: 'n2' },
			{ op: 'ldm', node: 'n2' },
			{ op: 'pause', node: 'n2' },
			{ op: 'upgrade', node: 'n2', toVersion: '2.15.1' },
		]);
	});

	it('starts an exited node with s and refuses what needs a running one', () => {
		expect(n3Exited.cluster.nodes.n3?.process).toBe('exited');
		expect(resolveNodeKey('s', 'n3', n3Exited, null)).toMatchObject({ action: { op: 'start', node: 'n3' } });
		for (const k of ['r', 'k', 'l', 'p'] as const) {
			expect(resolveNodeKey(k, 'n3', n3Exited, null)).toHaveProperty('refused');
		}
		expect(resolveNodeKey('r', 'n3', n3Exited, null)).toEqual({ refused: 'n3 is not running (s starts it)' });
	});

	it('says when the node already runs the upgrade version, or there is none', () => {
		expect(resolveNodeKey('u', 'n1', allUp, '2.10.27')).toEqual({ refused: 'n1 already runs 2.10.27' });
		expect(resolveNodeKey('u', 'n1', allUp, null)).toEqual({
			refused: 'no upgrade version: start with --upgrade-to <version>',
		});
	});

	it('does not stop a node twice', () => {
		expect(n3Stopping.cluster.nodes.n3?.process).toBe('stopping');
		expect(resolveNodeKey('s', 'n3', n3Stopping, null)).toEqual({ refused: 'n3 is already stopping' });
		expect(resolveNodeKey('k', 'n3', n3Stopping, null)).toMatchObject({ action: { op: 'kill' } });
	});
});
