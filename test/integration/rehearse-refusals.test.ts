// Rehearsals that should not start (issue #11): the real CLI in its own process.
// The same version twice and an unasked-for downgrade are refused with one usage
// line before anything is fetched or started; a version that cannot be obtained
// gives one line and no report. "Nothing started" is checked where it would show:
// a fresh NATSLAB_HOME gets no binary in its cache and no cluster workspace (no
// server can start without both).
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { natslabCli } from '../support/natslab-cli.js';
import { TEST_BASE_PORTS } from '../support/ports.js';

let home: string;
beforeEach(() => {
	home = mkdtempSync(join(tmpdir(), 'natslab-refusals-'));
});
afterEach(() => {
	rmSync(home, { recursive: true, force: true });
});

async function rehearse(args: string[]) {
	const env: NodeJS.ProcessEnv = {
		...process.env,
		NATSLAB_HOME: home,
		NO_COLOR: '1',
		// No source can deliver anything: GitHub and Debian point at a closed port, no mirror,
		// and PATH holds no nats-server. A refusal must not even try.
		NATSLAB_GITHUB_URL: 'http://127.0.0.1:9',
		NATSLAB_DEBIAN_URL: 'http://127.0.0.1:9',
		NATSLAB_MIRROR: '',
		PATH: '/usr/bin:/bin',
	};
	return natslabCli(['rehearse', ...args, '--base-port', String(TEST_BASE_PORTS.rehearseRefusals)], env);
}

/** Nothing was fetched and no cluster workspace was made: no server can have started. */
function expectNothingStarted(): void {
	const cache = join(home, 'cache', 'servers');
	const cached = existsSync(cache) ? readdirSync(cache).filter((n) => !n.startsWith('.')) : [];
	expect(cached).toEqual([]);
	expect(existsSync(join(home, 'state', 'clusters'))).toBe(false);
}

describe('rehearsals that should not start', () => {
	it('refuses --from = --to with one usage line, before anything starts', async () => {
		const r = await rehearse(['--from', '2.10.27', '--to', 'v2.10.27', '--json']);
		expect(r.code).toBe(2);
		expect(r.stdout).toBe('');
		expect(r.stderr).toBe(
			'natslab: rehearse: --from and --to are both 2.10.27: there is nothing to upgrade; choose a newer --to (see natslab rehearse --help)\n',
		);
		expectNothingStarted();
	}, 150_000);

	it('refuses a downgrade unless asked for, naming the NATS rule and the flag', async () => {
		const r = await rehearse(['--from', '2.10.27', '--to', '2.9.10']);
		expect(r.code).toBe(2);
		expect(r.stdout).toBe('');
		expect(r.stderr.split('\n')).toEqual([
			'natslab: rehearse: --to 2.9.10 is older than --from 2.10.27: 2.10.27 → 2.9.10 is a downgrade NATS does not support: ' +
				'2.9.10 cannot read the JetStream store 2.10.27 writes, so streams will fail on the downgraded nodes ' +
				'(NATS supports a downgrade one patch release back, and from 2.10 or later to 2.9 only to 2.9.22 or later; see docs/upgrades.md); ' +
				'to rehearse it anyway, add --allow-downgrade',
			'',
		]);
		expectNothingStarted();
	}, 150_000);

	it('with --allow-downgrade warns first, then goes on (here to a version that cannot be had)', async () => {
		const r = await rehearse(['--from', '9.9.9', '--to', '9.9.8', '--allow-downgrade', '--json']);
		const lines = r.stderr.trimEnd().split('\n');
		expect(lines[0]).toBe(
			'natslab: warning: rehearsing a downgrade: 9.9.9 → 9.9.8 is a downgrade one patch back, which NATS supports',
		);
		expect(r.code).toBe(1);
		expect(lines.at(-1)).toMatch(
			/^natslab: rehearsal not started: nats-server 9\.9\.9 is not available: github: /,
		);
		expect(r.stdout).toBe('');
		expectNothingStarted();
	}, 150_000);

	it('a --streams or --config file that cannot be used: one line naming its JSON path or FILE:LINE, exit 2', async () => {
		const streams = join(home, 'streams.json');
		writeFileSync(
			streams,
			JSON.stringify([{ config: { name: 'BIG', subjects: ['big.>'], num_replicas: 5 } }]),
		);
		const s = await rehearse(['--streams', streams, '--json']);
		expect(s.code).toBe(2);
		expect(s.stdout).toBe('');
		expect(s.stderr).toBe(
			`natslab: --streams ${streams}: [0].config.num_replicas: R5 needs 5 servers, the rehearsal runs 3 (--nodes 5)\n`,
		);
		const config = join(home, 'prod.conf');
		writeFileSync(config, '# production\nmax_payload: 8MB\nlame_duck_duration: 10s\n');
		const c = await rehearse(['--config', config]);
		expect(c.code).toBe(2);
		expect(c.stderr).toBe(
			`natslab: --config ${config}:3: lame_duck_duration 10s: nats-server's minimum is 30s\n`,
		);
		expectNothingStarted();
	}, 150_000);

	it('a version that cannot be obtained: one line, exit 1, no report (not even with --json)', async () => {
		const r = await rehearse(['--from', '9.9.9', '--to', '9.9.10', '--json']);
		expect(r.code).toBe(1);
		expect(r.stdout).toBe('');
		const last = r.stderr.trimEnd().split('\n').at(-1) ?? '';
		expect(last).toMatch(
			/^natslab: rehearsal not started: nats-server 9\.9\.9 is not available: github: .*; path: /,
		);
		expect(r.stderr).not.toMatch(/rehearsal failed|VERDICT|Verdict/);
		expectNothingStarted();
	}, 150_000);
});
