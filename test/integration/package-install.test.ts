// natslab installs like a tool, not a clone (issue #17): `npm pack`, then a global install
// of the tarball into an empty prefix, then the installed bin runs with nothing else from
// the repository (its cwd is a temporary folder, its lessons, template and link proxy
// program are the package's own). Real npm: the install fetches natslab's dependencies
// from the npm cache (--prefer-offline) or, what is not cached, from the registry: ~12 s
// on a warm cache, longer on a cold one. Needs `npm run build` first (the package carries
// dist/; its prepack refuses to pack without it).

import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryFor } from '../support/binaries.js';
import { TEST_BASE_PORTS } from '../support/ports.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const NPM_TIMEOUT_MS = 150_000;

interface PackResult {
	filename: string;
	files: { path: string }[];
}

const dir = mkdtempSync(join(tmpdir(), 'natslab-package-'));
const prefix = join(dir, 'prefix');
const installed = join(prefix, 'lib', 'node_modules', 'natslab');
const bin = join(prefix, 'bin', 'natslab');
/** No npm chatter or checks that would reach past the registry; nothing of the repo's own settings. */
const npmEnv = { npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
let packed: string[] = [];
let installOutput = '';

/** The installed natslab, run from outside the repository with a home of its own. */
function natslab(args: string[]) {
	return execa(bin, args, {
		cwd: dir,
		env: { NATSLAB_HOME: join(dir, 'home'), NATSLAB_LESSONS_DIR: undefined, NO_COLOR: '1' },
		reject: false,
		timeout: 60_000,
	});
}

beforeAll(async () => {
	for (const f of ['dist/cli.js', 'dist/app/cli.js', 'dist/cluster/links/daemon.js']) {
		if (!existsSync(join(REPO, f))) throw new Error(`${f} missing: run \`npm run build\` first`);
	}
	// --pack-destination: the tarball is written to the temporary folder, never the repo.
	const pack = await execa('npm', ['pack', '--json', '--pack-destination', dir], {
		cwd: REPO,
		env: npmEnv,
		timeout: NPM_TIMEOUT_MS,
	});
	const [result] = JSON.parse(pack.stdout) as PackResult[];
	if (!result) throw new Error(`npm pack printed no package: ${pack.stdout}`);
	packed = result.files.map((f) => f.path);
	const install = await execa(
		'npm',
		['install', '-g', '--prefix', prefix, '--prefer-offline', join(dir, result.filename)],
		{ cwd: dir, env: npmEnv, timeout: NPM_TIMEOUT_MS, all: true },
	);
	installOutput = install.all ?? '';
});

afterAll(async () => {
	if (existsSync(bin)) await natslab(['cluster', 'down']);
	rmSync(dir, { recursive: true, force: true });
});

describe('the packed natslab', () => {
	it('carries the built program, the lessons and the config template, and no sources or tests', () => {
		expect(packed).toContain('dist/cli.js');
		expect(packed).toContain('dist/app/cli.js');
		expect(packed).toContain('dist/cluster/links/daemon.js');
		expect(packed).toContain('assets/nats-server.conf.template');
		expect(packed).toContain('package.json');
		// Every lesson file of the repository (lessons/12-missing-node.md is the twelfth).
		expect(packed.filter((f) => /^lessons\/\d\d-[a-z-]+\.md$/.test(f)).sort()).toEqual(
			readdirSync(join(REPO, 'lessons'))
				.filter((f) => /^\d\d-[a-z-]+\.md$/.test(f))
				.map((f) => `lessons/${f}`)
				.sort(),
		);
		expect(packed.filter((f) => /^dist\/app\/chunk-\w+\.js$/.test(f)).length).toBeGreaterThan(10);
		expect(packed.filter((f) => /^(src|test|bench|scripts)\//.test(f) || /\.tsx?$/.test(f))).toEqual([]);
		// esbuild's record of the build is for bundle.test.ts, not for running.
		expect(packed).not.toContain('dist/app/meta.json');
		expect(packed.some((f) => f.endsWith('.tgz'))).toBe(false);
		expect(readdirSync(REPO).filter((f) => f.endsWith('.tgz'))).toEqual([]);
	});

	it('installs globally on this Node (an engine warning at most) as a copy, not a link to the repo', () => {
		expect(existsSync(join(installed, 'node_modules', 'ink'))).toBe(true);
		expect(realpathSync(bin)).toBe(join(realpathSync(installed), 'dist', 'cli.js'));
		expect(installOutput).not.toMatch(/npm error/i);
	});

	it('holds every chunk the bundle imports', () => {
		const app = join(installed, 'dist', 'app');
		const chunks = readdirSync(app).filter((f) => f.endsWith('.js'));
		const imported = chunks.flatMap((c) =>
			[...readFileSync(join(app, c), 'utf8').matchAll(/["']\.\/(chunk-\w+\.js)["']/g)].map((m) => m[1]),
		);
		expect(imported.length).toBeGreaterThan(0);
		expect(imported.filter((c) => c === undefined || !chunks.includes(c))).toEqual([]);
	});

	it('runs: --help, --version, lessons list and lessons validate from the installed copy', async () => {
		const help = await natslab(['--help']);
		expect(help.exitCode).toBe(0);
		expect(help.stdout).toContain('natslab learn --all --auto');
		const version = await natslab(['--version']);
		const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
		expect(version.stdout.trim()).toBe(`natslab ${pkg.version}`);
		const list = await natslab(['lessons', 'list', '--json']);
		expect(list.exitCode).toBe(0);
		const lessons = JSON.parse(list.stdout) as { id: string; order: number }[];
		// Every lesson file of the repository, in order, and nothing else.
		const files = readdirSync(join(REPO, 'lessons')).filter((f) => /^\d+-.*\.md$/.test(f));
		expect(files.length).toBeGreaterThanOrEqual(9);
		expect(lessons.map((l) => l.order)).toEqual(files.map((_, i) => i + 1));
		const validate = await natslab(['lessons', 'validate']);
		expect(validate.stderr).toBe('');
		expect(validate.exitCode).toBe(0);
		expect(validate.stdout).toMatch(new RegExp(`^${files.length} lessons ok`));
	});

	it("loads the link proxies' program from tsc's output it carries", async () => {
		// A spec that is not JSON fails only after every import of the program has loaded.
		const daemon = await execa(
			process.execPath,
			[join(installed, 'dist/cluster/links/daemon.js'), 'not json'],
			{
				cwd: dir,
				reject: false,
			},
		);
		expect(daemon.stderr).not.toContain('ERR_MODULE_NOT_FOUND');
		expect(daemon.stderr).toContain('is not valid JSON');
	});

	it('starts a proxied cluster (the bundle starting the link proxies), shows its links, and stops it', async () => {
		const version = '2.10.27';
		expect((await natslab(['servers', 'add', binaryFor(version)])).exitCode).toBe(0);
		const port = String(TEST_BASE_PORTS.packageInstall);
		const up = await natslab([
			'cluster',
			'up',
			'--version',
			version,
			'--base-port',
			port,
			'--links',
			'proxied',
		]);
		// Nothing, or natslab's named lines for a fresh cluster's start races (src/cluster/readiness.ts): a 2.10
		// bootstrap that left a server out, an election that stalled. (execa drops the last newline.)
		const named = [
			/^natslab: n\d is not in the JetStream meta group \(a bootstrap race\); restarting it$/,
			/^natslab: (n\d, )*n\d and n\d are routed to each other and elected no JetStream meta leader in \d+ s \(a stalled election, seen under load\); restarting n\d starts a new one$/,
		];
		for (const line of up.stderr.split('\n').filter((l) => l !== ''))
			expect(
				named.some((re) => re.test(line)),
				line,
			).toBe(true);
		expect(up.exitCode).toBe(0);
		const status = await natslab(['cluster', 'status']);
		expect(status.stdout).toMatch(/link n1.n2 +open +\d+ route connections/);
		const down = await natslab(['cluster', 'down']);
		expect(down.exitCode).toBe(0);
	});
});
