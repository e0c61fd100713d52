// `natslab learn --all --auto --jobs 2` as an instructor runs it (`node dist/cli.js`,
// so `npm run build` first), on a course of three real lessons (copies of lessons
// 1-3 in a folder of their own, NATSLAB_LESSONS_DIR): two lanes on real servers,
// each its own workspace and port block, the lines in course order, progress saved
// for every lesson, nothing left running. A Ctrl-C while the first lesson still runs
// (hung-node, a server of it frozen) and the one beside it has passed: that one's
// progress kept, exit 130, nothing left, the frozen server included.
// Then --quiet with the second lane's block held: refused before anything starts,
// the problem and a base whose lanes are free.

import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TO_VERSION } from '../../src/base/versions.js';
import { waitUntil } from '../../src/base/wait.js';
import { BLOCK_STEP, isPortFree } from '../../src/cluster/ports.js';
import { type LabHome, labHome } from '../support/lab-home.js';
import { TEST_BASE_PORTS } from '../support/ports.js';
import { processesUnder } from '../support/processes.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = process.env.NATSLAB_TEST_CLI ?? join(ROOT, 'dist', 'cli.js');
const BASE = TEST_BASE_PORTS.learnJobs;
const LESSONS = ['01-meet-the-cluster.md', '02-where-raft-lives.md', '03-restart-a-follower.md'];
const IDS = ['meet-the-cluster', 'where-raft-lives', 'restart-a-follower'];

const course = mkdtempSync(join(tmpdir(), 'natslab-jobs-course-'));
for (const f of LESSONS) copyFileSync(join(ROOT, 'lessons', f), join(course, f));
// The Ctrl-C course: hung-node first (its second step alone watches a frozen server for a steady
// 10 s, so it cannot end before meet-the-cluster beside it), meet-the-cluster second.
const swapped = mkdtempSync(join(tmpdir(), 'natslab-jobs-swapped-'));
const reorder = (file: string, order: number) =>
	writeFileSync(
		join(swapped, file),
		readFileSync(join(ROOT, 'lessons', file), 'utf8').replace(/^order: \d+$/m, `order: ${order}`),
	);
reorder('08-hung-node.md', 1);
reorder('01-meet-the-cluster.md', 2);
const homes: LabHome[] = [];
afterAll(() => {
	for (const h of homes) h.remove();
	rmSync(course, { recursive: true, force: true });
	rmSync(swapped, { recursive: true, force: true });
});

const progressOf = (home: LabHome): Record<string, { done?: boolean }> => {
	try {
		return JSON.parse(readFileSync(join(home.dir, 'state', 'lessons', 'progress.json'), 'utf8')).lessons;
	} catch {
		return {};
	}
};

function learn(home: LabHome, args: string[] = [], lessons = course) {
	return execa(
		process.execPath,
		[CLI, 'learn', '--all', '--auto', '--jobs', '2', '--base-port', String(BASE), ...args],
		{
			cwd: ROOT,
			env: { ...home.env, NO_COLOR: '1', NATSLAB_LESSONS_DIR: lessons },
			reject: false,
			timeout: 150_000,
			stdin: 'ignore',
		},
	);
}

const lanePorts = [0, 1].flatMap((k) => {
	const b = BASE + k * BLOCK_STEP;
	return [b, b + 1, b + 2, b + 2000, b + 2002, b + 4000, b + 4002];
});

describe('learn --all --auto --jobs 2', () => {
	it('two lanes on real servers: lines in course order, each lane its workspace, nothing left', {
		timeout: 180_000,
	}, async () => {
		const home = labHome('natslab-learn-jobs-', [DEFAULT_TO_VERSION]);
		homes.push(home);
		const r = await learn(home);
		expect(r.exitCode, r.stderr || r.stdout.slice(-2000)).toBe(0);
		expect(r.stderr).toBe('');
		const lines = r.stdout.trim().split('\n');
		// Every lesson's lines together and in course order: its heading … its ✓, then the next.
		const headings = lines.flatMap((l, i) => (l.startsWith('[') ? [i] : []));
		const passes = lines.flatMap((l, i) => (l.startsWith('  ✓ passed in ') ? [i] : []));
		expect(headings.map((i) => lines[i])).toEqual(
			IDS.map((id, n) => expect.stringMatching(new RegExp(`^\\[${n + 1}/3\\] .*\\(${id}, nats-server `))),
		);
		expect(passes).toHaveLength(3);
		for (let n = 0; n < 3; n++) {
			expect(passes[n]).toBeGreaterThan(headings[n] as number);
			if (n < 2) expect(passes[n]).toBeLessThan(headings[n + 1] as number);
		}
		// The course's last line follows, as after any whole course (this one's last lesson passed).
		expect(lines.at(-2)).toMatch(/^course check passed: 3 lessons in \d+\.\d s \(2 at a time\)$/);
		expect(lines.at(-1)).toMatch(/^★ Course complete/);
		// Lesson 1 quotes the addresses its client was told: lane 1's block.
		expect(r.stdout).toMatch(new RegExp(`was told: .*127\\.0\\.0\\.1:${BASE}\\b`));
		// The two lanes' workspaces, and every lesson's progress saved.
		const clusters = join(home.dir, 'state', 'clusters');
		expect(existsSync(join(clusters, 'lessons'))).toBe(true);
		expect(existsSync(join(clusters, 'lessons-2'))).toBe(true);
		const progress = JSON.parse(readFileSync(join(home.dir, 'state', 'lessons', 'progress.json'), 'utf8'));
		for (const id of IDS) expect(progress.lessons[id]?.done, id).toBe(true);
		for (const port of lanePorts) expect(await isPortFree(port), `port ${port}`).toBe(true);
	});

	it('Ctrl-C while the first lesson holds a frozen server and the one beside it passed: its progress kept, exit 130, nothing left', {
		timeout: 120_000,
	}, async () => {
		const home = labHome('natslab-learn-jobs-int-', [DEFAULT_TO_VERSION]);
		homes.push(home);
		const run = learn(home, [], swapped);
		let out = '';
		run.stdout?.on('data', (chunk: Buffer) => {
			out += chunk.toString();
		});
		// meet-the-cluster (lane 2) has passed and hung-node (lane 1, printing as it goes) has frozen its
		// server: its next step then watches the frozen server for a steady 10 s, so it cannot end first.
		await waitUntil(
			() => progressOf(home)['meet-the-cluster']?.done && /natslab: freeze n\d \(SIGSTOP\)/.test(out),
			{
				timeoutMs: 60_000,
				everyMs: 100,
				describe: () => `not both in 60 s: ${JSON.stringify(progressOf(home))}; stdout: ${out}`,
			},
		);
		expect(progressOf(home)['hung-node']).toBeUndefined();
		run.kill('SIGINT');
		const r = await run;
		expect(r.exitCode, r.stderr).toBe(130);
		// Lane 1's lesson printed as it went; lane 2's lines were held behind it (not printed).
		expect(r.stdout).toMatch(/^\[1\/2\] .*\(hung-node, /m);
		// The interrupt came while hung-node's server was frozen (SIGSTOP), and no resume came before it.
		expect(r.stdout).toMatch(/natslab: freeze n\d \(SIGSTOP\)/);
		expect(r.stdout).not.toMatch(/natslab: resume n\d/);
		expect(r.stdout).not.toContain('(meet-the-cluster, ');
		expect(progressOf(home)['meet-the-cluster']?.done).toBe(true);
		expect(processesUnder(home.dir)).toEqual([]);
		for (const port of lanePorts) expect(await isPortFree(port), `port ${port}`).toBe(true);
	});

	it('--quiet with the second lane’s block held: refused at once, with a base whose lanes are free', {
		timeout: 60_000,
	}, async () => {
		const home = labHome('natslab-learn-jobs-busy-', [DEFAULT_TO_VERSION]);
		homes.push(home);
		const held = BASE + BLOCK_STEP + 1;
		const holder = createServer();
		await new Promise<void>((done) => holder.listen({ port: held, host: '127.0.0.1' }, done));
		try {
			const r = await learn(home, ['--quiet']);
			expect(r.exitCode, r.stderr).toBe(1);
			const lines = r.stdout.trim().split('\n');
			expect(lines[0]).toMatch(
				new RegExp(`^port ${held} \\(n2 client\\) is in use on 127\\.0\\.0\\.1 → --base-port (\\d+)$`),
			);
			// The base offered has both lanes' blocks above the held port.
			const offered = Number(/--base-port (\d+)$/.exec(lines[0] ?? '')?.[1]);
			expect(offered).toBeGreaterThan(held);
			expect(lines.at(-1)).toBe('natslab course: not started — 1 problem');
			expect(existsSync(join(home.dir, 'state', 'clusters'))).toBe(false);
		} finally {
			await new Promise((done) => holder.close(done));
		}
	});
});
