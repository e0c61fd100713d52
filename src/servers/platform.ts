// Maps Node's platform/arch to the names nats-server release archives use
// (goreleaser: <os>-<arch>[<goarm>], e.g. linux-amd64, linux-arm7, windows-386).
import { UserError } from '../base/errors.js';

export interface ReleasePlatform {
	os: string;
	arch: string;
	/** '.tar.gz' everywhere except Windows, whose archives are '.zip'. */
	ext: '.tar.gz' | '.zip';
	/** Name of the binary inside the archive folder. */
	binary: string;
}

const OS: Partial<Record<NodeJS.Platform, string>> = {
	linux: 'linux',
	darwin: 'darwin',
	win32: 'windows',
	freebsd: 'freebsd',
	netbsd: 'netbsd',
	openbsd: 'openbsd',
};

export function releasePlatform(
	platform: NodeJS.Platform = process.platform,
	arch: string = process.arch,
	armVersion: string | number | undefined = (process.config.variables as { arm_version?: string })
		.arm_version,
): ReleasePlatform {
	const os = OS[platform];
	let goArch: string | undefined;
	switch (arch) {
		case 'x64':
			goArch = 'amd64';
			break;
		case 'arm64':
			goArch = 'arm64';
			break;
		case 'ia32':
			goArch = '386';
			break;
		case 'arm':
			goArch = String(armVersion) === '6' ? 'arm6' : 'arm7';
			break;
		case 'ppc64':
			goArch = 'ppc64le';
			break;
		case 's390x':
		case 'mips64el':
		case 'riscv64':
			goArch = arch === 'mips64el' ? 'mips64le' : arch;
			break;
	}
	if (!os || !goArch) {
		throw new UserError(`nats-server publishes no release archives for ${platform}/${arch}`);
	}
	const windows = os === 'windows';
	return {
		os,
		arch: goArch,
		ext: windows ? '.zip' : '.tar.gz',
		binary: windows ? 'nats-server.exe' : 'nats-server',
	};
}

/** nats-server-v2.10.27-linux-amd64 (the archive's top-level folder, too). */
export function archiveStem(version: string, p: ReleasePlatform): string {
	return `nats-server-v${version}-${p.os}-${p.arch}`;
}

export function archiveName(version: string, p: ReleasePlatform): string {
	return `${archiveStem(version, p)}${p.ext}`;
}
