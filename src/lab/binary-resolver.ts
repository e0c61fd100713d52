// The nats-server binaries a lab runs: each version resolved once to a verified
// binary (downloaded on first use, progress reported as setup events), and the
// lab's own version required before any server starts.

import { isUserError } from '../base/errors.js';
import { ensureServer, type InstallOptions, isNoSourceHad } from '../servers/index.js';
import type { SetupEvent } from './types.js';
import { VersionUnavailable } from './version-unavailable.js';

export interface BinaryOptions {
	env?: NodeJS.ProcessEnv;
	onSetup?: (e: SetupEvent) => void;
	signal?: AbortSignal;
	install?: Pick<InstallOptions, 'source' | 'mirror'>;
}

/** Resolve a version to a verified binary, reporting download progress as setup events. */
export function binaryResolver(opts: BinaryOptions): (version: string) => Promise<string> {
	const known = new Map<string, Promise<string>>();
	return (version) => {
		let found = known.get(version);
		if (!found) {
			let downloading = false;
			found = ensureServer(version, {
				...opts.install,
				env: opts.env,
				signal: opts.signal,
				onNotice: (text) => opts.onSetup?.({ type: 'notice', text }),
				onProgress: (p) => {
					downloading = true;
					opts.onSetup?.({
						type: 'binary',
						version,
						phase: p.done ? 'verifying' : 'downloading',
						progress: { received: p.received, total: p.total, bytesPerSec: p.bytesPerSec, source: p.source },
					});
				},
			}).then((installed) => {
				opts.onSetup?.({ type: 'binary', version, phase: downloading ? 'ready' : 'cached' });
				return installed.path;
			});
			found.catch(() => known.delete(version));
			known.set(version, found);
		}
		return found;
	};
}

/** The lab's own version: one that cannot be had is a VersionUnavailable (the course may skip the lesson). */
export async function labBinary(
	binaryFor: (version: string) => Promise<string>,
	version: string,
): Promise<string> {
	try {
		return await binaryFor(version);
	} catch (err) {
		// Only "no source had it" (unreachable, not published) is a version that cannot be had: an
		// interrupted download, a checksum mismatch, a corrupt cache or a filesystem error stays a failure.
		if (isUserError(err) && isNoSourceHad(err)) throw new VersionUnavailable(version, err);
		throw err;
	}
}
