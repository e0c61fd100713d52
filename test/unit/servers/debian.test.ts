// Parsing of real apt output (fixtures captured from apt 2.6 on bookworm
// against deb.debian.org with the private bookworm + trixie + sid lists).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAptShow, summarizeAptFailure } from '../../../src/servers/sources/apt.js';
import {
	availableUpstreamVersions,
	pickDebianBuild,
	upstreamVersion,
} from '../../../src/servers/sources/debian.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');
const show = parseAptShow(fixture('apt-cache-show-nats-server.txt'));

describe('upstreamVersion', () => {
	it('drops epoch, Debian revision, binNMU and repack suffixes', () => {
		expect(upstreamVersion('2.9.10-1+b3')).toBe('2.9.10');
		expect(upstreamVersion('2.10.27-1+b2')).toBe('2.10.27');
		expect(upstreamVersion('2.15.1-1')).toBe('2.15.1');
		expect(upstreamVersion('1:2.10.27+ds-2')).toBe('2.10.27');
		expect(upstreamVersion('2.11.0~rc1-1')).toBeNull();
	});
});

describe('apt-cache show', () => {
	it('yields every stanza with version, file, size and sha256', () => {
		expect(show.map((p) => p.version)).toEqual(['2.15.1-1', '2.10.27-1+b2', '2.9.10-1+b3']);
		expect(show[1]).toEqual({
			version: '2.10.27-1+b2',
			architecture: 'amd64',
			filename: 'pool/main/n/nats-server/nats-server_2.10.27-1+b2_amd64.deb',
			size: 4502708,
			sha256: '6d913ac987b78734c08537c2adeb1526cf735f216173a9170d94b185fcfe6f8a',
		});
	});

	it('finds the build whose upstream version matches, else lists what exists', () => {
		expect(pickDebianBuild(show, '2.9.10')?.version).toBe('2.9.10-1+b3');
		expect(pickDebianBuild(show, '2.10.27')?.filename).toContain('nats-server_2.10.27-1+b2_amd64.deb');
		expect(pickDebianBuild(show, '9.9.9')).toBeNull();
		expect(availableUpstreamVersions(show)).toEqual(['2.9.10', '2.10.27', '2.15.1']);
	});

	it('gives nothing for "No packages found"', () => {
		expect(parseAptShow('')).toEqual([]);
	});
});

describe('summarizeAptFailure', () => {
	it('picks the cause of a failed fetch', () => {
		expect(summarizeAptFailure(fixture('apt-get-update-unresolvable.txt'), 'x')).toBe(
			"Could not resolve 'nonexistent.invalid'",
		);
	});

	it('falls back to the first error line, then to the fallback', () => {
		expect(
			summarizeAptFailure(
				"Reading package lists...\nE: Version '9.9.9-1' for 'nats-server' was not found\n",
				'x',
			),
		).toBe("Version '9.9.9-1' for 'nats-server' was not found");
		expect(summarizeAptFailure('', 'Command failed with exit code 100')).toBe(
			'Command failed with exit code 100',
		);
	});
});
