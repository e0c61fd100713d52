// `rehearse --config`: what review B found the parser got wrong (#3 one lame duck
// key alone, #4 durations, #10 comments, the unclosed block's line, `jetstream: enabled`).

import { describe, expect, it } from 'vitest';
import { renderNodeConfig } from '../../../src/cluster/config.js';
import { parseConfigFragment } from '../../../src/rehearse/config-fragment.js';
import { inputNotices } from '../../../src/rehearse/inputs.js';
import { refusal } from './refusal.js';

function rendered(options: ReturnType<typeof parseConfigFragment>['options'], version = '2.15.1'): string {
	return renderNodeConfig({
		name: 'n1',
		version,
		ports: { client: 4222, cluster: 6222, http: 8222 },
		routePorts: [6222],
		storeDir: '/tmp/x',
		options,
	}).text;
}

describe('--config: one lame duck key alone', () => {
	it('grace alone: the duration is the servers default 2m (not the lab 30s), and the user is told', () => {
		const f = parseConfigFragment('lame_duck_grace_period: 45s\n', 'f');
		expect(f.options).toEqual({ lame_duck_grace_period: '45s', lame_duck_duration: '2m' });
		expect(f.defaulted).toEqual([{ key: 'lame_duck_duration', value: '2m' }]);
		const text = rendered(f.options);
		expect(text.match(/^lame_duck_duration:.*$/gm)).toEqual(['lame_duck_duration: "2m"']);
		expect(text.match(/^lame_duck_grace_period:.*$/gm)).toEqual(['lame_duck_grace_period: "45s"']);
		expect(inputNotices({ nodeCount: 3, config: f, streams: null, load: null, clientOptions: null })).toEqual(
			["--config: lame_duck_duration is not in your file: the servers' default 2m applies, as in production"],
		);
	});

	it('duration alone: the grace is the servers default 10s', () => {
		const f = parseConfigFragment('lame_duck_duration: 45s\n', 'f');
		expect(f.options).toEqual({ lame_duck_duration: '45s', lame_duck_grace_period: '10s' });
		expect(rendered(f.options)).toMatch(/^lame_duck_grace_period: "10s"$/m);
	});

	it('neither: nothing is filled (the lab keeps its 30s / 3s)', () => {
		const f = parseConfigFragment('max_payload: 2MB\n', 'f');
		expect(f.defaulted).toEqual([]);
		expect(f.options).toEqual({ max_payload: '2MB' });
	});

	it('refuses a grace at or above the filled duration, at its line', () => {
		const r = refusal(() => parseConfigFragment('\nlame_duck_grace_period: 2m\n', 'f'));
		expect(r.message).toMatch(
			/^--config f:2: lame_duck_grace_period 2m must be shorter than lame_duck_duration 2m/,
		);
		expect(r.exitCode).toBe(2);
		// 30s alone is fine: the default grace (10s) stays below it.
		expect(parseConfigFragment('lame_duck_duration: 30s\n', 'f').options.lame_duck_grace_period).toBe('10s');
	});
});

describe('--config: duration keys', () => {
	it('takes Go durations and whole seconds (unquoted; rendered as "<n>s")', () => {
		const f = parseConfigFragment(
			[
				'ping_interval: 120',
				'write_deadline: "500ms"',
				'cluster {',
				'  ping_interval: 1h30m',
				'}',
				'jetstream {',
				'  sync_interval: always',
				'}',
			].join('\n'),
			'f',
		);
		expect(f.options).toEqual({
			ping_interval: 120,
			write_deadline: '500ms',
			'cluster.ping_interval': '1h30m',
			'jetstream.sync_interval': 'always',
		});
		const text = rendered(f.options);
		expect(text).toMatch(/^ping_interval: "120s"$/m);
		expect(text).toMatch(/^write_deadline: "500ms"$/m);
		expect(text).toMatch(/^ {2}ping_interval: "1h30m"$/m);
		expect(text).toMatch(/^ {2}sync_interval: "always"$/m);
	});

	it('refuses anything else with FILE:LINE (a quoted number has no unit: the servers refuse it)', () => {
		const cases: [string, RegExp][] = [
			['ping_interval: "120"\n', /^--config f:1: ping_interval must be a duration like 2m/],
			['\nwrite_deadline: 2x\n', /^--config f:2: write_deadline must be a duration .*not 2x$/],
			['cluster {\n  ping_interval: soon\n}\n', /^--config f:2: cluster\.ping_interval must be a duration/],
			['jetstream {\n  sync_interval: never\n}\n', /^--config f:2: .*, or always; not never$/],
			['ping_interval: always\n', /^--config f:1: ping_interval must be a duration/],
		];
		for (const [text, pattern] of cases) {
			const r = refusal(() => parseConfigFragment(text, 'f'));
			expect(r.message).toMatch(pattern);
			expect(r.exitCode).toBe(2);
		}
	});

	it('renderNodeConfig refuses a duration value no server would read', () => {
		expect(() => rendered({ ping_interval: '120' })).toThrow(/ping_interval must be a duration/);
		expect(() => rendered({ ping_interval: 1.5 })).toThrow(/ping_interval must be a duration/);
	});
});

describe('--config: parser gaps', () => {
	it('reads a trailing comment after a trailing comma', () => {
		const f = parseConfigFragment('max_payload: 1MB, # our limit\nping_max: 3; // three\n', 'f');
		expect(f.options).toEqual({ max_payload: '1MB', ping_max: 3 });
	});

	it('names the last line of the file for a block left open, not one past it', () => {
		const r = refusal(() => parseConfigFragment('max_payload: 1MB\ncluster {\n  pool_size: 3\n', 'f'));
		expect(r.message).toBe('--config f:3: block cluster (opened at line 2) is not closed');
	});

	it('drops a top-level `jetstream: enabled` (natslab turns it on) and says so', () => {
		const f = parseConfigFragment('jetstream: enabled\nmax_payload: 2MB\n', 'f');
		expect(f.options).toEqual({ max_payload: '2MB' });
		expect(f.overridden).toEqual([{ key: 'jetstream', line: 1 }]);
	});
});
