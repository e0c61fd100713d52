// Runs once before the integration project: makes sure the real nats-server
// binaries the tests need are in the test cache, fetched by natslab itself.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { binaryDir, NEWER_TEST_VERSIONS, TEST_HOME, TEST_VERSIONS } from './binaries.js';

export default function setup(): void {
	if (process.env.NATSLAB_TEST_BIN_DIR) return;
	const absent = (versions: readonly string[]) =>
		versions.filter((v) => !existsSync(join(binaryDir(), v, 'nats-server')));
	const missing = absent(TEST_VERSIONS);
	const newer = absent(NEWER_TEST_VERSIONS);
	if (missing.length === 0 && newer.length === 0) return;
	const cli = resolve(import.meta.dirname, '..', '..', 'dist', 'cli.js');
	if (!existsSync(cli)) throw new Error('dist/cli.js missing: run `npm run build` first (npm test does)');
	const install = (versions: string[]) =>
		execFileSync(process.execPath, [cli, 'servers', 'install', ...versions], {
			env: { ...process.env, NATSLAB_HOME: TEST_HOME },
			stdio: 'inherit',
		});
	if (missing.length > 0) install(missing);
	if (newer.length === 0) return;
	try {
		install(newer);
	} catch {
		// The newer release's tests skip themselves (hasBinary); say so rather than fail the suite.
		process.stdout.write(`nats-server ${newer.join(', ')} could not be installed: its tests are skipped\n`);
	}
}
