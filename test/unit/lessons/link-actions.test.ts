// Link actions in lessons (issue #14): the schema takes them only in a lesson whose lab is
// proxied (`links: proxied`), each says what it needs, and each becomes the link change the
// lab's pair proxies make (and the words the learner reads).

import { describe, expect, it } from 'vitest';
import type { LinkOp } from '../../../src/cluster/links/table.js';
import type { Lab } from '../../../src/lab/types.js';
import { actionText, performAction } from '../../../src/lessons/actions.js';
import { parseLesson } from '../../../src/lessons/load.js';
import type { ActionSpec } from '../../../src/lessons/schema.js';

const lesson = (links: string, action: string) => `---
id: cut
title: Cut
order: 1
summary: A lesson used by the tests.
${links}probes: [core]
---

Intro.

## Cut it

Prose.

target: n3
action: ${action}
wait:
  - { for: sees-meta-leader, node: $target, present: false, timeout: 30s }
  - { for: majority-meta-leader, without: $target }
  - { for: replica-behind, node: $target }
record:
  - { name: views, measure: meta-views }
  - { name: lag, measure: replica, node: $target }
`;

function problems(text: string): string[] {
	return parseLesson(text, 'x.md').problems.map((p) => `${p.line}: ${p.message}`);
}

function firstAction(text: string): ActionSpec {
	const r = parseLesson(text, 'x.md');
	expect(r.problems).toEqual([]);
	const a = r.lesson?.steps[0]?.actions[0];
	if (!a) throw new Error('no action');
	return a;
}

describe('link actions in the lesson format', () => {
	it('are accepted with links: proxied, with the partition waits and measures', () => {
		const r = parseLesson(lesson('links: proxied\n', '{ do: isolate, by: learner, key: i }'), 'x.md');
		expect(r.problems).toEqual([]);
		expect(r.lesson?.links).toBe('proxied');
		expect(r.lesson?.steps[0]?.waits.map((w) => w.for)).toEqual([
			'sees-meta-leader',
			'majority-meta-leader',
			'replica-behind',
		]);
	});

	it('are refused, with the line and the fix, in a lesson whose lab routes directly', () => {
		expect(problems(lesson('', '{ do: isolate }'))).toEqual([
			'16: do: isolate needs proxied links: add `links: proxied` to the front matter',
		]);
		expect(parseLesson(lesson('', '{ do: restart }'), 'x.md').lesson?.links).toBe('direct');
	});

	it('say what they lack: a peer for one link, a delay to delay it; no delay or peer elsewhere', () => {
		const p = (a: string) => problems(lesson('links: proxied\n', a)).join(' | ');
		expect(p('{ do: cut-link }')).toMatch(/do: cut-link needs a peer/);
		expect(p('{ do: delay-link, peer: n1 }')).toMatch(/do: delay-link needs a delay/);
		expect(p('{ do: isolate, peer: n1 }')).toMatch(/`peer` only applies to cut-link/);
		expect(p('{ do: heal-link, peer: n1, delay: 1s }')).toMatch(
			/`delay` and `drop` only apply to do: delay-link/,
		);
		expect(p('{ do: cut-link, peer: nowhere }')).toMatch(/unknown node or role "nowhere"/);
		expect(p('links: sideways')).not.toBe('');
	});
});

describe('a link action on the lab', () => {
	/** A lab that records the link changes asked of it (the proxies are tested in test/integration/partitions.test.ts). */
	function recordingLab(proxied: boolean): { lab: Lab; ops: LinkOp[] } {
		const ops: LinkOp[] = [];
		const lab = {
			act: async () => {
				throw new Error('not a node action');
			},
			...(proxied
				? {
						changeLinks: async (op: LinkOp) => {
							ops.push(op);
							return [];
						},
					}
				: {}),
		} as unknown as Lab;
		return { lab, ops };
	}
	const spec = (text: string) => firstAction(lesson('links: proxied\n', text));

	it('becomes the link change of the proxies, between the target and its peer', async () => {
		const { lab, ops } = recordingLab(true);
		await performAction(lab, spec('{ do: isolate }'), 'n3', 'lesson');
		await performAction(lab, spec('{ do: heal }'), 'n3', 'lesson');
		await performAction(lab, spec('{ do: cut-link, peer: n1 }'), 'n3', 'lesson', 'n1');
		await performAction(
			lab,
			spec('{ do: delay-link, peer: n1, delay: 200ms, drop: 5 }'),
			'n3',
			'lesson',
			'n1',
		);
		await performAction(lab, spec('{ do: heal-link, peer: n1 }'), 'n3', 'lesson', 'n1');
		expect(ops).toEqual([
			{ op: 'isolate', node: 'n3' },
			{ op: 'heal', node: 'n3' },
			{ op: 'cut', a: 'n3', b: 'n1' },
			{ op: 'delay', a: 'n3', b: 'n1', delayMs: 200, dropPercent: 5 },
			{ op: 'heal-link', a: 'n3', b: 'n1' },
		]);
	});

	it('fails with the reason on a lab without proxies', async () => {
		const { lab } = recordingLab(false);
		await expect(performAction(lab, spec('{ do: isolate }'), 'n3', 'lesson')).rejects.toThrow(
			/routes directly between its servers \(the lesson needs links: proxied\)/,
		);
	});

	it('tells the learner what it does', () => {
		expect(actionText(spec('{ do: isolate }'), 'n3', null)).toBe(
			'cut every link of n3 (a network partition: its traffic is held, not refused)',
		);
		expect(actionText(spec('{ do: delay-link, peer: n1, delay: 200ms, drop: 5 }'), 'n3', null, 'n1')).toBe(
			'delay the link n3–n1 by 200 ms and drop 5%',
		);
	});
});
