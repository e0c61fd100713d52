// The validator points a YAML error at the line that is wrong (not the first
// line of the block), and a step whose YAML cannot be read is reported once:
// the measurements it names do not come back as "not recorded" further down.

import { describe, expect, it } from 'vitest';
import { parseLesson } from '../../../src/lessons/load.js';

const FRONT = '---\nid: x\ntitle: X\norder: 1\nsummary: s.\n---\n\n## One\n\nprose\n\n';

function problems(source: string): [number, string, string][] {
	const r = parseLesson(source, 'x.md');
	const lines = source.split('\n');
	return r.problems.map((p) => [p.line, lines[p.line - 1] ?? '', p.message]);
}

describe('YAML errors point at their line', () => {
	it('a line indented too far', () => {
		expect(problems(`${FRONT}wait:\n  for: all-up\n   timeout: 5s\n`)).toEqual([
			[14, '   timeout: 5s', expect.stringContaining('YAML: Nested mappings')],
		]);
	});
	it('a line without a colon', () => {
		expect(problems(`${FRONT}wait:\n  for: all-up\nhint this is bad\n`)).toEqual([
			[14, 'hint this is bad', expect.stringContaining('YAML: Implicit')],
		]);
	});
	it('a repeated key: the second one', () => {
		expect(problems(`${FRONT}hint: a\nhint: b\n`)).toEqual([
			[13, 'hint: b', 'YAML: Map keys must be unique'],
		]);
	});
	it('in the front matter too', () => {
		expect(problems('---\nid: x\ntitle: X: y: z\norder: 1\nsummary: s.\n---\n\n## One\n\nprose\n')).toEqual([
			[3, 'title: X: y: z', expect.stringContaining('YAML: Nested mappings')],
		]);
	});
});

describe('one broken step, one report', () => {
	it('does not blame later steps for the measurements the broken step names', () => {
		const source = `${FRONT}wait:\n  for: all-up\nhint this is bad\nrecord:\n  name: gap\n  measure: quorum\n\n## Two\n\nThe gap was {{gap}}, again {{gap}}.\n\nhint: "{{gap}}"\n`;
		const found = problems(source);
		expect(found).toHaveLength(1);
		expect(found[0]?.[1]).toBe('hint this is bad');
	});
	it('still reports a name no step records', () => {
		const source = `${FRONT}hint: fine\n\n## Two\n\nThe gap was {{nowhere}}.\n`;
		expect(problems(source).map((p) => p[2])).toEqual(['{{nowhere}} is not recorded by an earlier step']);
	});
});
