// A stop natslab asked for is shown as planned when it ends the way that version
// ends it (2.9.10 and 2.10.27 exit 1 on SIGTERM, 2.15.1 exits 0, lame duck ends
// in 0): real runs of test/fixtures/logs folded by the real reducer, and the
// cases those runs do not hold built from the same process events.

import { describe, expect, it } from 'vitest';
import type { ProcessEvent } from '../../../src/base/names.js';
import { plannedStop, sigtermExitCode } from '../../../src/observe/exit-view.js';
import { initialLabState, reduce } from '../../../src/observe/reducer.js';
import type { LabState } from '../../../src/observe/state.js';
import { processLook } from '../../../src/ui/format.js';
import { stateAt } from '../ui/replay.js';

function run(version: string, events: Record<string, unknown>[]): LabState {
	let s = initialLabState({ nodes: ['n1'] });
	let at = 0;
	for (const e of [{ type: 'spawned', version }, { type: 'ready' }, ...events]) {
		at += 100;
		s = reduce(s, { kind: 'process', node: 'n1', pid: 7, at, ...e } as ProcessEvent);
	}
	return s;
}
const lastProcessEntry = (s: LabState) => s.timeline.filter((e) => e.kind === 'process').at(-1)?.text;
const exited = (code: number | null, signal: string | null = null) =>
	({ type: 'exited', code, signal }) as const;
const signalled = (signal: 'SIGTERM' | 'SIGKILL' | 'ldm') => ({ type: 'signalled', signal }) as const;

describe('planned stops on real runs', () => {
	it('2.10.27: a SIGTERM ending in code 1 is a planned stop; a SIGKILL stays an exit', () => {
		const s = stateAt('core-2.10.27', '2026-11-26T00:47:50.000Z');
		const texts = s.timeline.map((e) => e.text);
		expect(texts).toContain('n3 stopped (SIGTERM, exit 1 — 2.10.27 exits 1 on SIGTERM)');
		expect(texts).toContain('n1 exited (SIGKILL)');
		expect(texts.some((t) => /exited \(code 1\)/.test(t))).toBe(false);
		expect(processLook(s.cluster.nodes.n1 as NonNullable<(typeof s.cluster.nodes)['n1']>)).toMatchObject({
			label: 'exited SIGKILL',
			color: 'red',
		});
	});

	it('2.15.1: a SIGTERM ending in code 0 is a planned stop', () => {
		const s = stateAt('core-2.15.1', '2026-11-26T00:49:25.000Z');
		expect(s.timeline.map((e) => e.text)).toContain('n3 stopped (SIGTERM, exit 0)');
		expect(processLook(s.cluster.nodes.n3 as NonNullable<(typeof s.cluster.nodes)['n3']>)).toMatchObject({
			label: 'stopped',
			color: 'gray',
		});
	});
});

describe('planned or not', () => {
	it('knows which code a clean SIGTERM gives per version (2.11 changed it to 0)', () => {
		expect(sigtermExitCode('2.9.10')).toBe(1);
		expect(sigtermExitCode('2.10.27')).toBe(1);
		expect(sigtermExitCode('2.11.0')).toBe(0);
		expect(sigtermExitCode('2.15.1')).toBe(0);
		expect(sigtermExitCode(null)).toBeNull();
	});

	it('an exit nobody asked for is red, even with the code a SIGTERM would give', () => {
		const s = run('2.10.27', [exited(1)]);
		expect(s.cluster.nodes.n1?.exit?.asked).toBeUndefined();
		expect(
			plannedStop({ ...(s.cluster.nodes.n1 as object), exit: s.cluster.nodes.n1?.exit ?? null }),
		).toBeNull();
		expect(lastProcessEntry(s)).toBe('n1 exited (code 1)');
		expect(processLook(s.cluster.nodes.n1 as never)).toMatchObject({ label: 'exited code 1', color: 'red' });
	});

	it('2.10.27: a SIGTERM ending in 0 is a planned stop too (main returned before os.Exit(1); seen under load)', () => {
		const s = run('2.10.27', [signalled('SIGTERM'), exited(0)]);
		expect(lastProcessEntry(s)).toBe('n1 stopped (SIGTERM, exit 0)');
		expect(processLook(s.cluster.nodes.n1 as never)).toMatchObject({ label: 'stopped', color: 'gray' });
	});

	it('a SIGTERM that ends with a code that version does not give is red', () => {
		const s = run('2.15.1', [signalled('SIGTERM'), exited(1)]);
		expect(s.cluster.nodes.n1?.exit?.asked).toBe('SIGTERM');
		expect(lastProcessEntry(s)).toBe('n1 exited (code 1)');
		const odd = run('2.10.27', [signalled('SIGTERM'), exited(2)]);
		expect(lastProcessEntry(odd)).toBe('n1 exited (code 2)');
	});

	it('a lame duck ending in 0 is planned; a SIGKILL after SIGTERM is not', () => {
		const ldm = run('2.10.27', [signalled('ldm'), exited(0)]);
		expect(lastProcessEntry(ldm)).toBe('n1 stopped (lame duck, exit 0)');
		const killed = run('2.10.27', [signalled('SIGTERM'), signalled('SIGKILL'), exited(null, 'SIGKILL')]);
		expect(killed.cluster.nodes.n1?.exit?.asked).toBeUndefined();
		expect(lastProcessEntry(killed)).toBe('n1 exited (SIGKILL)');
	});
});
