// Help is read in 80-column terminals: every command's --help (the main help, each
// command, each group and each command of a group) fits in 80 columns, and the
// wrapping keeps the shape a reader relies on: a description continues under its
// column, a usage line under its first option, a paragraph stays a paragraph.

import { describe, expect, it } from 'vitest';
import { HELP_WIDTH, wrapHelp } from '../../../src/base/options.js';
import { MAIN_HELP, runCommand } from '../../../src/commands/main.js';

function sink() {
	let text = '';
	return {
		stream: {
			write: (s: string) => {
				text += s;
				return true;
			},
		},
		text: () => text,
	};
}

async function helpOf(args: string[]): Promise<{ code: number; text: string; err: string }> {
	const out = sink();
	const err = sink();
	const io = { stdout: out.stream, stderr: err.stream, stdin: process.stdin, env: {} } as never;
	const code = await runCommand(args, io);
	return { code, text: out.text(), err: err.text() };
}

/** The command words the main help lists (`natslab cluster up|status…` → cluster). */
const COMMANDS = [...new Set([...MAIN_HELP.matchAll(/^ {2}natslab ([a-z]+)/gm)].map((m) => m[1] as string))];

const tooWide = (text: string) => text.split('\n').filter((l) => [...l].length > HELP_WIDTH);

describe('every --help at 80 columns', () => {
	it('finds the commands in the main help', () => {
		expect(COMMANDS).toEqual(expect.arrayContaining(['learn', 'sandbox', 'rehearse', 'cluster', 'servers']));
	});

	it('the main help', async () => {
		const r = await helpOf(['--help']);
		expect(r.code).toBe(0);
		expect(tooWide(r.text)).toEqual([]);
	});

	it('each command, each group and each command of a group', async () => {
		const seen: string[] = [];
		for (const command of COMMANDS) {
			const r = await helpOf([command, '--help']);
			expect(r.code, `${command} --help: ${r.err}`).toBe(0);
			expect(tooWide(r.text), `natslab ${command} --help`).toEqual([]);
			seen.push(command);
			// A group (`Usage: natslab cluster <command>`) names its commands when given an unknown one.
			if (!new RegExp(`natslab ${command} <command>`).test(r.text)) continue;
			const refused = await helpOf([command, 'no-such-command']);
			const list = /\(expected ([^)]+)\)/.exec(refused.err)?.[1] ?? '';
			const subs = list.split(/,\s*|\s+or\s+/).filter((w) => /^[a-z-]+$/.test(w));
			expect(subs.length, `${command}: ${refused.err}`).toBeGreaterThan(1);
			for (const sub of subs) {
				const s = await helpOf([command, sub, '--help']);
				expect(s.code, `${command} ${sub} --help: ${s.err}`).toBe(0);
				expect(tooWide(s.text), `natslab ${command} ${sub} --help`).toEqual([]);
				seen.push(`${command} ${sub}`);
			}
		}
		expect(seen).toEqual(expect.arrayContaining(['cluster up', 'cluster node', 'servers install']));
	}, 60_000); // each command's first import (Ink for the screens) takes seconds on a loaded machine
});

describe('wrapHelp', () => {
	it('keeps a line that fits as it is', () => {
		expect(wrapHelp('  --json   print JSON', 80)).toBe('  --json   print JSON');
	});

	it('continues a description under its column and a usage line under its first option', () => {
		const option = `  --links MODE   ${'word '.repeat(20).trim()}`;
		const rows = wrapHelp(option, 40).split('\n');
		expect(rows[0]?.startsWith('  --links MODE   word')).toBe(true);
		for (const r of rows.slice(1)) expect(r).toMatch(/^ {17}word/);
		const usage = wrapHelp('Usage: natslab sandbox [--version V] [--nodes 3|5] [--links proxied]', 50);
		// A bracketed group is never split.
		expect(usage.split('\n')).toEqual([
			'Usage: natslab sandbox [--version V] [--nodes 3|5]',
			'                       [--links proxied]',
		]);
	});

	it('breaks a word longer than the row after a |, and keeps a deep continuation under its column', () => {
		expect(
			wrapHelp('  node <op>   start|stop|kill|ldm|pause|resume|restart|upgrade', 40).split('\n'),
		).toEqual(['  node <op>   start|stop|kill|ldm|pause|', '              resume|restart|upgrade']);
		expect(
			wrapHelp('  up [--json]\n              start it; returns once the meta leader is agreed', 40).split(
				'\n',
			),
		).toEqual([
			'  up [--json]',
			'              start it; returns once the',
			'              meta leader is agreed',
		]);
	});

	it('flows what does not fit into the next line of the same paragraph', () => {
		const text = 'one two three four five six seven\neight nine';
		expect(wrapHelp(text, 20).split('\n')).toEqual(['one two three four', 'five six seven eight', 'nine']);
		for (const row of wrapHelp(text, 20).split('\n')) expect(row.length).toBeLessThanOrEqual(20);
	});
});
