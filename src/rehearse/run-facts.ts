// What ran, for the report: natslab's version, each binary's source and
// sha256, the lame duck settings as the servers run them, the --config
// settings read back from /varz where the servers show them, and the size,
// streams, load and client options of the rehearsal.

import { readFileSync } from 'node:fs';
import type { NodeName } from '../base/names.js';
import { durationOptionMs, type ServerOptions, sizeBytes } from '../cluster/config.js';
import { lameDuckSettings } from '../cluster/lame-duck.js';
import { monitoringGetJson } from '../monitoring/http.js';
import type { ProbeOptions } from '../probes/spec.js';
import { ensureServer } from '../servers/index.js';
import type { ConfigFragment } from './config-fragment.js';
import type { StreamsFile } from './streams-file.js';
import type { BinaryFacts, RunFacts } from './types.js';

export interface RunInputs {
	nodeCount: number;
	config: ConfigFragment | null;
	streams: StreamsFile | null;
	load: { rate: number; sizeBytes: number } | null;
	clientOptions: ProbeOptions | null;
}

export function natslabVersion(): string {
	try {
		const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
			version?: string;
		};
		return pkg.version ?? 'unknown';
	} catch {
		return 'unknown';
	}
}

async function binaryFacts(version: string, env: NodeJS.ProcessEnv): Promise<BinaryFacts> {
	const b = await ensureServer(version, { env });
	return { version, source: b.source, origin: b.origin ?? null, sha256: b.sha256 };
}

async function varzOf(httpPort: number): Promise<Record<string, unknown> | null> {
	const res = await monitoringGetJson(`http://127.0.0.1:${httpPort}/varz`, 3000).catch(() => null);
	const body = res?.status === 200 ? res.body : null;
	return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : null;
}

/** Go's time.Duration in JSON is nanoseconds. */
function goDuration(ns: unknown): string | null {
	return typeof ns === 'number' ? `${ns / 1e9}s` : null;
}

/** The --config settings /varz shows: expected vs running. */
function varzChecks(options: ServerOptions, varz: Record<string, unknown>): RunFacts['varzChecks'] {
	const js = (varz.jetstream as { config?: Record<string, unknown> } | undefined)?.config ?? {};
	const shown: Record<string, { running: unknown; as: 'bytes' | 'duration' | 'count' }> = {
		max_payload: { running: varz.max_payload, as: 'bytes' },
		max_pending: { running: varz.max_pending, as: 'bytes' },
		max_connections: { running: varz.max_connections, as: 'count' },
		ping_interval: { running: varz.ping_interval, as: 'duration' },
		ping_max: { running: varz.ping_max, as: 'count' },
		'jetstream.max_memory_store': { running: js.max_memory, as: 'bytes' },
		'jetstream.max_file_store': { running: js.max_storage, as: 'bytes' },
	};
	const checks: RunFacts['varzChecks'] = [];
	for (const [key, value] of Object.entries(options)) {
		const s = shown[key];
		if (!s || value === undefined || s.running === undefined) continue;
		let expected: number | null;
		let running: number | null;
		if (s.as === 'duration') {
			expected = durationOptionMs(value);
			running = typeof s.running === 'number' ? s.running / 1e6 : null;
		} else {
			expected = s.as === 'bytes' ? sizeBytes(value) : Number(value);
			running = typeof s.running === 'number' ? s.running : null;
		}
		checks.push({
			key,
			expected: String(value),
			running: s.as === 'duration' && running !== null ? `${running / 1000}s` : String(s.running),
			ok: expected !== null && expected === running,
		});
	}
	return checks;
}

/** Read while the servers run (the upgraded ones: these are the settings the last of them ran with). */
export async function collectRunFacts(opts: {
	inputs: RunInputs;
	versions: string[];
	node: NodeName;
	httpPort: number;
	workspace: string;
	env: NodeJS.ProcessEnv;
}): Promise<RunFacts> {
	const { inputs } = opts;
	const binaries: BinaryFacts[] = [];
	for (const v of [...new Set(opts.versions)]) {
		try {
			binaries.push(await binaryFacts(v, opts.env));
		} catch {
			binaries.push({ version: v, source: 'unknown', origin: null, sha256: 'unknown' });
		}
	}
	const varz = await varzOf(opts.httpPort);
	const fromVarz = varz ? [goDuration(varz.lame_duck_duration), goDuration(varz.lame_duck_grace_period)] : [];
	let lameDuck: RunFacts['lameDuck'] = null;
	if (fromVarz[0] && fromVarz[1]) {
		lameDuck = { duration: fromVarz[0], gracePeriod: fromVarz[1], from: 'varz' };
	} else {
		const ld = lameDuckSettings(inputs.config?.options ?? {});
		lameDuck = { duration: ld.duration, gracePeriod: ld.grace, from: 'config' };
	}
	const options = inputs.config?.options ?? {};
	return {
		natslabVersion: natslabVersion(),
		nodeCount: inputs.nodeCount,
		binaries,
		lameDuck,
		config: inputs.config
			? {
					file: inputs.config.file,
					applied: options as Record<string, string | number | boolean>,
					overridden: inputs.config.overridden.map((o) => `${o.key} (line ${o.line})`),
				}
			: null,
		varzChecks: varz ? varzChecks(options, varz) : [],
		streamsFile: inputs.streams?.file ?? null,
		unsupportedFields: inputs.streams?.unsupported ?? [],
		load: inputs.load,
		clientOptions: inputs.clientOptions as Record<string, number | boolean> | null,
	};
}
