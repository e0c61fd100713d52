// Shared by the benches: where their real nats-server binaries come from.
// NATSLAB_BENCH_BIN_DIR (<dir>/<version>/nats-server), else natslab's cache
// (bench/run.mjs installs the versions it needs there through natslab itself).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { natslabPaths } from '../dist/base/paths.js';

export function benchBinaryFor(version) {
	const dir = process.env.NATSLAB_BENCH_BIN_DIR ?? join(natslabPaths().cache, 'servers');
	const path = join(dir, version, 'nats-server');
	if (!existsSync(path)) {
		throw new Error(
			`nats-server ${version} not found at ${path}: set NATSLAB_BENCH_BIN_DIR or run \`natslab servers install ${version}\``,
		);
	}
	return path;
}
