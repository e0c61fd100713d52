// The course's regression test: `natslab learn --all --auto --jobs 2` against
// real nats-server binaries, in-process: two lessons at a time, each on its own
// cluster (the course in ~2.5 min instead of ~5). Every lesson must pass, the
// measurements must be what real servers do (docs/nats-behavior.md), and nothing
// may be left running afterwards, in either lane.

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isUserError } from '../../src/base/errors.js';
import { BLOCK_STEP } from '../../src/cluster/ports.js';
import { learnCommand } from '../../src/commands/learn.js';
import { type AutoReport, type LessonReport, laneWorkspace } from '../../src/lessons/auto.js';
import { loadCourse } from '../../src/lessons/course.js';
import type { ScreenIo } from '../../src/ui/run.js';
import { binaryDir, NEWER_TEST_VERSIONS, TEST_HOME, TEST_VERSIONS } from '../support/binaries.js';
import { coreCounts } from '../support/lesson-run.js';
import { TEST_BASE_PORTS } from '../support/ports.js';
import { processesUnder } from '../support/processes.js';

const BASE = TEST_BASE_PORTS.lessons;
/** Lanes of the course run (`--jobs`): lane k's port block is BASE + k × BLOCK_STEP. */
const JOBS = 2;
const home = mkdtempSync(join(tmpdir(), 'natslab-lessons-auto-'));
const servers = join(home, 'cache', 'servers');
mkdirSync(servers, { recursive: true });
for (const v of TEST_VERSIONS) symlinkSync(join(binaryDir(), v), join(servers, v));
// Lesson 12 runs on 2.15.1 (2.12+) when the global setup could fetch it; without it natslab tries to
// fetch it itself and, failing that, skips the lesson with the reason (never fakes it).
const newerThere = NEWER_TEST_VERSIONS.filter((v) => existsSync(join(binaryDir(), v, 'nats-server')));
for (const v of newerThere) symlinkSync(join(binaryDir(), v), join(servers, v));

afterAll(() => rmSync(home, { recursive: true, force: true }));

/**
 * Every lesson is recorded (`--record`: the servers' log lines, polls and client events). The
 * recording of a lesson stopped on a named server condition is kept (the home is removed), so
 * that what the servers said meanwhile can be read afterwards (`natslab replay FILE`, or zcat):
 * replica-stuck, the commonest of them here, is not yet explained (docs/nats-behavior.md §14.5c).
 */
const recordings = join(home, 'recordings');
const EVIDENCE_DIR = join(TEST_HOME, 'evidence');

function keepRecording(lessonId: string, file: string): void {
	if (!existsSync(file)) return;
	mkdirSync(EVIDENCE_DIR, { recursive: true });
	const kept = join(EVIDENCE_DIR, `${new Date().toISOString().replace(/[:.]/g, '-')}-${lessonId}.jsonl.gz`);
	copyFileSync(file, kept);
	process.stdout.write(`recording of ${lessonId} kept: ${kept}\n`);
}

function portOpen(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

/**
 * The course stopped only because a lesson hit a measured server condition that natslab names
 * (observe/diagnoses.ts): a mixed-version lesson a one-way route or a stuck replica, any lesson a
 * routed majority that elects no meta leader (seen once in 4 courses under load: after quorum
 * loss the two voted for themselves in one term and stayed leaderless for 45 s). That lesson
 * failed with the diagnosis in its failure line and result, and it is the only failure. Null
 * when the course did not stop that way.
 */
function namedServerCondition(report: AutoReport): LessonReport | null {
	const failed = report.lessons.filter((l) => l.status !== 'done' && l.status !== 'skipped');
	// Side by side (--jobs), lessons that ran beside the stopped one may come after it in the report.
	const only = failed.length === 1 ? failed[0] : undefined;
	if (!only) return null;
	const mixed = only.upgradeTo !== null && only.upgradeTo !== only.version;
	// replica-stuck on one version too: seen once in CI on 2.10.27 alone (lesson 4, n2 back after the meta
	// leader's SIGTERM, its ORDERS lag 101 → 953 over 44 s with its routes up; docs/nats-behavior.md §14.5c).
	const allowed = mixed
		? ['one-way-route', 'replica-stuck', 'no-meta-election']
		: ['replica-stuck', 'no-meta-election'];
	const kinds = (only.diagnoses ?? []).map((d) => d.kind);
	const named =
		kinds.length > 0 &&
		kinds.every((k) => allowed.includes(k)) &&
		new RegExp(`; diagnosis (${allowed.join('|')}): `).test(only.failure ?? '');
	return only.status === 'failed' && named ? only : null;
}

/** `natslab learn …` in-process: its exit code (a failed check is a one-line UserError, exit 1), its JSON report. */
async function learn(args: string[]): Promise<{ code: number; report: AutoReport; stderr: string }> {
	const out = { stdout: '', stderr: '' };
	const io = {
		stdout: {
			write: (s: string) => {
				out.stdout += s;
				return true;
			},
		},
		stderr: {
			write: (s: string) => {
				out.stderr += s;
				return true;
			},
		},
		stdin: process.stdin,
		env: { ...process.env, NATSLAB_HOME: home },
	} as unknown as ScreenIo;
	const code = await learnCommand(args, io).catch((err: unknown) => {
		if (!isUserError(err)) throw err;
		return err.exitCode;
	});
	// --record says where each lesson's recording went, one line each; anything else there is a finding.
	const stderr = out.stderr
		.split('\n')
		.filter((line) => line !== '' && !/^natslab: recording written to \S+ \(natslab replay \S+\)$/.test(line))
		.join('\n');
	if (stderr) process.stdout.write(`stderr: ${stderr}\n`);
	return { code, report: JSON.parse(out.stdout) as AutoReport, stderr };
}

const figure = (report: AutoReport, lesson: string, name: string) =>
	report.lessons.find((l) => l.id === lesson)?.measurements.find((m) => m.name === name);

describe('natslab learn --all --auto', () => {
	// No retry. A 2.10.27 node restarted among 2.9.10 peers occasionally ends with a one-way
	// route and never catches up (lesson 7; the rehearsal test sees the same real-server race).
	// natslab names it; so a mixed-version lesson may fail with that named diagnosis and nothing
	// else, any lesson with no-meta-election (a routed majority that elects no meta leader for
	// 30 s) or replica-stuck (a replica whose lag grows while its routes are up), and every other
	// failure still fails this test. After such a stop the rest of the course runs lesson by
	// lesson, and figures are checked for every lesson that ran to the end.
	const options = { timeout: 9 * 60_000 };
	it(
		'runs the whole course against real servers, measures what real servers do, and leaves nothing running',
		options,
		async () => {
			const began = Date.now();
			const first = await learn([
				'--all',
				'--auto',
				'--json',
				'--base-port',
				String(BASE),
				'--jobs',
				String(JOBS),
				'--record',
				recordings,
			]);
			const course = (await loadCourse()).map((l) => l.id);
			// A course stopped on a named server condition goes on lesson by lesson (`learn <id> --auto`),
			// so that every later lesson's figures are still checked (CI stopped at lesson 6 three times).
			const stops: LessonReport[] = [];
			const lessons = [...first.report.lessons];
			/** One run of learn: exit 1 only for a lesson stopped on a named condition (then noted), else 0. */
			const check = (
				run: Awaited<ReturnType<typeof learn>>,
				recording: (id: string) => string,
			): LessonReport | null => {
				const stuck = namedServerCondition(run.report);
				if (stuck) {
					stops.push(stuck);
					process.stdout.write(`course stopped on a named server condition: ${stuck.failure}\n`);
					keepRecording(stuck.id, recording(stuck.id));
				}
				expect(run.stderr, run.report.failure).toBe('');
				expect(run.code, run.report.failure).toBe(stuck ? 1 : 0);
				expect(run.report.ok).toBe(!stuck);
				return stuck;
			};
			const firstStop = check(first, (id) => join(recordings, `${id}.jsonl.gz`));
			// The lanes take lessons in course order: what ran is the course's beginning, in order (after a
			// stop, no lane takes a further lesson; those beside it end and are reported).
			const firstRan = first.report.lessons.map((l) => l.id);
			expect(firstRan).toEqual(course.slice(0, firstRan.length));
			// Alone, lesson 12 without its 2.15.1 exits 1 (the course skips it): not run on its own then.
			const after = firstStop
				? course.slice(firstRan.length).filter((id) => id !== 'missing-node' || newerThere.includes('2.15.1'))
				: [];
			for (const id of after) {
				const alone = join(recordings, `${id}-alone.jsonl.gz`);
				const run = await learn([id, '--auto', '--json', '--base-port', String(BASE), '--record', alone]);
				lessons.push(...run.report.lessons);
				check(run, () => alone);
			}
			const report: AutoReport = { ...first.report, lessons };
			process.stdout.write(`course wall time ${((Date.now() - began) / 1000).toFixed(1)} s\n`);
			// When a lesson fails, say which and why (CI keeps only the tail of the output).
			const failures = lessons
				.filter((l) => l.status !== 'done')
				.map((l) => `${l.id} ${l.status}: ${l.failure ?? ''}`)
				.join('\n');
			if (failures) process.stdout.write(`lessons not done:\n${failures}\n`);
			// The shipped course, in order (its ids are pinned in test/unit/lessons/validate.test.ts).
			const ran = firstStop ? [...firstRan, ...after] : course;
			// Only lesson 12 may be skipped, only when 2.15.1 was not there to begin with, and it says why.
			const skipped = lessons.filter((l) => l.status === 'skipped');
			const mayBeSkipped = newerThere.includes('2.15.1') ? [] : ['missing-node'];
			for (const l of skipped) {
				expect(mayBeSkipped).toContain(l.id);
				expect(l.failure).toMatch(/^missing-node: needs nats-server 2\.15\.1, which cannot be had here: /);
			}
			const expected = (id: string) =>
				stops.some((l) => l.id === id) ? 'failed' : skipped.some((l) => l.id === id) ? 'skipped' : 'done';
			expect(lessons.map((l) => `${l.id}:${l.status}`)).toEqual(ran.map((id) => `${id}:${expected(id)}`));
			const passed = (id: string) => report.lessons.some((l) => l.id === id && l.status === 'done');
			for (const l of report.lessons.filter((x) => x.status === 'done'))
				expect(l.measurements.length, l.id).toBeGreaterThan(0);

			// Real-server figures (docs/nats-behavior.md §1): a SIGTERM hand-over is fast, a SIGKILL
			// election waits for an election timeout (4-9 s by default).
			if (passed('stop-the-meta-leader')) {
				const handover = figure(report, 'stop-the-meta-leader', 'handover')?.value ?? Number.NaN;
				const election = figure(report, 'stop-the-meta-leader', 'election')?.value ?? Number.NaN;
				expect(handover).toBeLessThan(2000);
				expect(election).toBeGreaterThan(2000);
				expect(election).toBeGreaterThan(handover);
			}
			// The myth's line is nowhere; the real leader line is quoted from the learner's logs.
			if (passed('meet-the-cluster')) {
				expect(figure(report, 'meet-the-cluster', 'metaLine')?.text).toMatch(
					/\[INF\] Self is new JetStream cluster metadata leader$/,
				);
			}
			// Quorum loss: the survivor says it late and only at INFO; no acked message is lost.
			if (passed('lose-quorum')) {
				expect(figure(report, 'lose-quorum', 'noLeaderLine')?.text).toMatch(
					/\[INF\] JetStream cluster no metadata leader$/,
				);
				expect(figure(report, 'lose-quorum', 'silence')?.value).toBeGreaterThan(3000);
				expect(figure(report, 'lose-quorum', 'verdict')?.value).toBe(0);
				// docs/measurements.md: the first ack after the start is its own figure (not the election), within
				// its step; "since the second stop" counts only acks in flight at the stop, not the step before it.
				const back = figure(report, 'lose-quorum', 'back')?.value ?? Number.NaN;
				const backStep = report.lessons
					.find((l) => l.id === 'lose-quorum')
					?.steps.find((s) => s.measurements.some((m) => m.name === 'back'));
				expect(back).toBeGreaterThan(0);
				expect(back).toBeLessThanOrEqual(backStep?.ms ?? 0);
				expect(
					Number(/^(\d+) acked/.exec(figure(report, 'lose-quorum', 'failing')?.text ?? '')?.[1]),
				).toBeLessThanOrEqual(5);
			}
			// Core counts by message number: they add up, or say why not; never more received than sent.
			for (const m of report.lessons
				.flatMap((l) => l.measurements)
				.filter((x) => /^core|Core$/.test(x.name))) {
				const n = coreCounts(m.text);
				// sent = received + lost + missed while core-sub was away + still in flight.
				if (n) expect(n.received + n.lost + n.away + n.inFlight, m.text).toBe(n.sent);
				else expect(m.text).toMatch(/^(\d+ sent; core-sub .*not comparable|no core probes)/);
			}
			// Lame duck: leaders move before the clients hear about it; the process exits later.
			if (passed('lame-duck')) {
				const ldmHandover = figure(report, 'lame-duck', 'ldmHandover')?.value ?? Number.NaN;
				const ldmExit = figure(report, 'lame-duck', 'ldmExit')?.value ?? Number.NaN;
				expect(ldmHandover).toBeLessThan(ldmExit);
				expect(ldmHandover).toBeLessThan(figure(report, 'lame-duck', 'ldmNotice')?.value ?? Number.NaN);
				expect(ldmExit).toBeGreaterThan(3000);
			}
			if (passed('rolling-upgrade')) {
				// Rolling upgrade: every node on the new version, the mixed-version ERR line seen, nothing lost.
				expect(figure(report, 'rolling-upgrade', 'upgraded')?.text).toBe(
					'n1 2.10.27 · n2 2.10.27 · n3 2.10.27',
				);
				expect(figure(report, 'rolling-upgrade', 'mixedLine')?.text).toMatch(
					/\[ERR\] .*dedicated route for account "\$SYS"/,
				);
				expect(figure(report, 'rolling-upgrade', 'verdict')?.value).toBe(0);
				// A health gate passes after 3 s of steady /healthz ok, so it never takes less.
				for (const gate of ['gate1', 'gate2', 'gate3'])
					expect(figure(report, 'rolling-upgrade', gate)?.value, gate).toBeGreaterThanOrEqual(3000);
			}
			// Hung node: JetStream moved on, the routes still list the frozen server after 10 s.
			if (passed('hung-node')) expect(figure(report, 'hung-node', 'stillRouted')?.value).toBe(2);
			// Client settings: the default client gave up and stayed closed.
			if (passed('client-settings'))
				expect(figure(report, 'client-settings', 'dead')?.text).toMatch(/^core-pub closed/);
			// Partition: the cut-off node noticed on its own (an election timeout at least), its replica
			// fell behind, its client could not write, and after the heal nothing acked was lost.
			if (passed('partition')) {
				expect(figure(report, 'partition', 'noticed')?.value).toBeGreaterThan(2000);
				expect(figure(report, 'partition', 'lag')?.value).toBeGreaterThan(0);
				expect(figure(report, 'partition', 'cutJs')?.text).toMatch(/ [1-9]\d* failed/);
				expect(figure(report, 'partition', 'verdict')?.value).toBe(0);
				// natslab's core reach check: from the cut-off node only its own subscriber got them (nothing
				// reached the other two: value 0); healed, the other two got all 20 each.
				expect(figure(report, 'partition', 'cutReach')?.text).toMatch(
					/^a client on (n\d) sent 20: \1's own subscriber got [1-9]\d*, n\d's 0, n\d's 0$/,
				);
				expect(figure(report, 'partition', 'cutReach')?.value).toBe(0);
				expect(figure(report, 'partition', 'healedReach')?.value).toBe(40);
			}
			// The silent consumer (§14.6): after its leader is killed a default consume() waits for two missed
			// 15 s idle heartbeats (30 s), or, on the killed node, for a consumer check 0.5–1.5 × 30 s after a
			// failed one: 15 s is the floor of either (17.9 s seen in CI). A 5 s pull recovers with 2 × 2.5 s
			// heartbeats or checks 2.5–7.5 s apart: well under 30 s even with a few failed checks.
			if (passed('silent-consumer')) {
				const stall = figure(report, 'silent-consumer', 'stall')?.value ?? Number.NaN;
				const fixedStall = figure(report, 'silent-consumer', 'fixedStall')?.value ?? Number.NaN;
				expect(stall).toBeGreaterThan(15_000);
				expect(fixedStall).toBeLessThan(30_000);
				// The lesson's point: the shorter pull recovered sooner (measured 6–16 s against 18–52 s).
				expect(fixedStall).toBeLessThan(stall);
			}
			// A new 2.12+ cluster with a node missing (docs/partitions.md): n1 and n2, fresh, elect no meta
			// leader for the whole 15 s watch (a steady wait: never less), and /healthz says why in its own
			// words; n3's start brings the first leader. With state the two elect on their own, after an
			// election timeout (4-9 s by default, so well over 2 s); a SIGTERMed leader hands over fast.
			if (passed('missing-node')) {
				expect(figure(report, 'missing-node', 'noLeader')?.value).toBeGreaterThanOrEqual(15_000);
				expect(figure(report, 'missing-node', 'views')?.text).toBe('n1 → none · n2 → none');
				expect(figure(report, 'missing-node', 'health')?.text).toMatch(
					/503 JetStream has not established contact with a meta leader/,
				);
				expect(figure(report, 'missing-node', 'firstLeader')?.value).toBeGreaterThan(0);
				expect(figure(report, 'missing-node', 'reelected')?.value).toBeLessThan(2000);
				expect(figure(report, 'missing-node', 'withState')?.value).toBeGreaterThan(2000);
			}

			// Progress was saved for every lesson that passed.
			const progress = JSON.parse(readFileSync(join(home, 'state', 'lessons', 'progress.json'), 'utf8')) as {
				lessons: Record<string, { done: boolean }>;
			};
			expect(Object.values(progress.lessons).filter((p) => p.done)).toHaveLength(
				lessons.filter((l) => l.status === 'done').length,
			);

			// Nothing left running: no process from this home, every port closed.
			expect(processesUnder(home)).toEqual([]);
			// The partition lesson's pair proxies listen on B+3000..B+3005 (docs/partitions.md); each lane's block.
			for (let k = 0; k < JOBS; k++) {
				const base = BASE + k * BLOCK_STEP;
				for (const offset of [
					0, 1, 2, 2000, 2001, 2002, 3000, 3001, 3002, 3003, 3004, 3005, 4000, 4001, 4002,
				]) {
					expect(await portOpen(base + offset), `port ${base + offset}`).toBe(false);
				}
				expect(existsSync(join(home, 'state', 'clusters', laneWorkspace(k), 'run.json'))).toBe(false);
			}
			// Both lanes ran lessons.
			expect(new Set(first.report.lessons.map((l) => l.lane))).toEqual(new Set([1, 2]));
		},
	);
});
