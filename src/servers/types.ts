// Public types of the binary manager, plus the seam each source implements.

import { UserError } from '../base/errors.js';

export type SourceName = 'github' | 'mirror' | 'debian' | 'path';
export const SOURCE_ORDER: readonly SourceName[] = ['github', 'mirror', 'debian', 'path'];

export interface InstalledServer {
	version: string;
	/** 'local' = registered with `natslab servers add` (or found in the cache without meta.json). */
	source: SourceName | 'local';
	path: string;
	/** sha256 of the cached nats-server binary itself, as recorded when it was installed. */
	sha256: string;
	/** Its size in bytes, as recorded (absent for entries from before natslab recorded sizes; additive). */
	size?: number;
	installedAt: string;
	/** Where it came from: a URL, a Debian package reference or a file path (additive field). */
	origin?: string;
}

export interface DownloadProgress {
	source: SourceName;
	url: string;
	received: number;
	total: number | null;
	bytesPerSec: number;
	done: boolean;
}

export interface DownloadTimeouts {
	/** Until the response headers arrive (connect + first byte). Default 15 s. */
	connectMs?: number;
	/** Longest pause between two body chunks. Default 30 s. */
	idleMs?: number;
}

export interface InstallOptions {
	source?: SourceName;
	mirror?: string;
	env?: NodeJS.ProcessEnv;
	onProgress?: (p: DownloadProgress) => void;
	onNotice?: (line: string) => void;
	signal?: AbortSignal;
	/** Additive: network timeouts (tests shorten them). */
	timeouts?: DownloadTimeouts;
}

/** What a source hands back: a binary inside the work dir, not yet version-checked. */
export interface FetchedBinary {
	binaryPath: string;
	origin: string;
}

export interface SourceContext {
	version: string;
	/** Private scratch folder inside the cache; removed after the install either way. */
	workDir: string;
	env: NodeJS.ProcessEnv;
	mirror: string | undefined;
	signal: AbortSignal | undefined;
	timeouts: Required<DownloadTimeouts>;
	onProgress: (p: DownloadProgress) => void;
	onNotice: (line: string) => void;
}

export interface Source {
	name: SourceName;
	fetch(ctx: SourceContext): Promise<FetchedBinary>;
}

/**
 * A source that cannot deliver this version (unreachable, not published, not
 * configured): the installer moves on to the next source. Anything else a
 * source throws (checksum mismatch, wrong version) stops the install.
 */
export class SourceUnavailable extends Error {
	override name = 'SourceUnavailable';
	constructor(
		readonly reason: string,
		/** true when the source was not even tried (not configured / not applicable). */
		readonly skipped = false,
	) {
		super(reason);
	}
}

/**
 * No source could deliver the version (each one unreachable, not publishing it or not configured):
 * the version cannot be had here and now. A checksum mismatch, a wrong binary, a corrupt cached
 * copy or a filesystem error is NOT this: those are failures to look at.
 */
export class NoSourceHadVersion extends UserError {
	/** Read by isNoSourceHad (works across module copies, unlike `instanceof`). */
	readonly noSourceHad = true;
}

export function isNoSourceHad(err: unknown): boolean {
	return (err as { noSourceHad?: unknown } | null)?.noSourceHad === true;
}
