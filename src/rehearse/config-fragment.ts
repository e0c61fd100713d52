// `rehearse --config FILE`: a nats-server config fragment (the user's production
// settings) read into the version-gated server options every node's config gets
// (cluster/config.ts). natslab owns listen addresses, routes, names and store
// dirs: those keys are dropped and SAID (overridden). A key natslab cannot set is
// refused as FILE:LINE before any server starts, never silently left out.

import { EXIT, UserError } from '../base/errors.js';
import { durationMs, SERVER_OPTIONS, type ServerOptionName, type ServerOptions } from '../cluster/config.js';

/** Keys natslab writes itself, per block ('' = top level). */
const OWNED: Record<string, readonly string[]> = {
	'': [
		'listen',
		'host',
		'net',
		'port',
		'http',
		'http_port',
		'monitor_port',
		'https',
		'server_name',
		'store_dir',
		// `jetstream: enabled` (or true): natslab turns JetStream on itself.
		'jetstream',
	],
	cluster: ['name', 'listen', 'host', 'port', 'routes', 'advertise', 'cluster_advertise', 'no_advertise'],
	jetstream: ['store_dir', 'store', 'enabled'],
};
const BLOCKS = ['jetstream', 'cluster'];

/** The servers refuse a shorter drain (docs/nats-behavior.md §7: "minimum is 30 seconds"). */
const MIN_LAME_DUCK_MS = 30_000;
/** What a server runs with when its config leaves one lame duck key out (nats-server defaults). */
const SERVER_LAME_DUCK = { lame_duck_duration: '2m', lame_duck_grace_period: '10s' } as const;

export interface ConfigFragment {
	file: string;
	options: ServerOptions;
	/** The user's keys natslab replaced with its own (e.g. `cluster.routes` at line 7). */
	overridden: { key: string; line: number }[];
	/** Keys the file left out that natslab set to the servers' default, so a pair stays a pair. */
	defaulted: { key: ServerOptionName; value: string }[];
}

function refuse(file: string, line: number, text: string): UserError {
	return new UserError(`--config ${file}:${line}: ${text}`, EXIT.usage);
}

function unquote(raw: string): string {
	const m = /^"(.*)"$|^'(.*)'$/.exec(raw);
	return m ? (m[1] ?? m[2] ?? '') : raw;
}

/** A value in the kind cluster/config.ts expects for the option. */
function typedValue(name: ServerOptionName, raw: string): string | number | boolean {
	const kind = SERVER_OPTIONS[name].kind;
	const text = unquote(raw);
	if (kind === 'bool') {
		if (/^(true|yes|on)$/i.test(text)) return true;
		if (/^(false|no|off)$/i.test(text)) return false;
		throw new Error(`${name} must be true or false, not ${raw}`);
	}
	if (kind === 'int') {
		if (!/^-?\d+$/.test(text)) throw new Error(`${name} must be a whole number, not ${raw}`);
		return Number(text);
	}
	if (kind === 'size') {
		if (/^\d+$/.test(text)) return Number(text);
		if (/^\d+(K|KB|M|MB|G|GB|T|TB)$/i.test(text)) return text;
		throw new Error(`${name} must be bytes or a size like 256MB, not ${raw}`);
	}
	if (kind === 'duration') {
		// Unquoted whole seconds are the servers' old form; quoted, "120" has no unit and is refused.
		if (/^\d+$/.test(raw)) return Number(raw);
		const words = (SERVER_OPTIONS as Record<string, { words?: readonly string[] }>)[name]?.words ?? [];
		if (words.includes(text) || durationMs(text) !== null) return text;
		throw new Error(
			`${name} must be a duration like 2m, 500ms or 1h30m, or whole seconds written unquoted${words.map((w) => `, or ${w}`).join('')}; not ${raw}`,
		);
	}
	if (text === '') throw new Error(`${name} needs a value`);
	return text;
}

/** One lame duck key alone: the other is the servers' default, as on the user's servers. */
function fillLameDuck(options: ServerOptions): ConfigFragment['defaulted'] {
	const keys = Object.keys(SERVER_LAME_DUCK) as (keyof typeof SERVER_LAME_DUCK)[];
	if (keys.every((k) => options[k] === undefined)) return [];
	const defaulted: ConfigFragment['defaulted'] = [];
	for (const key of keys) {
		if (options[key] !== undefined) continue;
		options[key] = SERVER_LAME_DUCK[key];
		defaulted.push({ key, value: SERVER_LAME_DUCK[key] });
	}
	return defaulted;
}

function checkLameDuck(file: string, options: ServerOptions, lines: Map<string, number>): void {
	const d = options.lame_duck_duration;
	const g = options.lame_duck_grace_period;
	const dMs = typeof d === 'string' ? durationMs(d) : null;
	const gMs = typeof g === 'string' ? durationMs(g) : null;
	const at = (key: string) => lines.get(key) ?? 0;
	if (d !== undefined && dMs === null)
		throw refuse(file, at('lame_duck_duration'), `"${d}" is not a duration like 2m or 30s`);
	if (g !== undefined && gMs === null)
		throw refuse(file, at('lame_duck_grace_period'), `"${g}" is not a duration like 10s`);
	if (dMs !== null && dMs < MIN_LAME_DUCK_MS)
		throw refuse(file, at('lame_duck_duration'), `lame_duck_duration ${d}: nats-server's minimum is 30s`);
	// fillLameDuck has set both (or neither): the grace must stay below the duration.
	if (dMs !== null && gMs !== null && gMs >= dMs) {
		const line = lines.has('lame_duck_grace_period') ? 'lame_duck_grace_period' : 'lame_duck_duration';
		throw refuse(
			file,
			at(line),
			`lame_duck_grace_period ${g} must be shorter than lame_duck_duration ${d} (nats-server refuses to start)`,
		);
	}
}

/** Parses the fragment's text; `file` only names it in errors. */
export function parseConfigFragment(text: string, file: string): ConfigFragment {
	const options: ServerOptions = {};
	const overridden: ConfigFragment['overridden'] = [];
	const lineOf = new Map<string, number>();
	let block = '';
	const known = Object.keys(SERVER_OPTIONS).join(', ');
	let blockLine = 0;
	const lines = text.split(/\r?\n/);
	if (lines.at(-1) === '') lines.pop();
	lines.forEach((rawLine, i) => {
		const line = i + 1;
		// A comment ends the line, after a trailing comma too (`max_payload: 1MB, # why`).
		const body = rawLine.replace(/(^|[\s,;])(#|\/\/).*$/, '$1').trim();
		if (body === '') return;
		if (body === '}') {
			if (block === '') throw refuse(file, line, 'a "}" with no block open');
			block = '';
			return;
		}
		const open = /^([A-Za-z_][\w-]*)\s*[:=]?\s*\{$/.exec(body);
		if (open) {
			const name = open[1] as string;
			if (block !== '')
				throw refuse(file, line, `block ${name} inside ${block}: nested blocks are not supported`);
			if (!BLOCKS.includes(name))
				throw refuse(
					file,
					line,
					`block ${name} is not supported (natslab merges only ${BLOCKS.join(' and ')})`,
				);
			block = name;
			blockLine = line;
			return;
		}
		const kv = /^([A-Za-z_][\w-]*)\s*(?::|=|\s)\s*(.+?)\s*[,;]?$/.exec(body);
		if (!kv) throw refuse(file, line, `cannot read "${body}" (expected key: value)`);
		const key = kv[1] as string;
		const value = kv[2] as string;
		const dotted = block ? `${block}.${key}` : key;
		if ((OWNED[block] ?? []).includes(key)) {
			overridden.push({ key: dotted, line });
			return;
		}
		if (/^[[{]/.test(value)) throw refuse(file, line, `${dotted}: lists and maps are not supported`);
		if (!(dotted in SERVER_OPTIONS))
			throw refuse(file, line, `${dotted} is not a setting natslab can apply (it can: ${known})`);
		const name = dotted as ServerOptionName;
		try {
			options[name] = typedValue(name, value);
		} catch (err) {
			throw refuse(file, line, err instanceof Error ? err.message : String(err));
		}
		lineOf.set(dotted, line);
	});
	if (block !== '')
		throw refuse(file, lines.length, `block ${block} (opened at line ${blockLine}) is not closed`);
	const defaulted = fillLameDuck(options);
	checkLameDuck(file, options, lineOf);
	return { file, options, overridden, defaulted };
}
