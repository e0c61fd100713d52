import { describe, expect, it } from 'vitest';
import { isUserError } from '../../../src/base/errors.js';
import { parseRehearseArgs, REHEARSE_HELP } from '../../../src/rehearse/options.js';

function errorOf(args: string[]): { message: string; exitCode: number } {
	try {
		parseRehearseArgs(args);
	} catch (err) {
		if (isUserError(err)) return { message: err.message, exitCode: err.exitCode };
		throw err;
	}
	throw new Error(`no error for ${args.join(' ')}`);
}

describe('rehearse options', () => {
	it('defaults to 2.9.10 → 2.10.27, lame duck, followers first, 3 s of stable /healthz', () => {
		expect(parseRehearseArgs([])).toMatchObject({
			from: '2.9.10',
			to: '2.10.27',
			strategies: ['lame-duck'],
			order: 'followers-first',
			compare: false,
			json: false,
			keep: false,
			reportFile: null,
			basePort: undefined,
			gates: { stableMs: 3000 },
		});
	});

	it('reads every option, in both --flag value and --flag=value form', () => {
		const o = parseRehearseArgs([
			'--from=v2.10.27',
			'--to',
			'2.15.1',
			'--strategy',
			'kill',
			'--order=as-listed',
			'--json',
			'--report',
			'out.md',
			'--keep',
			'--base-port',
			'30800',
			'--stable',
			'1.5',
			'--gate-timeout=30',
		]);
		expect(o).toMatchObject({
			from: '2.10.27',
			to: '2.15.1',
			strategies: ['kill'],
			order: 'as-listed',
			json: true,
			reportFile: 'out.md',
			keep: true,
			basePort: 30800,
			gates: { stableMs: 1500, gateTimeoutMs: 30_000 },
		});
	});

	it('runs all three strategies with --compare', () => {
		expect(parseRehearseArgs(['--compare']).strategies).toEqual(['lame-duck', 'restart', 'kill']);
	});

	it('rejects bad input with one line and the usage exit code', () => {
		const cases: [string[], RegExp][] = [
			[['--from', 'latest'], /--from "latest" is not a version/],
			[['--strategy', 'drain'], /--strategy must be one of lame-duck, restart, kill/],
			[['--order', 'random'], /--order must be followers-first or as-listed/],
			[['--base-port', '80'], /--base-port 80: needs a whole number from 1024 to 61533/],
			[['--base-port', '62000'], /--base-port/],
			[['--to'], /option '--to <value>' argument missing/],
			[['--report', ''], /--report needs a file name/],
			[['--compare', '--strategy', 'kill'], /leave out --strategy/],
			[['--json=yes'], /option '--json' does not take an argument/],
			[['--stable=-1'], /--stable must be a number of seconds/],
			[['--verbose'], /unknown option '--verbose'/],
			[['now'], /unexpected argument "now"/],
			[['--nodes', '4'], /--nodes must be 3 or 5, not "4"/],
			[['--repeat', '0'], /--repeat must be a whole number from 1 to 50/],
			[['--repeat', '3', '--compare'], /--repeat repeats one strategy; leave out --compare/],
			[['--repeat', '2', '--keep'], /leave out --repeat/],
			[['--rate', '50'], /--rate and --size load your streams: give --streams FILE/],
			[['--streams', 's.json', '--size', '0'], /--size must be a whole number from 1 to/],
		];
		for (const [args, message] of cases) {
			const err = errorOf(args);
			expect(err.message).toMatch(message);
			expect(err.message).not.toContain('\n');
			expect(err.exitCode).toBe(2);
		}
	});

	it('reads the options that shape the rehearsal like the user cluster', () => {
		expect(
			parseRehearseArgs([
				'--nodes=5',
				'--streams',
				's.json',
				'--rate',
				'40',
				'--size',
				'1024',
				'--config',
				'prod.conf',
				'--client-options',
				'c.json',
				'--repeat',
				'4',
			]),
		).toMatchObject({
			nodes: 5,
			streamsFile: 's.json',
			rate: 40,
			size: 1024,
			configFile: 'prod.conf',
			clientOptionsFile: 'c.json',
			repeat: 4,
		});
		expect(parseRehearseArgs([])).toMatchObject({
			nodes: 3,
			repeat: 1,
			streamsFile: null,
			rate: 20,
			size: 128,
		});
	});

	it('documents every option and the JSON fields engineers read', () => {
		for (const word of [
			'--from',
			'--to',
			'--strategy',
			'--order',
			'--compare',
			'--json',
			'--report',
			'--keep',
			'--base-port',
		]) {
			expect(REHEARSE_HELP).toContain(word);
		}
		for (const field of ['verdict', 'ackedMissing', 'finalVersion', 'jetstream', 'natslab.rehearsal/1']) {
			expect(REHEARSE_HELP).toContain(field);
		}
		expect(parseRehearseArgs(['--help']).help).toBe(true);
	});
});
