// Test support for the binary manager: builds a real release folder (the
// GitHub layout: v<ver>/<archive> + v<ver>/SHA256SUMS) from a real nats-server
// binary, and serves files over HTTP on 127.0.0.1 with faults on demand
// (404, connection dropped mid-body, stalled body).
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { c as createTar } from 'tar';
import { archiveName, archiveStem, releasePlatform } from '../../src/servers/platform.js';

export interface ReleaseArchive {
	/** e.g. nats-server-v2.10.27-linux-amd64.tar.gz */
	name: string;
	body: Buffer;
	sha256: string;
}

export function sha256(data: Buffer | string): string {
	return createHash('sha256').update(data).digest('hex');
}

/**
 * A tar.gz exactly like a release's: one folder `nats-server-v<ver>-<os>-<arch>/`
 * holding `nats-server`, README.md and LICENSE. `binary` may be any real
 * nats-server (tests pack a 2.9.10 binary as v2.10.27 on purpose).
 */
export async function buildReleaseArchive(
	version: string,
	binary: string,
	scratch: string,
): Promise<ReleaseArchive> {
	const plat = releasePlatform();
	const stem = archiveStem(version, plat);
	const folder = join(scratch, `pack-${version}-${Date.now()}`, stem);
	await mkdir(folder, { recursive: true });
	await copyFile(binary, join(folder, 'nats-server'));
	await writeFile(join(folder, 'README.md'), `# nats-server v${version}\n`);
	await writeFile(join(folder, 'LICENSE'), 'Apache License 2.0\n');
	const name = archiveName(version, plat);
	const file = join(scratch, `${name}-${Date.now()}`);
	await createTar({ gzip: true, file, cwd: join(folder, '..'), portable: true }, [stem]);
	const body = await readFile(file);
	return { name, body, sha256: sha256(body) };
}

export function sumsLine(hash: string, name: string): string {
	return `${hash}  ${name}\n`;
}

/** Writes <dir>/v<ver>/<archive> and <dir>/v<ver>/SHA256SUMS (a mirror folder). */
export async function writeReleaseFolder(
	dir: string,
	version: string,
	archive: ReleaseArchive,
	sums: string,
) {
	const release = join(dir, `v${version}`);
	await mkdir(release, { recursive: true });
	await writeFile(join(release, archive.name), archive.body);
	await writeFile(join(release, 'SHA256SUMS'), sums);
}

export type Served =
	| Buffer
	| string
	| {
			body: Buffer | string;
			/** Send the full Content-Length, write only this many bytes, then destroy the socket. */
			dropAfter?: number;
			/** Send headers and this many bytes, then go silent (the client's idle timeout must fire). */
			stallAfter?: number;
	  };

export interface ReleaseServer {
	/** http://127.0.0.1:<port> */
	url: string;
	/** Paths requested, in order. */
	requests: string[];
	/** path (e.g. /v2.10.27/SHA256SUMS) → what to answer; anything else is a 404. */
	files: Map<string, Served>;
	close(): Promise<void>;
}

export async function startReleaseServer(files: Record<string, Served> = {}): Promise<ReleaseServer> {
	const table = new Map(Object.entries(files));
	const requests: string[] = [];
	const server: Server = createServer((req, res) => {
		const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
		requests.push(path);
		const served = table.get(path);
		if (served === undefined) {
			res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
			return;
		}
		const spec = Buffer.isBuffer(served) || typeof served === 'string' ? { body: served } : served;
		const body = Buffer.isBuffer(spec.body) ? spec.body : Buffer.from(spec.body);
		res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
		if (spec.dropAfter !== undefined) {
			res.write(body.subarray(0, spec.dropAfter), () => res.socket?.destroy());
			return;
		}
		if (spec.stallAfter !== undefined) {
			res.write(body.subarray(0, spec.stallAfter));
			return; // never ends; close() destroys the socket
		}
		res.end(body);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		files: table,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
