// Per-node nats-server config, rendered from ONE template in assets/. The
// servers' config parser is strict: a key an older version does not know stops
// it from starting (`unknown field "pool_size"` on 2.9.10). So every optional
// key carries the first version that accepts it, and is emitted only there.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UserError } from '../base/errors.js';
import { CLUSTER_NAME, type NodeName, type NodePorts } from '../base/names.js';
import { atLeast } from '../base/versions.js';

export const CONFIG_TEMPLATE_PATH = fileURLToPath(
	new URL('../../assets/nats-server.conf.template', import.meta.url),
);

/**
 * Lame duck for a lab, written into every node's config (the template's placeholders): 30s is the
 * servers' minimum duration; a 3s grace period makes a drain with a few clients end in about 6s
 * (default: 10s grace). cluster/lame-duck.ts reads these, not the file.
 */
export const LAB_LAME_DUCK = { duration: '30s', grace: '3s' } as const;

/**
 * `size` is bytes, or a number with a unit (256MB, 1G), written unquoted: quoted sizes fail on 2.10+.
 * `duration` is a Go duration ("2m", "1h30m", "500ms"), written quoted, or a whole number of seconds.
 * The servers read a bare integer as seconds ("backward compatible with old type", opts.go
 * parseDuration) but warn "should be converted to a duration", and that warning makes
 * `nats-server -t` exit 1 (measured, 2.9.10 and 2.15.1); a quoted "120" fails ("missing unit").
 * So whole seconds are written as "120s": the same setting, read without a warning.
 */
type OptionKind = 'int' | 'bool' | 'text' | 'size' | 'duration';

interface OptionSpec {
	block: 'top' | 'cluster' | 'jetstream';
	key: string;
	/** First nats-server release whose config parser accepts the key. */
	since: string;
	kind: OptionKind;
	/** Words the key accepts besides its kind (jetstream.sync_interval: always). */
	words?: readonly string[];
}

/**
 * Options natslab can put into a node's config, with the first version that knows them.
 * Sources: docs "v2 routes, introduced in 2.10.0" (pool_size, compression); v2.10.10 release
 * notes "Add ping_interval cluster route option" (#5029); nats-server#4483 (sync_interval,
 * merged for 2.10.0); nats.docs JetStream table (strict: 2.11.0). 2.9.10 rejecting the 2.10
 * keys and 2.10.27 rejecting `strict` were measured with `nats-server -t`.
 */
export const SERVER_OPTIONS = {
	ping_interval: { block: 'top', key: 'ping_interval', since: '2.0.0', kind: 'duration' },
	write_deadline: { block: 'top', key: 'write_deadline', since: '2.0.0', kind: 'duration' },
	// The template's lab values (30s / 3s) give way to these when set (rehearse --config).
	lame_duck_duration: { block: 'top', key: 'lame_duck_duration', since: '2.0.0', kind: 'text' },
	lame_duck_grace_period: { block: 'top', key: 'lame_duck_grace_period', since: '2.0.0', kind: 'text' },
	ping_max: { block: 'top', key: 'ping_max', since: '2.0.0', kind: 'int' },
	max_payload: { block: 'top', key: 'max_payload', since: '2.0.0', kind: 'size' },
	max_pending: { block: 'top', key: 'max_pending', since: '2.0.0', kind: 'size' },
	max_connections: { block: 'top', key: 'max_connections', since: '2.0.0', kind: 'int' },
	max_control_line: { block: 'top', key: 'max_control_line', since: '2.0.0', kind: 'size' },
	'jetstream.max_memory_store': { block: 'jetstream', key: 'max_memory_store', since: '2.2.0', kind: 'size' },
	'jetstream.max_file_store': { block: 'jetstream', key: 'max_file_store', since: '2.2.0', kind: 'size' },
	'jetstream.sync_interval': {
		block: 'jetstream',
		key: 'sync_interval',
		since: '2.10.0',
		kind: 'duration',
		words: ['always'],
	},
	'jetstream.strict': { block: 'jetstream', key: 'strict', since: '2.11.0', kind: 'bool' },
	'cluster.pool_size': { block: 'cluster', key: 'pool_size', since: '2.10.0', kind: 'int' },
	'cluster.compression': { block: 'cluster', key: 'compression', since: '2.10.0', kind: 'text' },
	'cluster.ping_interval': { block: 'cluster', key: 'ping_interval', since: '2.10.10', kind: 'duration' },
} as const satisfies Record<string, OptionSpec>;

export type ServerOptionName = keyof typeof SERVER_OPTIONS;
export type ServerOptions = Partial<Record<ServerOptionName, string | number | boolean>>;

/** Go-style duration text ("30s", "2m", "1m30s", "500ms", "0") → milliseconds; null when not one. */
export function durationMs(text: string): number | null {
	if (text === '0') return 0;
	const units: Record<string, number> = {
		h: 3_600_000,
		m: 60_000,
		s: 1000,
		ms: 1,
		us: 1e-3,
		µs: 1e-3,
		ns: 1e-6,
	};
	const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)];
	if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return null;
	return parts.reduce((sum, [, n, unit]) => sum + Number(n) * (units[unit ?? ''] ?? 0), 0);
}

/** A `duration` option's value in ms: a whole number is seconds, text a Go duration; null otherwise. */
export function durationOptionMs(value: string | number | boolean): number | null {
	if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value * 1000 : null;
	return typeof value === 'string' ? durationMs(value) : null;
}

/** A `size` option's value in bytes (1048576, "1MB", "1M"); null when it is not a size. */
export function sizeBytes(value: string | number | boolean): number | null {
	if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : null;
	const m = typeof value === 'string' ? /^(\d+)(?:([KMGT])(B)?)?$/i.exec(value) : null;
	if (!m) return null;
	// The servers' units (conf/parse.go): K, M, G, T are powers of 1000; KB, MB, GB, TB of 1024.
	const power = m[2] ? 'KMGT'.indexOf(m[2].toUpperCase()) + 1 : 0;
	return Number(m[1]) * (m[3] ? 1024 : 1000) ** power;
}

export interface NodeConfigInput {
	name: NodeName;
	version: string;
	ports: NodePorts;
	/**
	 * Where the node dials its routes: every node's cluster port (direct links: the same list in
	 * every file), or only its own pair proxies (proxied links, cluster/links/pairs.ts).
	 */
	routePorts: number[];
	/**
	 * Proxied links: a port nothing listens on, advertised as this node's cluster address, so that
	 * gossip never gives a peer a way around the proxies (docs/nats-behavior.md §12).
	 */
	advertisePort?: number;
	storeDir: string;
	options?: ServerOptions;
}

export interface RenderedConfig {
	text: string;
	/** Requested options left out because this version does not know them. */
	omitted: { option: ServerOptionName; since: string }[];
}

let cachedTemplate: string | null = null;
function template(): string {
	cachedTemplate ??= readFileSync(CONFIG_TEMPLATE_PATH, 'utf8');
	return cachedTemplate;
}

function formatValue(
	name: string,
	{ kind, words = [] }: Pick<OptionSpec, 'kind' | 'words'>,
	value: string | number | boolean,
): string {
	if (kind === 'bool') {
		if (typeof value !== 'boolean') throw new UserError(`server option ${name} must be true or false`);
		return String(value);
	}
	if (kind === 'int') {
		if (typeof value !== 'number' || !Number.isInteger(value)) {
			throw new UserError(`server option ${name} must be a whole number`);
		}
		return String(value);
	}
	if (kind === 'size') {
		const ok =
			(typeof value === 'number' && Number.isInteger(value) && value >= 0) ||
			(typeof value === 'string' && /^\d+(K|KB|M|MB|G|GB|T|TB)?$/i.test(value));
		if (!ok) throw new UserError(`server option ${name} must be bytes or a size like 256MB`);
		return String(value);
	}
	if (kind === 'duration') {
		if (typeof value === 'number' && Number.isInteger(value) && value >= 0)
			return JSON.stringify(`${value}s`);
		if (typeof value === 'string' && (words.includes(value) || durationMs(value) !== null))
			return JSON.stringify(value);
		throw new UserError(
			`server option ${name} must be a duration like 2m or 500ms, or whole seconds${words.map((w) => `, or ${w}`).join('')}`,
		);
	}
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string' || value === '' || /[\n\r]/.test(value)) {
		throw new UserError(`server option ${name} must be a one-line text value`);
	}
	return JSON.stringify(value);
}

/** The options of one block that this version accepts, as config lines. */
function optionLines(
	block: OptionSpec['block'],
	version: string,
	options: ServerOptions,
	omitted: RenderedConfig['omitted'],
): string {
	const indent = block === 'top' ? '' : '  ';
	const lines: string[] = [];
	for (const [name, value] of Object.entries(options)) {
		const spec = (SERVER_OPTIONS as Record<string, OptionSpec>)[name];
		if (!spec) {
			throw new UserError(`unknown server option ${name} (known: ${Object.keys(SERVER_OPTIONS).join(', ')})`);
		}
		if (spec.block !== block || value === undefined) continue;
		if (!atLeast(version, spec.since)) {
			omitted.push({ option: name as ServerOptionName, since: spec.since });
			continue;
		}
		lines.push(`${indent}${spec.key}: ${formatValue(name, spec, value)}`);
	}
	return lines.join('\n');
}

export function renderNodeConfig(input: NodeConfigInput): RenderedConfig {
	const options = input.options ?? {};
	const omitted: RenderedConfig['omitted'] = [];
	const values: Record<string, string> = {
		name: input.name,
		cluster: CLUSTER_NAME,
		version: input.version,
		client_port: String(input.ports.client),
		cluster_port: String(input.ports.cluster),
		http_port: String(input.ports.http),
		store_dir: JSON.stringify(input.storeDir),
		lame_duck_duration: JSON.stringify(LAB_LAME_DUCK.duration),
		lame_duck_grace_period: JSON.stringify(LAB_LAME_DUCK.grace),
		routes: input.routePorts.map((p) => `    nats-route://127.0.0.1:${p}`).join('\n'),
		cluster_advertise:
			input.advertisePort === undefined ? '' : `  advertise: "127.0.0.1:${input.advertisePort}"`,
		top_options: optionLines('top', input.version, options, omitted),
		jetstream_options: optionLines('jetstream', input.version, options, omitted),
		cluster_options: optionLines('cluster', input.version, options, omitted),
	};
	const out: string[] = [];
	for (const line of template().split('\n')) {
		// A lame duck setting of the caller's replaces the template's lab value (one key, one line).
		const templateKey = /^(lame_duck_duration|lame_duck_grace_period):/.exec(line)?.[1];
		if (templateKey && options[templateKey as ServerOptionName] !== undefined) continue;
		const only = /^\s*\{\{(\w+)\}\}\s*$/.exec(line);
		// A line holding nothing but an empty placeholder disappears.
		if (only?.[1] !== undefined && values[only[1]] === '') continue;
		out.push(
			line.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
				const v = values[key];
				if (v === undefined) throw new Error(`config template: unknown placeholder {{${key}}}`);
				return v;
			}),
		);
	}
	return { text: out.join('\n'), omitted };
}
