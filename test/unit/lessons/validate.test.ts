// The lesson format: the shipped course validates, and broken lessons are
// refused with the file:line of the offending key or step.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lessonsCommand } from '../../../src/commands/lessons.js';
import { courseDir, lessonFiles, loadLessons } from '../../../src/lessons/course.js';
import { parseLesson } from '../../../src/lessons/load.js';
import { CONDITION_NAMES } from '../../../src/lessons/schema.js';

const GOOD = `---
id: sample
title: A sample
order: 1
summary: A lesson used by the tests.
probes: [core, { kind: jetstream, options: { pingInterval: 1000 } }]
---

Intro prose.

## Stop the leader

Prose about {{target}}.

target: meta-leader
action: { do: stop, by: learner, key: s }
wait:
  - { for: meta-leader-moved, from: $target, timeout: 20s }
record:
  - { name: handover, measure: duration }

## Explain

It took {{handover}}.
`;

/** Problems of a lesson text as "line: message" strings. */
function problems(text: string): string[] {
	const r = parseLesson(text, 'x.md');
	return r.problems.map((p) => `${p.line}: ${p.message}`);
}

/** The good lesson with one line replaced (1-based line number). */
function withLine(line: number, replacement: string): string {
	const lines = GOOD.split('\n');
	lines[line - 1] = replacement;
	return lines.join('\n');
}

describe('a valid lesson', () => {
	it('parses into front matter, intro and steps with their settings', () => {
		const r = parseLesson(GOOD, 'x.md');
		expect(r.problems).toEqual([]);
		const lesson = r.lesson;
		expect(lesson?.id).toBe('sample');
		expect(lesson?.probes).toEqual([
			{ kind: 'core' },
			{ kind: 'jetstream', options: { pingInterval: 1000 }, rate: undefined },
		]);
		expect(lesson?.intro).toBe('Intro prose.');
		expect(lesson?.steps.map((s) => s.title)).toEqual(['Stop the leader', 'Explain']);
		const [stop, explain] = lesson?.steps ?? [];
		expect(stop?.line).toBe(11);
		expect(stop?.prose).toBe('Prose about {{target}}.');
		expect(stop?.actions).toEqual([{ do: 'stop', by: 'learner', key: 's' }]);
		expect(stop?.waits[0]).toMatchObject({ for: 'meta-leader-moved', from: '$target', timeout: 20_000 });
		expect(explain?.actions).toEqual([]);
		expect(explain?.prose).toBe('It took {{handover}}.');
	});
});

describe('broken lessons are refused with file:line', () => {
	it('no front matter', () => {
		expect(problems('## Step\n\nprose\n')[0]).toBe(
			'1: missing front matter: the file must start with a --- line',
		);
	});

	it('front matter that never ends', () => {
		expect(problems('---\nid: x\n')).toEqual([
			'1: front matter starts with --- but never ends (add a closing --- line)',
		]);
	});

	it('YAML syntax error in the front matter, at its line', () => {
		const out = problems(withLine(3, 'title: [unclosed'));
		expect(out).toHaveLength(1);
		expect(out[0]).toMatch(/^\d+: YAML: Flow sequence/);
		// Inside the front matter (lines 2-6), where the YAML parser places it.
		const line = Number(out[0]?.split(':')[0]);
		expect(line).toBeGreaterThanOrEqual(2);
		expect(line).toBeLessThanOrEqual(6);
	});

	it('a missing required front matter key, at the front matter', () => {
		expect(problems(withLine(5, ''))).toContain('2: summary: required');
	});

	it('an unknown front matter key, at its line', () => {
		expect(problems(withLine(5, 'sumary: typo'))).toEqual(
			expect.arrayContaining(['5: unknown key "sumary"']),
		);
	});

	it('a version written as a number', () => {
		const text = GOOD.replace('probes:', 'versions: { min: 2.10 }\nprobes:');
		expect(problems(text)[0]).toMatch(/^6: versions/);
	});

	it('an unknown condition, at the line of `for`', () => {
		const out = problems(GOOD.replace('for: meta-leader-moved', 'for: meta-leeder-moved'));
		expect(out).toHaveLength(1);
		expect(out[0]).toMatch(/^18: unknown condition \(known: meta-leader, /);
		expect(out[0]).toContain(CONDITION_NAMES.at(-1));
	});

	it('an unknown role, at the line of the target', () => {
		expect(problems(GOOD.replace('target: meta-leader', 'target: meta-leeder'))[0]).toMatch(
			/^15: target: unknown node or role "meta-leeder"/,
		);
	});

	it('a learner action without a key', () => {
		expect(problems(GOOD.replace(', key: s', ''))).toEqual([
			'16: action.key: a learner action needs a key (e.g. key: r)',
		]);
	});

	it('a reserved key', () => {
		expect(problems(GOOD.replace('key: s', 'key: h'))[0]).toMatch(/^16: action\.key: key h is reserved/);
	});

	it('an unknown probe kind and an unknown client option, each at its line', () => {
		expect(problems(GOOD.replace('probes: [core,', 'probes: [corr,'))).toEqual([
			'6: probes.0: Invalid option: expected one of "core"|"jetstream"',
		]);
		expect(problems(GOOD.replace('pingInterval: 1000', 'pingIntervl: 1000'))).toEqual([
			'6: probes.1.options: unknown key "pingIntervl"',
		]);
	});

	it('an unknown measurement', () => {
		const text = GOOD.replace(
			'record:\n  - { name: handover, measure: duration }',
			'record: { name: handover, measure: durations }',
		);
		expect(problems(text)[0]).toMatch(/^19: unknown measurement \(known: duration, log-line, /);
	});

	it('a bad duration', () => {
		expect(problems(GOOD.replace('timeout: 20s', 'timeout: soon'))[0]).toMatch(
			/^18: wait\.0\.timeout: not a duration: "soon"/,
		);
	});

	it('an unknown key in a step, at its line', () => {
		// The step's measurements are then unknown too, so the next step's {{handover}} is reported as well.
		expect(problems(GOOD.replace('record:', 'recrod:'))).toEqual([
			'19: unknown key "recrod"',
			'24: {{handover}} is not recorded by an earlier step',
		]);
	});

	it('a placeholder nothing recorded, at the prose line', () => {
		const out = problems(GOOD.replace('It took {{handover}}.', 'It took {{handoff}}.'));
		expect(out).toEqual(['24: {{handoff}} is not recorded by an earlier step']);
	});

	it('a measurement used before it is recorded', () => {
		expect(problems(GOOD.replace('Prose about {{target}}.', 'Prose about {{handover}}.'))).toEqual([
			'13: {{handover}} is not recorded by an earlier step',
		]);
	});

	it('$target in a step without a target', () => {
		const text = GOOD.replace(
			'It took {{handover}}.',
			'It took {{handover}}.\n\nwait: { for: node-up, node: $target }',
		);
		expect(problems(text)).toEqual(['26: $target used but this step has no target']);
	});

	it('a check whose answer is not one of the choices', () => {
		const text = `${GOOD}\ncheck:\n  question: Why?\n  choices: [a, b]\n  answer: 3\n`;
		expect(problems(text)).toEqual(['29: check.answer: answer 3 but there are only 2 choices']);
	});

	it('a node action without any target', () => {
		const text = GOOD.replace('target: meta-leader\n', '');
		expect(problems(text)).toEqual(
			expect.arrayContaining(["15: do: stop needs a target (here or as the step's target)"]),
		);
	});

	it('a lesson without steps', () => {
		expect(problems('---\nid: a\ntitle: A\norder: 1\nsummary: s\n---\n\nonly prose\n')).toEqual([
			'7: a lesson needs at least one step (a "## Step title" heading)',
		]);
	});

	it('upgrade versions in the wrong order', () => {
		const text = GOOD.replace('probes:', 'versions: { from: "2.10.27", to: "2.9.10" }\nprobes:');
		expect(problems(text)).toEqual(['6: versions.to must be newer than versions.from']);
	});
});

describe('natslab lessons validate', () => {
	const dir = mkdtempSync(join(tmpdir(), 'natslab-lessons-'));
	const io = () => {
		const out = { stdout: '', stderr: '' };
		return {
			out,
			io: {
				stdout: { write: (s: string) => (out.stdout += s) },
				stderr: { write: (s: string) => (out.stderr += s) },
				env: { ...process.env, NATSLAB_LESSONS_DIR: dir },
			},
		};
	};

	it('prints file:line for every problem and exits 1', async () => {
		const bad = join(dir, 'bad.md');
		writeFileSync(bad, GOOD.replace('for: meta-leader-moved', 'for: nope').replace('key: s', 'key: sss'));
		const { out, io: cmdIo } = io();
		const code = await lessonsCommand(['validate', bad], cmdIo);
		expect(code).toBe(1);
		const lines = out.stderr.trim().split('\n');
		expect(lines[0]).toBe(`${bad}:16: action.key: key must be one lowercase letter`);
		expect(lines[1]).toMatch(
			new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:18: unknown condition`),
		);
		expect(lines.at(-1)).toBe('2 problems in 1 of 1 file');
	});

	it('refuses the same id in two files, pointing at the second id line', async () => {
		const a = join(dir, 'a.md');
		const b = join(dir, 'b.md');
		writeFileSync(a, GOOD);
		writeFileSync(b, GOOD.replace('order: 1', 'order: 2'));
		const { out, io: cmdIo } = io();
		expect(await lessonsCommand(['validate', a, b], cmdIo)).toBe(1);
		expect(out.stderr).toContain(`${b}:2: id sample is also used by ${a}`);
	});

	it('says ok with a count for good files, exit 0', async () => {
		const a = join(dir, 'ok.md');
		writeFileSync(a, GOOD);
		const { out, io: cmdIo } = io();
		expect(await lessonsCommand(['validate', a], cmdIo)).toBe(0);
		expect(out.stdout).toBe('1 lesson ok (2 steps)\n');
	});

	it('a missing file is a problem, not a crash', async () => {
		const { out, io: cmdIo } = io();
		expect(await lessonsCommand(['validate', join(dir, 'nope.md')], cmdIo)).toBe(1);
		expect(out.stderr).toContain('nope.md:0: no such file');
	});
});

describe('the shipped course', () => {
	it('every lesson validates, in order 1..9 with the required topics', async () => {
		const { lessons, problems: found } = await loadLessons(await lessonFiles(courseDir()));
		expect(found).toEqual([]);
		expect(lessons.map((l) => l.order)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
		expect(lessons.map((l) => l.id)).toEqual([
			'meet-the-cluster',
			'where-raft-lives',
			'restart-a-follower',
			'stop-the-meta-leader',
			'lose-quorum',
			'lame-duck',
			'rolling-upgrade',
			'hung-node',
			'client-settings',
			'partition',
			'silent-consumer',
			'missing-node',
		]);
	});

	it('every step that waits says how long, and every lesson records measurements for its recap', async () => {
		const { lessons } = await loadLessons(await lessonFiles(courseDir()));
		for (const l of lessons) {
			expect(l.steps.flatMap((s) => s.records).length, l.id).toBeGreaterThan(0);
			for (const s of l.steps)
				for (const w of s.waits) expect(w.timeout, `${l.id} ${s.title}`).toBeGreaterThan(0);
		}
	});

	it('the upgrade lesson runs 2.9.10 → 2.10.27; the others need no particular version', async () => {
		const { lessons } = await loadLessons(await lessonFiles(courseDir()));
		const upgrade = lessons.find((l) => l.id === 'rolling-upgrade');
		expect(upgrade?.versions).toEqual({ from: '2.9.10', to: '2.10.27' });
		expect(lessons.filter((l) => l.versions && 'from' in l.versions).map((l) => l.id)).toEqual([
			'rolling-upgrade',
		]);
	});

	it('quotes no log line that real servers never print', async () => {
		const { lessons } = await loadLessons(await lessonFiles(courseDir()));
		for (const l of lessons) {
			for (const s of l.steps) {
				// The myth may be named, but only as a myth (lesson 1 says no binary contains it).
				if (s.prose.includes('LEARNING -> LEADER')) expect(s.prose).toMatch(/No nats-server prints/);
				for (const r of s.records)
					if (r.measure === 'log-line') expect(r.match).not.toMatch(/LEARNING|Cluster state|is LEADER/);
			}
		}
	});
});
