// The `natslab <group> <command> [options]` shape shared by `cluster`,
// `servers` and `lessons`: each command's options declared once in its table
// (options.ts), its help generated from that table, and an unknown command or a
// bad option thrown as one usage line (exit 2) for the command line's handler.

import { EXIT, UserError } from '../base/errors.js';
import { commandHelp, type OptionTable, parseOptions, wrapHelp } from '../base/options.js';

export interface Subcommand {
	/** Usage line and description, above the generated "Options:" block. */
	head: string;
	options: OptionTable;
	/** Anything after the options (e.g. a list of operations). */
	tail?: string;
	/** Most positional arguments it takes (more are refused); unlimited when absent. */
	maxPositionals?: number;
}

export interface SubcommandGroup<C extends string> {
	/** The group's own help (`natslab cluster --help`). */
	help: string;
	commands: Record<C, Subcommand>;
	/** "up, status, node or down". */
	expected: string;
}

export type ParsedSubcommand<C extends string> =
	| { done: false; command: C; values: Record<string, unknown>; positionals: string[] }
	| { done: true; code: number };

export function subcommandHelp(sub: Subcommand): string {
	return commandHelp(sub.head, sub.options, sub.tail);
}

/** Parses `<command> [options]`; help is printed here (it is output, not an error). */
export function parseSubcommand<C extends string>(
	group: string,
	args: string[],
	io: { stdout: { write(s: string): unknown }; stderr: { write(s: string): unknown } },
	spec: SubcommandGroup<C>,
): ParsedSubcommand<C> {
	const [sub, ...rest] = args;
	if (sub === undefined || sub === '-h' || sub === '--help' || sub === 'help') {
		// Without a command the help is the answer, but the command line was incomplete: exit 2.
		(sub === undefined ? io.stderr : io.stdout).write(`${wrapHelp(spec.help)}\n`);
		return { done: true, code: sub === undefined ? EXIT.usage : EXIT.ok };
	}
	if (!Object.hasOwn(spec.commands, sub)) {
		throw new UserError(`unknown ${group} command "${sub}" (expected ${spec.expected})`, EXIT.usage);
	}
	const command = sub as C;
	const def = spec.commands[command];
	const parsed = parseOptions(`${group} ${command}`, def.options, rest, {
		maxPositionals: def.maxPositionals,
	});
	if (parsed.help) {
		io.stdout.write(`${subcommandHelp(def)}\n`);
		return { done: true, code: EXIT.ok };
	}
	return { done: false, command, values: parsed.values, positionals: parsed.positionals };
}
