// Where tests find real nats-server binaries. Global setup (./global-setup.ts)
// installs them through natslab's own binary manager into the test home, so a
// clean clone fetches what it needs. NATSLAB_TEST_BIN_DIR (same layout:
// <dir>/<version>/nats-server) lets a developer point at binaries already on disk.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const TEST_VERSIONS = ['2.9.10', '2.10.27'] as const;
/**
 * Also fetched by the global setup where the archive has it (Debian sid carries 2.15.1), for the
 * files that test a newer release when its binary is there (cluster-config, cluster-status-truth,
 * partitions, preflight). Not in TEST_VERSIONS: the suites that loop over those stay as they are.
 */
export const NEWER_TEST_VERSIONS = ['2.15.1'] as const;

/** The NATSLAB_HOME that the test suite uses for its shared binary cache. */
export const TEST_HOME = resolve(import.meta.dirname, '..', '..', '.natslab-test');

export function binaryDir(): string {
	return process.env.NATSLAB_TEST_BIN_DIR ?? join(TEST_HOME, 'cache', 'servers');
}

export function binaryFor(version: string): string {
	const path = join(binaryDir(), version, 'nats-server');
	if (!existsSync(path)) {
		throw new Error(`test binary for nats-server ${version} missing at ${path} (global setup installs it)`);
	}
	return path;
}
