// Streams one file from http(s):// or file:// to disk, hashing as it goes.
// Network trouble (unreachable, 404, stalled, dropped mid-body) becomes a
// SourceUnavailable with a one-line reason, so the installer can move on;
// the caller owns `dest` and removes it with the rest of the work dir.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isUserError, UserError } from '../base/errors.js';
import { formatBytes, formatTenths } from '../base/format.js';
import { type DownloadProgress, type DownloadTimeouts, type SourceName, SourceUnavailable } from './types.js';

export const DEFAULT_TIMEOUTS: Required<DownloadTimeouts> = { connectMs: 15_000, idleMs: 30_000 };
const PROGRESS_EVERY_MS = 100;

/** The server answered 404 (or the file:// path does not exist). */
export class NotFound extends SourceUnavailable {
	constructor(readonly url: string) {
		super(`not found: ${url}`);
	}
}

export interface DownloadOptions {
	source: SourceName;
	signal?: AbortSignal;
	timeouts?: DownloadTimeouts;
	onProgress?: (p: DownloadProgress) => void;
}

export interface Downloaded {
	bytes: number;
	sha256: string;
}

/** A small text file (SHA256SUMS); a missing one is reported as "not published". */
export async function fetchText(url: string, opts: Omit<DownloadOptions, 'onProgress'>): Promise<string> {
	const chunks: Buffer[] = [];
	await transfer(url, opts, (chunk) => {
		chunks.push(chunk);
	});
	return Buffer.concat(chunks).toString('utf8');
}

export async function downloadFile(url: string, dest: string, opts: DownloadOptions): Promise<Downloaded> {
	const out = createWriteStream(dest, { flags: 'wx', mode: 0o644 });
	let writeError: Error | null = null;
	out.on('error', (err) => {
		writeError = err;
	});
	const hash = createHash('sha256');
	try {
		const bytes = await transfer(url, opts, async (chunk) => {
			if (writeError) throw writeError;
			hash.update(chunk);
			if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
		});
		await new Promise<void>((resolve, reject) =>
			out.end((err?: Error | null) => (err ? reject(err) : resolve())),
		);
		if (writeError) throw writeError;
		return { bytes, sha256: hash.digest('hex') };
	} catch (err) {
		out.destroy();
		if (err instanceof SourceUnavailable || isUserError(err)) throw err;
		throw new UserError(`could not write ${dest}: ${err instanceof Error ? err.message : String(err)}`, {
			cause: err,
		});
	}
}

type Sink = (chunk: Buffer) => void | Promise<void>;

async function transfer(
	url: string,
	opts: DownloadOptions | Omit<DownloadOptions, 'onProgress'>,
	sink: Sink,
) {
	const u = new URL(url);
	const report = progressReporter(url, opts);
	if (u.protocol === 'file:') return transferFile(fileURLToPath(u), opts.signal, sink, report);
	if (u.protocol !== 'http:' && u.protocol !== 'https:') {
		throw new UserError(`unsupported URL ${url} (expected http://, https:// or file://)`);
	}
	const timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
	const name = u.pathname.split('/').pop() || url;
	const ctl = new AbortController();
	let why: string | null = null;
	let timer: NodeJS.Timeout | undefined;
	const arm = (ms: number, reason: () => string) => {
		clearTimeout(timer);
		timer = setTimeout(() => {
			why = reason();
			ctl.abort();
		}, ms);
	};
	const failed = (err: unknown, during: (cause: string) => string): never => {
		if (opts.signal?.aborted) throw new UserError('cancelled', 130);
		throw new SourceUnavailable(why ?? during(describeCause(err)));
	};
	const signal = opts.signal ? AbortSignal.any([ctl.signal, opts.signal]) : ctl.signal;
	let received = 0;
	try {
		arm(timeouts.connectMs, () => `no response from ${u.host} within ${formatTenths(timeouts.connectMs)}`);
		let res: Response;
		try {
			res = await fetch(url, { signal, redirect: 'follow' });
		} catch (err) {
			return failed(err, (cause) => `unreachable (${cause})`);
		}
		if (res.status === 404) {
			await res.body?.cancel().catch(() => {});
			throw new NotFound(url);
		}
		if (!res.ok || !res.body) {
			await res.body?.cancel().catch(() => {});
			throw new SourceUnavailable(`HTTP ${res.status} ${res.statusText} for ${url}`);
		}
		const length = Number(res.headers.get('content-length'));
		const total = Number.isFinite(length) && length > 0 ? length : null;
		const stalled = () =>
			`download of ${name} stalled: no data for ${formatTenths(timeouts.idleMs)} after ${formatBytes(received)}`;
		arm(timeouts.idleMs, stalled);
		const reader = res.body[Symbol.asyncIterator]();
		for (;;) {
			let next: IteratorResult<Uint8Array>;
			try {
				next = await reader.next();
			} catch (err) {
				return failed(err, (cause) => brokeOff(name, received, total, cause));
			}
			if (next.done) break;
			arm(timeouts.idleMs, stalled);
			const chunk = Buffer.from(next.value);
			received += chunk.length;
			await sink(chunk);
			report(received, total, false);
		}
		if (total !== null && received !== total) {
			throw new SourceUnavailable(brokeOff(name, received, total, 'connection closed early'));
		}
		report(received, total, true);
		return received;
	} finally {
		clearTimeout(timer);
	}
}

async function transferFile(path: string, signal: AbortSignal | undefined, sink: Sink, report: Reporter) {
	let total: number;
	try {
		const st = await stat(path);
		if (!st.isFile()) throw new Error('not a file');
		total = st.size;
	} catch {
		throw new NotFound(pathToFileURL(path).href);
	}
	let received = 0;
	for await (const chunk of createReadStream(path, { signal })) {
		received += (chunk as Buffer).length;
		await sink(chunk as Buffer);
		report(received, total, false);
	}
	report(received, total, true);
	return received;
}

type Reporter = (received: number, total: number | null, done: boolean) => void;

/** Throttled progress with the rate over the last ~2 s. */
function progressReporter(
	url: string,
	opts: DownloadOptions | Omit<DownloadOptions, 'onProgress'>,
): Reporter {
	const onProgress = 'onProgress' in opts ? opts.onProgress : undefined;
	if (!onProgress) return () => {};
	const samples: Array<{ t: number; received: number }> = [{ t: performance.now(), received: 0 }];
	let lastEmit = 0;
	return (received, total, done) => {
		const now = performance.now();
		if (!done && now - lastEmit < PROGRESS_EVERY_MS) return;
		lastEmit = now;
		samples.push({ t: now, received });
		while (samples.length > 2 && now - (samples[1]?.t ?? now) > 2000) samples.shift();
		const first = samples[0] ?? { t: now, received: 0 };
		const dt = (now - first.t) / 1000;
		const bytesPerSec = dt > 0 ? Math.round((received - first.received) / dt) : 0;
		onProgress({ source: opts.source, url, received, total, bytesPerSec, done });
	};
}

function brokeOff(name: string, received: number, total: number | null, cause: string): string {
	const of = total === null ? '' : ` of ${formatBytes(total)}`;
	return `download of ${name} broke off after ${formatBytes(received)}${of} (${cause})`;
}

function describeCause(err: unknown): string {
	if (!(err instanceof Error)) return String(err);
	const cause = err.cause;
	if (cause instanceof Error) return cause.message || (cause as NodeJS.ErrnoException).code || err.message;
	return err.message;
}
