// A corrupt cached nats-server (issue #11), against the real program: the real
// CLI in its own process, a real 2.10.27 binary installed into a private
// NATSLAB_HOME through natslab itself (`--source path`), then truncated the way a
// full disk or an interrupted copy leaves it. `cluster up` must refuse it with the
// line that fixes it, `servers list` must say corrupt, `servers install` must
// replace it, and the replaced binary must then run a cluster. A truncated binary
// with no record (placed by hand) still reaches a start: that crash must name
// the binary.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryFor } from '../support/binaries.js';
import { natslabCli } from '../support/natslab-cli.js';
import { TEST_BASE_PORTS } from '../support/ports.js';

const VERSION = '2.10.27';
const BASE = String(TEST_BASE_PORTS.serversCorrupt);
const TRUNCATED = 4_000_000;

let home: string;
let env: NodeJS.ProcessEnv;
let cached: string;
let original: Buffer;

const natslab = (...args: string[]) => natslabCli(args, env);

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
	home = mkdtempSync(join(tmpdir(), 'natslab-corrupt-'));
	// The only source that can deliver: a PATH holding the real 2.10.27 (never the shared test cache itself).
	const bin = join(home, 'bin');
	mkdirSync(bin);
	symlinkSync(binaryFor(VERSION), join(bin, 'nats-server'));
	env = {
		...process.env,
		NATSLAB_HOME: home,
		NO_COLOR: '1',
		PATH: `${bin}:/usr/bin:/bin`,
		NATSLAB_GITHUB_URL: 'http://127.0.0.1:9',
		NATSLAB_DEBIAN_URL: 'http://127.0.0.1:9',
		NATSLAB_MIRROR: '',
	};
	original = readFileSync(binaryFor(VERSION));
	cached = join(home, 'cache', 'servers', VERSION, 'nats-server');
	const installed = await natslab('servers', 'install', VERSION, '--source', 'path');
	expect(installed.code, installed.stderr).toBe(0);
	expect(sha256(readFileSync(cached))).toBe(sha256(original));
}, 180_000);

afterAll(async () => {
	// Whatever a failed assertion left running in this home is stopped.
	if (existsSync(join(home, 'state', 'clusters', 'default', 'run.json'))) await natslab('cluster', 'down');
	rmSync(home, { recursive: true, force: true });
}, 120_000);

describe('a corrupt cached binary (real CLI, real 2.10.27)', () => {
	it('cluster up refuses it with the line that fixes it, starting nothing', async () => {
		truncateSync(cached, TRUNCATED);
		const r = await natslab('cluster', 'up', '--version', VERSION, '--base-port', BASE);
		expect(r.code).toBe(1);
		expect(r.stdout).toBe('');
		expect(r.stderr).toBe(
			`natslab: the cached nats-server ${VERSION} (${cached}) is corrupt: size ${TRUNCATED} bytes, ${original.length} when installed; run \`natslab servers install ${VERSION}\` to replace it\n`,
		);
		// No workspace was prepared: the binary is checked before anything else happens.
		expect(existsSync(join(home, 'state', 'clusters', 'default'))).toBe(false);
	}, 150_000);

	it('servers list says corrupt and shows the file as it is', async () => {
		const table = await natslab('servers', 'list');
		expect(table.code).toBe(0);
		const fileSha = sha256(readFileSync(cached));
		expect(table.stdout).toContain(`${VERSION}  path    corrupt  ${fileSha.slice(0, 16)}…  ${cached}`);
		const json = await natslab('servers', 'list', '--json');
		expect(JSON.parse(json.stdout)).toMatchObject([
			{
				version: VERSION,
				state: 'corrupt',
				size: original.length,
				sha256: sha256(original),
				fileSize: TRUNCATED,
				fileSha256: fileSha,
			},
		]);
	}, 150_000);

	it('servers install replaces it (not "already installed"), and the new copy runs a cluster', async () => {
		const r = await natslab('servers', 'install', VERSION, '--source', 'path');
		expect(r.code).toBe(0);
		expect(r.stderr).toContain(
			`natslab: the cached nats-server ${VERSION} (${cached}) is corrupt: size ${TRUNCATED} bytes, ${original.length} when installed; replacing it\n`,
		);
		expect(r.stdout).toMatch(
			new RegExp(`^installed nats-server ${VERSION} from path in [\\d.]+ s: ${cached}\\n$`),
		);
		expect(sha256(readFileSync(cached))).toBe(sha256(original));
		const list = JSON.parse((await natslab('servers', 'list', '--json')).stdout) as { state: string }[];
		expect(list.map((s) => s.state)).toEqual(['ok']);
		// Installing again now keeps it.
		const again = await natslab('servers', 'install', VERSION);
		expect(again.stdout).toBe(`nats-server ${VERSION} is already installed (path): ${cached}\n`);

		const up = await natslab('cluster', 'up', '--version', VERSION, '--base-port', BASE, '--json');
		expect(up.code, up.stderr).toBe(0);
		expect(JSON.parse(up.stdout)).toMatchObject({ version: VERSION });
		const down = await natslab('cluster', 'down');
		expect(down.code, down.stderr).toBe(0);
		expect(existsSync(join(home, 'state', 'clusters', 'default', 'run.json'))).toBe(false);
	}, 240_000);

	it('servers add replaces a corrupt entry too (an intact one it refuses)', async () => {
		truncateSync(cached, TRUNCATED);
		const r = await natslab('servers', 'add', binaryFor(VERSION));
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout).toBe(`added nats-server ${VERSION} (local copy of ${binaryFor(VERSION)}): ${cached}\n`);
		expect(sha256(readFileSync(cached))).toBe(sha256(original));
		const again = await natslab('servers', 'add', binaryFor(VERSION));
		expect(again.code).toBe(1);
		expect(again.stderr).toContain(`nats-server ${VERSION} is already in the cache (from local)`);
	}, 150_000);

	it('a truncated binary without a record crashes at start, and the error names the binary and the fix', async () => {
		rmSync(join(home, 'cache', 'servers', VERSION, 'meta.json'));
		truncateSync(cached, TRUNCATED);
		const list = JSON.parse((await natslab('servers', 'list', '--json')).stdout) as { state: string }[];
		expect(list.map((s) => s.state)).toEqual(['unrecorded']);
		const r = await natslab('cluster', 'up', '--version', VERSION, '--base-port', BASE);
		expect(r.code).toBe(1);
		expect(r.stderr.trimEnd().split('\n').at(-1)).toMatch(
			new RegExp(
				`^natslab: n\\d (cannot start: )?.*was killed by SIGSEGV during start: .* \\(the nats-server ${VERSION.replaceAll('.', '\\.')} binary ${cached} may be damaged: \`natslab servers list\` checks it, \`natslab servers install ${VERSION.replaceAll('.', '\\.')}\` replaces it\\)$`,
			),
		);
		expect(existsSync(join(home, 'state', 'clusters', 'default', 'run.json'))).toBe(false);
	}, 150_000);
});
