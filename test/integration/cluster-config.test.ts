// Every generated config must be accepted by the real server it is for
// (`nats-server -t -c`, the same parser as start-up), and the version gating
// must be real: the keys it holds back are ones the older server rejects.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { atLeast } from '../../src/base/versions.js';
import { Cluster } from '../../src/cluster/cluster.js';
import {
	renderNodeConfig,
	SERVER_OPTIONS,
	type ServerOptionName,
	type ServerOptions,
} from '../../src/cluster/config.js';
import { binaryFor } from '../support/binaries.js';
import { TEST_BASE_PORTS } from '../support/ports.js';
import { asyncBinaryFor, EventLog, hasBinary, tempState } from './cluster-support.js';

/** 2.15.1 is checked when its binary is around (NATSLAB_TEST_BIN_DIR); CI installs the two test versions. */
const VERSIONS = ['2.9.10', '2.10.27', '2.15.1'].filter(hasBinary);

/** A value for every option natslab knows. */
const EVERY_OPTION: Required<ServerOptions> = {
	// A whole number is seconds (a duration kind, cluster/config.ts: written as "120s").
	ping_interval: 120,
	write_deadline: '10s',
	lame_duck_duration: '2m',
	lame_duck_grace_period: '10s',
	ping_max: 3,
	max_payload: '2MB',
	max_pending: '64MB',
	max_connections: 1000,
	max_control_line: '4KB',
	'jetstream.max_memory_store': '256MB',
	'jetstream.max_file_store': '1GB',
	'jetstream.sync_interval': 'always',
	'jetstream.strict': true,
	'cluster.pool_size': 3,
	'cluster.compression': 'accept',
	'cluster.ping_interval': '30s',
};

async function check(version: string, file: string): Promise<{ ok: boolean; said: string }> {
	const r = await execa(binaryFor(version), ['-t', '-c', file], { reject: false, all: true });
	return { ok: r.exitCode === 0, said: String(r.all ?? '').trim() };
}

describe('generated configs against the real servers', () => {
	it('covers every option natslab knows', () => {
		expect(Object.keys(EVERY_OPTION).sort()).toEqual(Object.keys(SERVER_OPTIONS).sort());
	});

	it.each(VERSIONS)(
		'nats-server %s accepts every node config Cluster.open writes, with and without options',
		async (version) => {
			for (const serverOptions of [undefined, EVERY_OPTION]) {
				const log = new EventLog();
				const cluster = await Cluster.open({
					version,
					binaryFor: asyncBinaryFor,
					stateDir: tempState('config'),
					basePort: TEST_BASE_PORTS.clusterOldVersion,
					serverOptions,
					onNotice: log.onNotice,
				});
				for (const node of cluster.nodes) {
					const r = await check(version, cluster.configFile(node));
					expect(r, `${version} ${node}`).toEqual({ ok: true, said: expect.stringContaining('is valid') });
				}
				// What was held back is reported, once per option.
				const heldBack = Object.entries(SERVER_OPTIONS).filter(
					([, s]) => serverOptions && !atLeast(version, s.since),
				);
				expect(log.notices).toHaveLength(heldBack.length);
				await cluster.down({ purge: true });
			}
		},
	);

	it.each(
		Object.entries(SERVER_OPTIONS)
			.filter(([, spec]) => spec.since !== '2.0.0' && spec.since !== '2.2.0')
			.map(([name, spec]) => [name as ServerOptionName, spec.since] as const),
	)('%s (since %s) is really rejected by an older server when forced in', async (option, since) => {
		const older = VERSIONS.filter((v) => !atLeast(v, since));
		const newer = VERSIONS.filter((v) => atLeast(v, since));
		expect(older.length).toBeGreaterThan(0); // 2.9.10 predates every gated key
		const dir = mkdtempSync(join(tmpdir(), 'natslab-gate-'));
		const input = {
			name: 'n1',
			ports: { client: 4222, cluster: 6222, http: 8222 },
			routePorts: [6222, 6223, 6224],
			storeDir: join(dir, 'data'),
			options: { [option]: EVERY_OPTION[option] },
		};
		// Rendered for a version that has the key, then shown to one that does not.
		const forced = renderNodeConfig({ ...input, version: since });
		const key = SERVER_OPTIONS[option].key;
		expect(forced.text).toContain(`${key}:`);
		const file = join(dir, 'forced.conf');
		writeFileSync(file, forced.text);
		for (const v of older) {
			const r = await check(v, file);
			expect(r.ok, v).toBe(false);
			expect(r.said).toMatch(new RegExp(`unknown field "${key}"`));
			// …which is exactly what the gating avoids:
			const gated = join(dir, `gated-${v}.conf`);
			writeFileSync(gated, renderNodeConfig({ ...input, version: v }).text);
			expect((await check(v, gated)).ok).toBe(true);
		}
		for (const v of newer) expect((await check(v, file)).ok, v).toBe(true);
	});
});
