// A throwaway NATSLAB_HOME whose binary cache links to the test binaries, so a test's
// lab starts real servers without downloading and leaves nothing in the shared home.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binaryDir } from './binaries.js';

export interface LabHome {
	dir: string;
	/** process.env with NATSLAB_HOME pointing here. */
	env: NodeJS.ProcessEnv;
	remove(): void;
}

export function labHome(prefix: string, versions: readonly string[]): LabHome {
	const dir = mkdtempSync(join(tmpdir(), prefix));
	const servers = join(dir, 'cache', 'servers');
	mkdirSync(servers, { recursive: true });
	for (const v of versions) symlinkSync(join(binaryDir(), v), join(servers, v));
	return {
		dir,
		env: { ...process.env, NATSLAB_HOME: dir },
		remove: () => rmSync(dir, { recursive: true, force: true }),
	};
}
