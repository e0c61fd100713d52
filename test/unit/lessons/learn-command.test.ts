// `natslab learn` and `natslab lessons list` as a user types them: one-line
// errors with exit 2 for bad input, no terminal needed for --help, --reset and
// list. (The unattended run against real servers is test/integration/lessons-auto.)

import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TO_VERSION } from '../../../src/base/versions.js';
import { learnCommand, parseLearnArgs } from '../../../src/commands/learn.js';
import { lessonsCommand } from '../../../src/commands/lessons.js';
import { runCommand } from '../../../src/commands/main.js';
import type { Lab } from '../../../src/lab/types.js';
import { readProgress, saveStep } from '../../../src/lessons/progress.js';
import { io } from './command-io.js';

const noLab = async (): Promise<Lab> => {
	throw new Error('no lab in this test');
};

describe('natslab learn: arguments', () => {
	it('parses ids, flags and versions', () => {
		expect(
			parseLearnArgs(['lame-duck', '--auto', '--json', '--version', 'v2.10.27', '--base-port', '30600']),
		).toMatchObject({
			id: 'lame-duck',
			auto: true,
			json: true,
			choice: { version: '2.10.27' },
			basePort: 30600,
		});
	});

	it.each([
		[['--version', '2.10'], /--version 2\.10: not a nats-server release version/],
		[['--base-port', '80'], /--base-port 80: needs a whole number from 1024 to 61533/],
		[['--bogus'], /^learn: unknown option '--bogus' \(see natslab learn --help\)$/],
		[['a', 'b'], /one lesson at a time/],
	])('%j is refused', (args, message) => {
		expect(() => parseLearnArgs(args)).toThrow(message);
	});

	it.each([
		[['--json', 'lame-duck'], 2, 'natslab: learn: --json goes with --auto (see natslab learn --help)\n'],
		[['--quiet', 'lame-duck'], 2, 'natslab: learn: --quiet goes with --auto (see natslab learn --help)\n'],
		[
			['--all'],
			2,
			'natslab: learn: --all runs the course unattended: add --auto (see natslab learn --help)\n',
		],
		[['--auto'], 2, 'natslab: learn: --auto needs a lesson id or --all (see natslab learn --help)\n'],
		[
			['--all', '--auto', 'lame-duck'],
			2,
			'natslab: learn: give a lesson id or --all, not both (see natslab learn --help)\n',
		],
		[['nope', '--auto'], 1, 'natslab: no lesson "nope" (natslab lessons list shows them)\n'],
		[
			['lame-duck'],
			2,
			'natslab: learn: stdout is not a terminal: the course needs an interactive terminal (or use --auto)\n',
		],
		[
			[],
			2,
			'natslab: learn: stdout is not a terminal: the course needs an interactive terminal (or use --auto)\n',
		],
	])('%j → exit %i and one line on stderr, through the one handler', async (args, code, line) => {
		const t = io();
		expect(await runCommand(['learn', ...args], t.io, { createLab: noLab })).toBe(code);
		expect(t.out.stderr).toBe(line);
	});

	it('a version a lesson cannot run on is refused before any server starts', async () => {
		const t = io();
		let created = 0;
		const code = await runCommand(
			['learn', 'rolling-upgrade', '--auto', '--from', '2.10.27', '--to', '2.9.10'],
			t.io,
			{
				createLab: async () => {
					created++;
					return noLab();
				},
			},
		);
		expect(code).toBe(1);
		expect(created).toBe(0);
		expect(t.out.stderr).toBe(
			'natslab: lesson rolling-upgrade upgrades, so --to (2.9.10) must be newer than --from (2.10.27)\n',
		);
	});

	it('--auto reports a lab that cannot start as a failure in one line, after one fresh retry', async () => {
		const t = io();
		let created = 0;
		const code = await runCommand(['learn', 'meet-the-cluster', '--auto'], t.io, {
			createLab: async () => {
				created++;
				throw new Error('port 14222 (client) is already in use on 127.0.0.1');
			},
		});
		expect(code).toBe(1);
		expect(created).toBe(2);
		expect(t.out.stderr).toBe(
			'natslab: meet-the-cluster: could not start the cluster: port 14222 (client) is already in use on 127.0.0.1\n',
		);
	});

	it('--auto --json: a lab that cannot start ran no step (ms 0); its time is the set-up, counted once', async () => {
		const t = io();
		const code = await runCommand(['learn', 'meet-the-cluster', '--auto', '--json'], t.io, {
			createLab: async () => {
				await new Promise((r) => setTimeout(r, 30)); // some set-up time to count (or to count twice)
				throw new Error('boom');
			},
		});
		expect(code).toBe(1);
		const report = JSON.parse(t.out.stdout) as {
			lessons: { ms: number; setupMs: number; steps: unknown[] }[];
		};
		expect(report.lessons[0]).toMatchObject({ ms: 0, steps: [] });
		expect(report.lessons[0]?.setupMs).toBeGreaterThanOrEqual(30);
	});

	it('--all --auto --record FOLDER makes the folder first (like mkdir -p); a file in the way is one line before any lab', async () => {
		const t = io();
		const folder = join(t.env.NATSLAB_HOME, 'recordings', 'course');
		let created = 0;
		const failingLab = async (): Promise<Lab> => {
			created++;
			throw new Error('boom');
		};
		const code = await runCommand(['learn', '--all', '--auto', '--json', '--record', folder], t.io, {
			createLab: failingLab,
		});
		expect(code).toBe(1);
		expect(created).toBe(2);
		expect(statSync(folder).isDirectory()).toBe(true);
		// A lab that never came up leaves no recording (test/unit/record/never-came-up.test.ts).
		expect(readdirSync(folder)).toEqual([]);

		const inTheWay = join(t.env.NATSLAB_HOME, 'a-file');
		writeFileSync(inTheWay, '');
		const u = io();
		created = 0;
		const refused = await runCommand(
			['learn', '--all', '--auto', '--record', join(inTheWay, 'course')],
			u.io,
			{ createLab: failingLab },
		);
		expect(refused).toBe(3);
		expect(created).toBe(0);
		expect(u.out.stderr).toBe(
			`natslab: --record: ${inTheWay} is a file where natslab needs a folder (for ${join(inTheWay, 'course')}): move it away or choose another path\n`,
		);
	});

	it('--auto --quiet: a lesson that fails is its ✗ line and the last line, exit 1, nothing on stderr', async () => {
		const t = io();
		// The pre-check wants the binary in the cache (a file is enough: it is never started here).
		const dir = join(t.env.NATSLAB_HOME, 'cache', 'servers', DEFAULT_TO_VERSION);
		mkdirSync(dir, { recursive: true });
		writeFileSync(join(dir, 'nats-server'), '#!/bin/sh\n');
		const code = await runCommand(['learn', 'meet-the-cluster', '--auto', '--quiet'], t.io, {
			createLab: async () => {
				throw new Error('boom');
			},
		});
		expect(code).toBe(1);
		expect(t.out.stderr).toBe('');
		const [line, last, ...rest] = t.out.stdout.split('\n');
		expect(line).toMatch(/^✗ 1\/12 meet-the-cluster {2}\d+\.\d s {2}— could not start the cluster: boom$/);
		expect(last).toBe('natslab course: 0/1 passed — stopped at meet-the-cluster');
		expect(rest).toEqual(['']);
	});

	it('--help needs no terminal', async () => {
		const t = io();
		expect(await learnCommand(['--help'], t.io)).toBe(0);
		expect(t.out.stdout).toContain('natslab learn --all --auto');
	});

	it('--reset forgets one lesson’s progress', async () => {
		const t = io();
		await saveStep(t.env, 'lame-duck', 2, 4, []);
		await saveStep(t.env, 'hung-node', 1, 4, []);
		expect(await learnCommand(['--reset', '6'], t.io)).toBe(0);
		expect(t.out.stdout).toBe('progress in “Lame duck mode” (lame-duck) forgotten\n');
		expect(Object.keys((await readProgress(t.env)).lessons)).toEqual(['hung-node']);
	});
});

describe('natslab lessons list', () => {
	it('lists the course in order with progress; --json for scripts', async () => {
		const t = io();
		await saveStep(t.env, 'meet-the-cluster', 4, 4, []);
		expect(await lessonsCommand(['list'], t.io)).toBe(0);
		const lines = t.out.stdout.split('\n');
		expect(lines[0]).toMatch(/^ 1\. meet-the-cluster +Meet the cluster · done$/);
		expect(lines[2]).toMatch(/^ 2\. where-raft-lives +Where Raft lives · new$/);
		const j = io();
		await lessonsCommand(['list', '--json'], j.io);
		const list = JSON.parse(j.out.stdout) as { id: string; order: number; steps: number }[];
		expect(list.map((l) => l.order)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
		expect(list.every((l) => l.steps > 0)).toBe(true);
	});
});
