// Runs once before the integration project: makes sure the real nats-server
// binaries the tests need are in the test cache, fetched by natslab itself.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { binaryDir, TEST_HOME, TEST_VERSIONS } from './binaries.js';

export default function setup(): void {
	if (process.env.NATSLAB_TEST_BIN_DIR) return;
	const missing = TEST_VERSIONS.filter((v) => !existsSync(join(binaryDir(), v, 'nats-server')));
	if (missing.length === 0) return;
	const cli = resolve(import.meta.dirname, '..', '..', 'dist', 'cli.js');
	if (!existsSync(cli)) throw new Error('dist/cli.js missing: run `npm run build` first (npm test does)');
	execFileSync(process.execPath, [cli, 'servers', 'install', ...missing], {
		env: { ...process.env, NATSLAB_HOME: TEST_HOME },
		stdio: 'inherit',
	});
}
