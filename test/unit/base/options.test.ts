// The option table: each option declared once, parsed by node:util parseArgs,
// its help line generated from the same declaration, every problem one usage line.

import { describe, expect, it } from 'vitest';
import { EXIT, isUserError, UserError } from '../../../src/base/errors.js';
import {
	commandHelp,
	flag,
	optionsHelp,
	parseOptions,
	parseVersionValue,
	valueOption,
} from '../../../src/base/options.js';

const TABLE = {
	version: valueOption('V', 'nats-server version', parseVersionValue, '2.9.10'),
	count: valueOption('N', 'how many\nsecond help line', (raw, name) => {
		const n = Number(raw);
		if (!Number.isInteger(n)) throw new UserError(`${name} ${raw}: not a whole number`, EXIT.usage);
		return n;
	}),
	json: flag('print JSON', 'j'),
};

function usageOf(args: string[]): string {
	try {
		parseOptions('demo run', TABLE, args, { maxPositionals: 1 });
	} catch (err) {
		if (isUserError(err) && err.exitCode === EXIT.usage) return err.message;
		throw err;
	}
	throw new Error(`no error for ${args.join(' ')}`);
}

describe('parseOptions', () => {
	it('parses values through their parsers, flags to true, both --x v and --x=v', () => {
		const r = parseOptions('demo run', TABLE, ['--version=v2.10.27', '--count', '3', '-j', 'file']);
		expect(r).toEqual({
			values: { version: '2.10.27', count: 3, json: true },
			positionals: ['file'],
			help: false,
		});
	});

	it('leaves absent options undefined (the command applies its defaults)', () => {
		expect(parseOptions('demo run', TABLE, []).values).toEqual({});
	});

	it('-h / --help wins and skips the value checks', () => {
		expect(parseOptions('demo run', TABLE, ['--count', 'x', '-h']).help).toBe(true);
	});

	it('reports every problem as one usage line naming the command and its help', () => {
		expect(usageOf(['--bogus'])).toBe("demo run: unknown option '--bogus' (see natslab demo run --help)");
		expect(usageOf(['--count'])).toBe(
			"demo run: option '--count <value>' argument missing (see natslab demo run --help)",
		);
		expect(usageOf(['--count', 'x'])).toBe(
			'demo run: --count x: not a whole number (see natslab demo run --help)',
		);
		expect(usageOf(['--version', 'latest'])).toBe(
			'demo run: --version latest: not a nats-server release version like 2.10.27 (see natslab demo run --help)',
		);
		expect(usageOf(['a', 'b'])).toBe('demo run: unexpected argument "b" (see natslab demo run --help)');
	});

	it('keeps the parser’s own error as the cause', () => {
		try {
			parseOptions('demo run', TABLE, ['--count', 'x']);
		} catch (err) {
			expect((err as Error).cause).toBeInstanceOf(UserError);
			return;
		}
		throw new Error('no error');
	});
});

describe('help generated from the table', () => {
	it('lists every option once, aligned, with its value name, default and continuation lines, plus -h', () => {
		expect(optionsHelp(TABLE).split('\n')).toEqual([
			'  --version V  nats-server version (default 2.9.10)',
			'  --count N    how many',
			'               second help line',
			'  -j, --json   print JSON',
			'  -h, --help   show this help',
		]);
	});

	it('puts the block between the usage text and what follows', () => {
		expect(commandHelp('Usage: demo run', { json: flag('print JSON') }, 'Exit codes: …')).toBe(
			'Usage: demo run\n\nOptions:\n  --json      print JSON\n  -h, --help  show this help\n\nExit codes: …',
		);
	});
});
