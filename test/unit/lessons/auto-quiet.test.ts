// `learn --auto --quiet`'s lines, rendered from two real `learn --all --auto --json`
// reports (test/fixtures/auto-reports: a passing course and one stopped at lesson 5).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AutoReport } from '../../../src/lessons/auto.js';
import { courseLine, firstClause, lessonLine, versionsRun } from '../../../src/lessons/auto-quiet.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'auto-reports');
const read = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as AutoReport;
const passing = read('passing.json');
const failing = read('failing.json');
const TOTAL = 9;

/** The reports run the whole course in order, so a lesson's place is its index + 1. */
const lines = (r: AutoReport, color = false) => [
	...r.lessons.map((l, i) => lessonLine(l, { order: i + 1, total: TOTAL }, color)),
	courseLine(r, TOTAL, color),
];

describe('learn --auto --quiet lines', () => {
	it('a passing course: a ✓ line per lesson (set-up + steps, in tenths) and the versions it ran on', () => {
		expect(lines(passing)).toEqual([
			'✓ 1/9 meet-the-cluster  5.4 s',
			'✓ 2/9 where-raft-lives  5.1 s',
			'✓ 3/9 restart-a-follower  8.4 s',
			'✓ 4/9 stop-the-meta-leader  14.1 s',
			'✓ 5/9 lose-quorum  32.9 s',
			'✓ 6/9 lame-duck  13.6 s',
			'✓ 7/9 rolling-upgrade  29.1 s',
			'✓ 8/9 hung-node  21.5 s',
			'✓ 9/9 client-settings  56.1 s',
			'natslab course: 9/9 passed in 3 min 7 s (nats-server 2.10.27, 2.9.10 → 2.10.27)',
		]);
	});

	it('a course stopped by a lesson: ✗ with the failure’s first clause, and where it stopped', () => {
		const out = lines(failing);
		expect(out).toHaveLength(6);
		expect(out[4]).toBe(
			'✗ 5/9 lose-quorum  66.2 s  — step 4 “Bring one back”: timed out after 45 s waiting for the meta group has quorum and a leader again (now: 2/3 reachable, needs 2, leader none)',
		);
		expect(out[5]).toBe('natslab course: 4/9 passed — stopped at lose-quorum');
	});

	it('colour only when asked (NO_COLOR / not a terminal → none)', () => {
		expect(lines(failing).join('\n')).not.toContain('\x1b[');
		const coloured = lines(failing, true);
		expect(coloured[0]).toBe('\x1b[32m✓\x1b[0m 1/9 meet-the-cluster  10.5 s');
		expect(coloured[4]?.startsWith('\x1b[31m✗\x1b[0m 5/9 lose-quorum')).toBe(true);
	});

	it('the first clause drops the lesson id and a diagnosis after “; ”', () => {
		expect(firstClause('lose-quorum: could not start the cluster: port busy', 'lose-quorum')).toBe(
			'could not start the cluster: port busy',
		);
		expect(
			firstClause('hung-node step 2 “Pause”: timed out; diagnosis one-way route n1→n2', 'hung-node'),
		).toBe('step 2 “Pause”: timed out');
	});

	it('an aborted lesson without a failure says its status', () => {
		const aborted = {
			...failing.lessons[4],
			status: 'aborted',
			failure: undefined,
		} as AutoReport['lessons'][number];
		expect(lessonLine(aborted, { order: 5, total: TOTAL })).toBe('✗ 5/9 lose-quorum  66.2 s  — aborted');
		expect(versionsRun([])).toBe('');
	});
});
