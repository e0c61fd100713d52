// Integrity checks every binary passes before it enters the cache: the
// source's published checksum, then the binary's own `--version`.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { UserError } from '../base/errors.js';
import { normalizeVersion } from '../base/versions.js';

/** Parses `sha256sum` output (`<hex>  <name>` or `<hex> *<name>`) into name → lowercase hex. */
export function parseChecksums(text: string): Map<string, string> {
	const sums = new Map<string, string>();
	for (const raw of text.split(/\r?\n/)) {
		const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(raw.trim());
		if (m?.[1] && m[2]) sums.set(m[2].trim().replace(/^\.\//, ''), m[1].toLowerCase());
	}
	return sums;
}

export async function sha256File(path: string): Promise<string> {
	const hash = createHash('sha256');
	// 1 MiB reads: hashing a 15 MB binary (before every served start) takes ~2.5× less than in 64 KiB ones.
	for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

/** Throws (fatal, nothing gets cached) when the actual hash differs from the published one. */
export function expectChecksum(what: string, expected: string, actual: string): void {
	if (expected.toLowerCase() !== actual.toLowerCase()) {
		throw new UserError(`checksum mismatch for ${what}: expected sha256 ${expected}, got ${actual}`);
	}
}

/** "nats-server: v2.10.27" → "2.10.27"; null when the text is not a nats-server version line. */
export function parseVersionOutput(output: string): string | null {
	const m = /nats-server:?\s+v?(\S+)/.exec(output);
	return m?.[1] ? normalizeVersion(m[1]) : null;
}

/** Runs `<bin> --version`; the normalised version it reports, or a UserError saying why not. */
export async function reportedVersion(binary: string, signal?: AbortSignal): Promise<string> {
	// Loaded on use: the cache check (integrity.ts) imports this file on every `cluster up`, and
	// only an install runs a binary (issue #12).
	const { execa } = await import('execa');
	const r = await execa(binary, ['--version'], {
		reject: false,
		timeout: 15_000,
		all: true,
		stdin: 'ignore',
		cancelSignal: signal,
	});
	const output = (r.all ?? '').toString().trim();
	const version = r.exitCode === 0 ? parseVersionOutput(output) : null;
	if (!version) {
		const said = output.split('\n')[0] || r.shortMessage;
		throw new UserError(`${binary} is not a working nats-server binary (--version: ${said})`);
	}
	return version;
}

/** Fatal when a binary that claims to be `version` reports another one. */
export async function expectVersion(
	binary: string,
	version: string,
	what: string,
	signal?: AbortSignal,
): Promise<void> {
	const got = await reportedVersion(binary, signal);
	if (got !== version) {
		throw new UserError(`${what} reports nats-server ${got}, not the requested ${version}; refused`);
	}
}
