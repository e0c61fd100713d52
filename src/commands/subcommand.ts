// The `natslab <group> <command> [options]` shape shared by `cluster` and
// `servers`: help, unknown commands and option errors all end as one line
// and exit code 2, in the same words.
import { type ParseArgsConfig, parseArgs } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export type ParsedSubcommand<C extends string> =
	| { done: false; command: C; values: Record<string, unknown>; positionals: string[] }
	| { done: true; code: number };

export function parseSubcommand<C extends string>(
	group: string,
	args: string[],
	io: { stdout: { write(s: string): unknown }; stderr: { write(s: string): unknown } },
	spec: { options: Record<C, Options>; help: Readonly<Record<string, string>>; expected: string },
): ParsedSubcommand<C> {
	const [sub, ...rest] = args;
	if (sub === undefined || sub === '-h' || sub === '--help' || sub === 'help') {
		(sub === undefined ? io.stderr : io.stdout).write(`${spec.help['']}\n`);
		return { done: true, code: sub === undefined ? 2 : 0 };
	}
	if (!Object.hasOwn(spec.options, sub)) {
		io.stderr.write(`natslab: unknown ${group} command "${sub}" (expected ${spec.expected})\n`);
		return { done: true, code: 2 };
	}
	const command = sub as C;
	let parsed: { values: Record<string, unknown>; positionals: string[] };
	try {
		parsed = parseArgs({ args: rest, options: spec.options[command], allowPositionals: true, strict: true });
	} catch (err) {
		// Node's text ("Unknown option '--x'. To specify a positional…"): keep its first sentence.
		const first = (err as Error).message.split(/\.\s|\n/)[0] ?? '';
		const why = first.charAt(0).toLowerCase() + first.slice(1);
		io.stderr.write(`natslab: ${group} ${command}: ${why} (see natslab ${group} ${command} --help)\n`);
		return { done: true, code: 2 };
	}
	if (parsed.values.help) {
		io.stdout.write(`${spec.help[command]}\n`);
		return { done: true, code: 0 };
	}
	return { done: false, command, values: parsed.values, positionals: parsed.positionals };
}
