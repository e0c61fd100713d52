// `rehearse --streams FILE`: the user's streams and consumers, as `nats stream
// info --json` / `nats consumer info --json` print them (one object or an
// array of them; bare `config` objects too), turned into what the rehearsal
// creates on the lab cluster before the upgrade. Fields are the servers' own
// JSON names (durations in nanoseconds), passed on as they are. A field the
// rehearsal cannot reproduce is NAMED (unsupported), never dropped silently; a
// file that cannot be used is refused with its JSON path (or line) before any
// server starts.

import { EXIT, UserError } from '../base/errors.js';
import { LAB_STREAM } from '../base/names.js';
import { LAB_SUBJECTS } from '../probes/lab-stream.js';
import { CONSUMER_FIELDS, STREAM_FIELDS } from './stream-fields.js';
import { firstOverlap } from './subjects.js';

export interface ConsumerPlan {
	name: string;
	config: Record<string, unknown>;
	/** Push when it has a deliver_subject, else pull. */
	kind: 'pull' | 'push';
}

export interface StreamPlan {
	name: string;
	config: Record<string, unknown>;
	replicas: number;
	storage: string;
	/** The subject the rehearsal's publisher uses (a concrete subject of the stream). */
	publishSubject: string;
	consumers: ConsumerPlan[];
}

export interface StreamsFile {
	file: string;
	streams: StreamPlan[];
	/** Fields set in the file that the rehearsal does not reproduce, as JSON paths (`[0].config.mirror`). */
	unsupported: string[];
}

type Json = Record<string, unknown>;

/** A JSON path one key deeper (`[0].config` + `name`; a top-level object's keys stand alone). */
function at(path: string, key: string): string {
	return path ? `${path}.${key}` : key;
}

function refuse(file: string, path: string, text: string): UserError {
	return new UserError(`--streams ${file}: ${path ? `${path}: ` : ''}${text}`, EXIT.usage);
}

function isObject(v: unknown): v is Json {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value the servers treat as "not set" (printed by `nats … info --json` all the same). */
function isDefault(v: unknown): boolean {
	if (v === null || v === false || v === 0 || v === '' || v === undefined) return true;
	if (Array.isArray(v)) return v.length === 0;
	return isObject(v) && Object.keys(v).length === 0;
}

function pick(config: Json, fields: Set<string>, path: string, unsupported: string[]): Json {
	const out: Json = {};
	for (const [k, v] of Object.entries(config)) {
		if (fields.has(k)) out[k] = v;
		else if (!isDefault(v)) unsupported.push(at(path, `${k}`));
	}
	return out;
}

/** What an entry is: a stream or consumer info (with `config`), or a bare config. */
function classify(entry: Json): { kind: 'stream' | 'consumer'; config: Json; stream: string | null } | null {
	const config = isObject(entry.config) ? entry.config : entry;
	const consumerish = 'ack_policy' in config || 'durable_name' in config || 'deliver_policy' in config;
	if ('stream_name' in entry || consumerish) {
		const stream = typeof entry.stream_name === 'string' ? entry.stream_name : null;
		return { kind: 'consumer', config, stream };
	}
	if (typeof config.name === 'string') return { kind: 'stream', config, stream: null };
	return null;
}

/** A concrete subject of the stream to publish on: wildcards become tokens. */
function concreteSubject(subject: string): string {
	return subject
		.split('.')
		.map((t) => (t === '>' ? 'rehearse' : t === '*' ? 'x' : t))
		.join('.');
}

function streamPlan(
	file: string,
	path: string,
	config: Json,
	maxReplicas: number,
	unsupported: string[],
): StreamPlan {
	const name = config.name;
	if (typeof name !== 'string' || !/^[^\s.*>]+$/.test(name))
		throw refuse(file, at(path, `name`), 'a stream needs a name without spaces, dots or wildcards');
	if (name === LAB_STREAM)
		throw refuse(file, at(path, `name`), `${LAB_STREAM} is natslab's own lab stream: rename yours`);
	const picked = pick(config, STREAM_FIELDS, path, unsupported);
	const replicas = picked.num_replicas === undefined ? 1 : picked.num_replicas;
	if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 1 || replicas > 5)
		throw refuse(file, at(path, `num_replicas`), `must be 1 to 5, not ${JSON.stringify(replicas)}`);
	if (replicas > maxReplicas)
		throw refuse(
			file,
			at(path, `num_replicas`),
			`R${replicas} needs ${replicas} servers, the rehearsal runs ${maxReplicas}${maxReplicas < 5 ? ' (--nodes 5)' : ''}`,
		);
	const subjects = picked.subjects === undefined ? [name] : picked.subjects;
	if (
		!Array.isArray(subjects) ||
		subjects.length === 0 ||
		!subjects.every((s) => typeof s === 'string' && s !== '')
	)
		throw refuse(file, at(path, `subjects`), 'must be a list of subjects');
	// The servers refuse overlapping streams at creation: say it now, not as a set-up failure.
	const lab = firstOverlap(subjects as string[], LAB_SUBJECTS);
	if (lab)
		throw refuse(
			file,
			at(path, `subjects[${lab.index}]`),
			`${lab.subject} overlaps natslab's lab stream (${lab.other})`,
		);
	if (config.no_ack === true) throw refuse(file, at(path, `no_ack`), 'no_ack streams give no acks to verify');
	const storage = typeof picked.storage === 'string' ? picked.storage : 'file';
	return {
		name,
		config: { ...picked, num_replicas: replicas, subjects },
		replicas,
		storage,
		publishSubject: concreteSubject(subjects[0] as string),
		consumers: [],
	};
}

function consumerPlan(file: string, path: string, config: Json, unsupported: string[]): ConsumerPlan {
	const picked = pick(config, CONSUMER_FIELDS, path, unsupported);
	const name = picked.durable_name ?? picked.name;
	if (typeof name !== 'string' || name === '')
		throw refuse(
			file,
			path,
			'a consumer needs durable_name (or name): an ephemeral one would not outlive its client',
		);
	return { name, config: { ...picked, durable_name: name }, kind: picked.deliver_subject ? 'push' : 'pull' };
}

/** JSON.parse's "position N" as line:column of the file. */
function jsonErrorAt(text: string, err: unknown): string {
	const message = err instanceof Error ? err.message : String(err);
	const pos = /position (\d+)/.exec(message)?.[1];
	if (pos === undefined) return message;
	const before = text.slice(0, Number(pos));
	const line = before.split('\n').length;
	const column = Number(pos) - before.lastIndexOf('\n');
	return `line ${line}, column ${column}: ${message.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*$/, '')}`;
}

export function parseStreamsFile(text: string, file: string, nodeCount: number): StreamsFile {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (err) {
		throw refuse(file, '', `not JSON: ${jsonErrorAt(text, err)}`);
	}
	const entries = Array.isArray(data) ? data : [data];
	const array = Array.isArray(data);
	const unsupported: string[] = [];
	const streams: StreamPlan[] = [];
	const consumers: { path: string; stream: string | null; plan: ConsumerPlan }[] = [];
	for (const [i, entry] of entries.entries()) {
		const path = array ? `[${i}]` : '';
		if (!isObject(entry)) throw refuse(file, path, 'expected a stream or consumer object');
		const kind = classify(entry);
		if (!kind)
			throw refuse(file, path, 'neither a stream (config.name) nor a consumer (stream_name, ack_policy)');
		const configPath = `${path}${entry.config === kind.config ? '.config' : ''}`.replace(/^\./, '');
		if (kind.kind === 'stream') {
			const plan = streamPlan(file, configPath, kind.config, nodeCount, unsupported);
			if (streams.some((s) => s.name === plan.name))
				throw refuse(file, at(configPath, 'name'), `${plan.name} is listed twice`);
			for (const other of streams) {
				const clash = firstOverlap(plan.config.subjects as string[], other.config.subjects as string[]);
				if (clash)
					throw refuse(
						file,
						at(configPath, `subjects[${clash.index}]`),
						`${clash.subject} overlaps ${clash.other} of stream ${other.name} (the servers refuse overlapping streams)`,
					);
			}
			streams.push(plan);
		} else {
			consumers.push({
				path: configPath,
				stream: kind.stream,
				plan: consumerPlan(file, configPath, kind.config, unsupported),
			});
		}
	}
	if (streams.length === 0) throw refuse(file, '', 'no stream in the file (consumers need their stream)');
	for (const c of consumers) {
		const stream = c.stream ?? (streams.length === 1 ? (streams[0] as StreamPlan).name : null);
		if (stream === null)
			throw refuse(
				file,
				c.path,
				'a bare consumer config names no stream: use `nats consumer info --json` output (it has stream_name)',
			);
		const target = streams.find((s) => s.name === stream);
		if (!target) throw refuse(file, c.path, `its stream ${stream} is not in the file`);
		if (target.consumers.some((x) => x.name === c.plan.name))
			throw refuse(file, c.path, `consumer ${c.plan.name} of ${stream} is listed twice`);
		target.consumers.push(c.plan);
	}
	return { file, streams, unsupported };
}
