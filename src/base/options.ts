// Each command's options declared once: name, short letter, value name, help
// line, default and parser. node:util parseArgs reads the command line from the
// table, the --help "Options:" block is generated from the same table, and every
// problem is one UserError line with the usage exit code. (Like natscli and
// pastel: an option exists in one place.)

import { parseArgs } from 'node:util';
import { EXIT, isUserError, UserError } from './errors.js';
import { normalizeVersion } from './versions.js';

export interface OptionSpec<V = unknown> {
	/** A value option shows this placeholder in help (`--version V`); without it the option is a flag. */
	value?: string;
	short?: string;
	/** One help line; `\n` continues it on the next line, aligned. */
	help: string;
	/** Shown in help as "(default …)" when given. */
	defaultText?: string;
	/** Turns the raw text into the value; throws `usage(…)` for bad input. Flags get `true`. */
	parse: (raw: string, flag: string) => V;
}

export type OptionTable = Record<string, OptionSpec>;
export type OptionValues<T extends OptionTable> = {
	[K in keyof T]?: T[K] extends OptionSpec<infer V> ? V : never;
};

/** A flag (`--json`); present → true. */
export function flag(help: string, short?: string): OptionSpec<boolean> {
	return { help, short, parse: () => true };
}

/** A value option (`--version V`), parsed by `parse` (default: the text as it is). */
export function valueOption<V = string>(
	value: string,
	help: string,
	parse?: (raw: string, flag: string) => V,
	defaultText?: string,
): OptionSpec<V> {
	return { value, help, defaultText, parse: parse ?? ((raw) => raw as V) };
}

/** The usage error every command uses: `<command>: <what> (see natslab <command> --help)`, exit 2. */
export function usageError(command: string, what: string): UserError {
	return new UserError(`${command}: ${what} (see natslab ${command} --help)`, EXIT.usage);
}

/** The `-h, --help` every command takes (added to each table by parseOptions and optionsHelp). */
const HELP_OPTION: OptionSpec<boolean> = flag('show this help', 'h');

function withHelp(table: OptionTable): OptionTable {
	return { ...table, help: HELP_OPTION };
}

export interface Parsed<T extends OptionTable> {
	values: OptionValues<T>;
	positionals: string[];
	help: boolean;
}

/**
 * Reads `args` by the table. `command` names it in errors ("cluster up"). With
 * `maxPositionals`, extra words are refused as unexpected arguments.
 */
export function parseOptions<T extends OptionTable>(
	command: string,
	table: T,
	args: string[],
	opts: { maxPositionals?: number } = {},
): Parsed<T> {
	const all = withHelp(table);
	const config = Object.fromEntries(
		Object.entries(all).map(([name, spec]) => [
			name,
			{
				type: spec.value ? ('string' as const) : ('boolean' as const),
				...(spec.short ? { short: spec.short } : {}),
			},
		]),
	);
	let raw: { values: Record<string, string | boolean | undefined>; positionals: string[] };
	try {
		raw = parseArgs({ args, options: config, allowPositionals: true, strict: true });
	} catch (err) {
		// Node's text ("Unknown option '--x'. To specify a positional…"): keep its first sentence.
		const first = (err as Error).message.split(/\.\s|\n/)[0] ?? '';
		throw usageError(command, first.charAt(0).toLowerCase() + first.slice(1));
	}
	const help = raw.values.help === true;
	const values: Record<string, unknown> = {};
	if (!help) {
		for (const [name, spec] of Object.entries(table)) {
			const given = raw.values[name];
			if (given === undefined) continue;
			values[name] = typeof given === 'string' ? parseValue(command, spec, given, `--${name}`) : true;
		}
		const extra = opts.maxPositionals === undefined ? undefined : raw.positionals[opts.maxPositionals];
		if (extra !== undefined) throw usageError(command, `unexpected argument "${extra}"`);
	}
	return { values: values as OptionValues<T>, positionals: raw.positionals, help };
}

/** A value's own problem ("--version x: not a version") gets the command and the help pointer. */
function parseValue(command: string, spec: OptionSpec, raw: string, flagName: string): unknown {
	try {
		return spec.parse(raw, flagName);
	} catch (err) {
		if (!isUserError(err) || err.exitCode !== EXIT.usage) throw err;
		throw new UserError(`${command}: ${err.message} (see natslab ${command} --help)`, {
			exitCode: EXIT.usage,
			cause: err,
		});
	}
}

/** `--version V`-style options: a nats-server release version, with or without a leading v. */
export function parseVersionValue(raw: string, flagName: string): string {
	const v = normalizeVersion(raw);
	if (!v)
		throw new UserError(`${flagName} ${raw}: not a nats-server release version like 2.10.27`, EXIT.usage);
	return v;
}

/** The "Options:" block of a command's help, from its table (plus -h, --help). */
export function optionsHelp(table: OptionTable): string {
	const rows = Object.entries(withHelp(table)).map(([name, spec]) => {
		const left = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.value ? ` ${spec.value}` : ''}`;
		const lines = spec.help.split('\n');
		// The default closes the option's text (on its last line, where a wrapped text ends too).
		if (spec.defaultText) lines.push(`${lines.pop() ?? ''} (default ${spec.defaultText})`);
		return { left, lines };
	});
	const width = Math.max(...rows.map((r) => r.left.length)) + 2;
	return rows
		.flatMap(({ left, lines }) => lines.map((line, i) => `  ${(i === 0 ? left : '').padEnd(width)}${line}`))
		.join('\n');
}

/** A whole help text: what comes before the options, the generated block, what comes after. */
export function commandHelp(head: string, table: OptionTable, tail?: string): string {
	return wrapHelp(`${head}\n\nOptions:\n${optionsHelp(table)}${tail ? `\n\n${tail}` : ''}`);
}

/** Help is read in 80-column terminals (and the 80x24 a workshop laptop opens). */
export const HELP_WIDTH = 80;

/**
 * Every line of a help text within `width`: a longer line wraps at spaces under its own column, and
 * what does not fit flows on into the next line when that one continues it (prose, an option's
 * second line), so a hand-wrapped paragraph stays one paragraph.
 */
export function wrapHelp(text: string, width = HELP_WIDTH): string {
	const lines = text.split('\n');
	const out: string[] = [];
	let carry = '';
	let prev: Hanging = { first: '', hang: -1 };
	for (const [i, given] of lines.entries()) {
		const lead = leadOf(given);
		const line = carry ? `${lead}${carry} ${given.slice(lead.length)}` : given;
		carry = '';
		const shape = hangingPrefix(line, width, prev);
		const rows = wrapHelpLine(line, width, shape);
		const next = lines[i + 1];
		if (rows.length > 1 && next !== undefined && continues(next, shape.hang))
			carry = (rows.pop() ?? '').trim();
		out.push(...rows);
		prev = shape;
	}
	return out.join('\n');
}

const cols = (s: string) => [...s].length;
const leadOf = (line: string) => /^\s*/.exec(line)?.[0] ?? '';
/** Two columns: text, a gap of two or more spaces, text. */
const hasGap = (line: string) => /\S\s{2,}\S/.test(line);

/** `next` goes on with the line before it: text at that line's hanging column, not a new entry. */
function continues(next: string, hang: number): boolean {
	return (
		next.trim() !== '' && cols(leadOf(next)) === hang && !hasGap(next) && !/^\s*(Usage|Options):/.test(next)
	);
}

interface Hanging {
	/** The start of the first row, kept as it is (the option and its gap, a usage line's command). */
	first: string;
	/** Where the other rows start. */
	hang: number;
}

/**
 * Where a wrapped line goes on: under its description (`  --base-port N   client ports …`, or at the
 * column of the line above when one space happens to separate them), under a usage line's first
 * option (`Usage: natslab sandbox [`), under itself when it continues the line before, else two in
 * from its indentation (an entry of a list). A column too far right is given up.
 */
function hangingPrefix(line: string, width: number, prev: Hanging): Hanging {
	const lead = leadOf(line);
	const continuing = cols(lead) === prev.hang;
	const h = prev.first.length;
	const aligned =
		h > lead.length && line[h - 1] === ' ' && /\S/.test(line[h] ?? '') ? line.slice(0, h) : undefined;
	const column =
		/^\s*Usage:\s+natslab(?:\s+[a-z][\w|-]*)*\s+(?=[[<-])/.exec(line)?.[0] ??
		(continuing ? undefined : (/^\s*\S.*?\s{2,}(?=\S)/.exec(line)?.[0] ?? aligned));
	const farthest = Math.floor(width * 0.7);
	if (column !== undefined && cols(column) <= farthest) return { first: column, hang: cols(column) };
	// A shallow indentation starts an entry of a list; a deeper one is already a description's column.
	const own = continuing || lead === '' || cols(lead) > 4 ? cols(lead) : cols(lead) + 2;
	return { first: lead, hang: Math.min(own, farthest) };
}

/** Words, a bracketed group (`[--nodes 3|5]`, `[--streams FILE [--rate N]]`) counting as one. */
function wordsOf(text: string): string[] {
	const words: string[] = [];
	let depth = 0;
	for (const token of text.trim().split(/ +/)) {
		if (depth > 0) words[words.length - 1] += ` ${token}`;
		else words.push(token);
		depth = Math.max(0, depth + (token.match(/\[/g)?.length ?? 0) - (token.match(/\]/g)?.length ?? 0));
	}
	return words;
}

function wrapHelpLine(line: string, width: number, { first, hang }: Hanging): string[] {
	if (cols(line) <= width) return [line];
	const pad = ' '.repeat(hang);
	const rows: string[] = [];
	let row = first;
	let empty = true;
	for (const word of wordsOf(line.slice(first.length))) {
		if (!empty && cols(row) + 1 + cols(word) > width) {
			rows.push(row);
			row = pad;
			empty = true;
		}
		let rest = [...word];
		// A word longer than the row (`start|stop|kill|…`, a long path) breaks after a | , or / that
		// fits, else where the row ends.
		while (cols(row) + rest.length > width) {
			const room = Math.max(1, width - cols(row));
			const mark = rest.slice(0, room).findLastIndex((c) => c === '|' || c === ',' || c === '/');
			const take = mark > 0 ? mark + 1 : room;
			rows.push(row + rest.slice(0, take).join(''));
			rest = rest.slice(take);
			row = pad;
		}
		row += (empty ? '' : ' ') + rest.join('');
		empty = false;
	}
	rows.push(row);
	return rows;
}

// Value parsers more than one command can use.

/** A number of seconds from `min` to `max`, as milliseconds. */
export function secondsBetween(min: number, max: number): (raw: string, flag: string) => number {
	return (raw, flagName) => {
		const n = raw.trim() === '' ? Number.NaN : Number(raw);
		if (!Number.isFinite(n) || n < min || n > max) {
			throw new UserError(`${flagName} must be a number of seconds from ${min} to ${max}`, EXIT.usage);
		}
		return Math.round(n * 1000);
	};
}

/** One of a fixed list of words. */
export function oneOf<T extends string>(allowed: readonly T[]): (raw: string, flag: string) => T {
	return (raw, flagName) => {
		if (!allowed.includes(raw as T)) {
			const list = allowed.length === 2 ? allowed.join(' or ') : `one of ${allowed.join(', ')}`;
			throw new UserError(`${flagName} must be ${list}, not "${raw}"`, EXIT.usage);
		}
		return raw as T;
	};
}

/** A file name (not empty). */
export function fileName(raw: string, flagName: string): string {
	if (raw.trim() === '') throw new UserError(`${flagName} needs a file name`, EXIT.usage);
	return raw;
}
