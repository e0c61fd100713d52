// chooseLaneBases: port blocks for clusters side by side (learn --all --auto --jobs N).

import { describe, expect, it } from 'vitest';
import { DEFAULT_NODES } from '../../../src/base/names.js';
import { BLOCK_STEP, chooseLaneBases, PROXY_PORT_OFFSET } from '../../../src/cluster/ports.js';

const busy =
	(...ports: number[]) =>
	async (port: number) =>
		!ports.includes(port);

describe('chooseLaneBases', () => {
	it('an explicit base: that block and the next ones BLOCK_STEP apart, as given', async () => {
		expect(
			await chooseLaneBases({ nodes: DEFAULT_NODES, lanes: 3, explicitBase: 20_000, searchFrom: 14_222 }),
		).toEqual([20_000, 20_000 + BLOCK_STEP, 20_000 + 2 * BLOCK_STEP]);
	});

	it('an explicit base whose last block would end above 65535 is refused as a usage error', async () => {
		await expect(
			chooseLaneBases({ nodes: DEFAULT_NODES, lanes: 3, explicitBase: 61_500, searchFrom: 14_222 }),
		).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/3 clusters side by side/) });
	});

	it('without one: the first run of blocks that is free as a whole (a busy port in any lane moves all)', async () => {
		// The second lane's n3 monitoring port is taken: every run of blocks holding that block moves on.
		const taken = 14_222 + BLOCK_STEP + 4000 + 2;
		expect(
			await chooseLaneBases({ nodes: DEFAULT_NODES, lanes: 2, searchFrom: 14_222, isFree: busy(taken) }),
		).toEqual([14_222 + 2 * BLOCK_STEP, 14_222 + 3 * BLOCK_STEP]);
	});

	it('proxied lessons: the link proxies of every lane are checked too', async () => {
		const proxy = 14_222 + BLOCK_STEP + PROXY_PORT_OFFSET;
		const opts = { nodes: DEFAULT_NODES, lanes: 2, searchFrom: 14_222, isFree: busy(proxy) };
		expect(await chooseLaneBases(opts)).toEqual([14_222, 14_222 + BLOCK_STEP]);
		expect(await chooseLaneBases({ ...opts, proxied: true })).toEqual([
			14_222 + 2 * BLOCK_STEP,
			14_222 + 3 * BLOCK_STEP,
		]);
	});

	it('no free run of blocks: one line naming the first busy port and the way out', async () => {
		await expect(
			chooseLaneBases({ nodes: DEFAULT_NODES, lanes: 2, searchFrom: 14_222, isFree: async () => false }),
		).rejects.toThrow(
			/^no 2 free port blocks side by side from base 14222 \(first busy: 14222\): pass --base-port$/,
		);
	});
});
