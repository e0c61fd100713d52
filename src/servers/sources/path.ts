// The last resort: a nats-server already on PATH, used only when its own
// `--version` reports exactly the requested version (it is copied into the cache).
import { constants, statSync } from 'node:fs';
import { access, copyFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { isUserError } from '../../base/errors.js';
import { BINARY_NAME } from '../cache.js';
import { type Source, SourceUnavailable } from '../types.js';
import { reportedVersion } from '../verify.js';

/** Every executable file called `name` on PATH, in PATH order. */
export async function findAllOnPath(name: string, env: NodeJS.ProcessEnv): Promise<string[]> {
	const exts = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE').split(';')] : [''];
	const found: string[] = [];
	for (const dir of (env.PATH ?? '').split(delimiter)) {
		if (!dir) continue;
		for (const ext of exts) {
			const candidate = join(dir, name + ext);
			try {
				if (!statSync(candidate).isFile()) continue;
				await access(candidate, constants.X_OK);
				if (!found.includes(candidate)) found.push(candidate);
			} catch {
				// not there or not executable
			}
		}
	}
	return found;
}

export const pathSource: Source = {
	name: 'path',
	async fetch(ctx) {
		const candidates = await findAllOnPath('nats-server', ctx.env);
		if (candidates.length === 0) throw new SourceUnavailable('no nats-server on PATH', true);
		const seen: string[] = [];
		for (const candidate of candidates) {
			let version: string;
			try {
				version = await reportedVersion(candidate, ctx.signal);
			} catch (err) {
				if (!isUserError(err)) throw err;
				seen.push(`${candidate} does not answer --version`);
				continue;
			}
			if (version === ctx.version) {
				const copy = join(ctx.workDir, BINARY_NAME);
				await copyFile(candidate, copy);
				return { binaryPath: copy, origin: candidate };
			}
			seen.push(`${candidate} is ${version}`);
		}
		throw new SourceUnavailable(`nats-server on PATH: ${seen.join(', ')}`);
	},
};
