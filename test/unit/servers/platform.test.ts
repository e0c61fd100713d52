import { describe, expect, it } from 'vitest';
import { archiveName, archiveStem, releasePlatform } from '../../../src/servers/platform.js';

describe('releasePlatform', () => {
	it.each([
		['linux', 'x64', undefined, 'linux', 'amd64', '.tar.gz'],
		['linux', 'arm64', undefined, 'linux', 'arm64', '.tar.gz'],
		['linux', 'arm', '7', 'linux', 'arm7', '.tar.gz'],
		['linux', 'arm', '6', 'linux', 'arm6', '.tar.gz'],
		['linux', 'ia32', undefined, 'linux', '386', '.tar.gz'],
		['darwin', 'arm64', undefined, 'darwin', 'arm64', '.tar.gz'],
		['darwin', 'x64', undefined, 'darwin', 'amd64', '.tar.gz'],
		['win32', 'x64', undefined, 'windows', 'amd64', '.zip'],
		['freebsd', 'x64', undefined, 'freebsd', 'amd64', '.tar.gz'],
	] as const)('%s/%s (arm %s) → %s-%s%s', (platform, arch, arm, os, goArch, ext) => {
		const p = releasePlatform(platform, arch, arm);
		expect(p).toMatchObject({ os, arch: goArch, ext });
		expect(p.binary).toBe(platform === 'win32' ? 'nats-server.exe' : 'nats-server');
	});

	it('refuses platforms with no release archives, in one line', () => {
		expect(() => releasePlatform('aix', 'ppc64')).toThrow(
			'nats-server publishes no release archives for aix/ppc64',
		);
		expect(() => releasePlatform('linux', 'loong64')).toThrow(
			/^nats-server publishes no release archives for linux\/loong64$/,
		);
	});
});

describe('archive names', () => {
	it('follow the release layout', () => {
		const linux = releasePlatform('linux', 'x64');
		expect(archiveStem('2.10.27', linux)).toBe('nats-server-v2.10.27-linux-amd64');
		expect(archiveName('2.10.27', linux)).toBe('nats-server-v2.10.27-linux-amd64.tar.gz');
		expect(archiveName('2.9.10', releasePlatform('win32', 'x64'))).toBe(
			'nats-server-v2.9.10-windows-amd64.zip',
		);
	});
});
