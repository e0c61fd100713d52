// The files that give a rehearsal the shape of the user's cluster, read and
// checked before anything is fetched or started: a bad one is one line naming
// FILE:LINE or the JSON path, exit 2.

import { readFileSync } from 'node:fs';
import { EXIT, UserError } from '../base/errors.js';
import { sizeBytes } from '../cluster/config.js';
import { parseClientOptions } from './client-options.js';
import { parseConfigFragment } from './config-fragment.js';
import type { RehearseOptions } from './options.js';
import type { RunInputs } from './run-facts.js';
import { parseStreamsFile } from './streams-file.js';

/** A file the user named, as text; one usage line when it cannot be read. */
function readInput(flag: string, file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch (err) {
		throw new UserError(`${flag} ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? err})`, {
			exitCode: EXIT.usage,
			cause: err,
		});
	}
}

/**
 * --nodes 5 without --streams: beside the lab stream (R3) an R5 stream, so the rehearsal shows
 * both replica counts a 5-node cluster runs, each on a quorum of its own (2 of 3, 3 of 5).
 */
const R5_STREAM = { name: 'R5', subjects: ['rehearse.r5.>'], num_replicas: 5, storage: 'file' };
const R5_SOURCE = "natslab's R5 stream for --nodes 5";

/** nats-server's max_payload when the config leaves it out (1MB). */
const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
/**
 * Bytes every rehearsal publish adds to --size: its msgID header (`NATS/1.0`, `Nats-Msg-Id:
 * <run><i>-<n>`, about 50 bytes), which max_payload and max_msg_size count with the payload.
 */
const HEADER_ROOM = 64;

/** A --size no server would take is refused now: else every publish fails and is retried forever. */
function checkSizeFits(inputs: RunInputs): void {
	if (!inputs.load || !inputs.streams) return;
	const size = inputs.load.sizeBytes;
	const set = inputs.config?.options.max_payload;
	const limits = [
		set === undefined
			? {
					what: `the servers' default max_payload (1MB, ${DEFAULT_MAX_PAYLOAD} bytes)`,
					bytes: DEFAULT_MAX_PAYLOAD,
				}
			: { what: `max_payload ${set} of --config (${sizeBytes(set)} bytes)`, bytes: sizeBytes(set) ?? 0 },
	];
	for (const s of inputs.streams.streams) {
		const max = s.config.max_msg_size;
		if (typeof max === 'number' && max > 0)
			limits.push({ what: `stream ${s.name}'s max_msg_size ${max}`, bytes: max });
	}
	const tight = limits.find((l) => size + HEADER_ROOM > l.bytes);
	if (tight)
		throw new UserError(
			`--size ${size} does not fit ${tight.what}: each message also carries a msgID header (up to ${HEADER_ROOM} bytes), so every publish would be refused`,
			EXIT.usage,
		);
}

export function loadRunInputs(
	opts: Pick<RehearseOptions, 'nodes' | 'streamsFile' | 'configFile' | 'clientOptionsFile' | 'rate' | 'size'>,
): RunInputs {
	const streams = opts.streamsFile
		? parseStreamsFile(readInput('--streams', opts.streamsFile), opts.streamsFile, opts.nodes)
		: opts.nodes === 5
			? parseStreamsFile(JSON.stringify(R5_STREAM), R5_SOURCE, 5)
			: null;
	const inputs: RunInputs = {
		nodeCount: opts.nodes,
		config: opts.configFile
			? parseConfigFragment(readInput('--config', opts.configFile), opts.configFile)
			: null,
		streams,
		load: streams ? { rate: opts.rate, sizeBytes: opts.size } : null,
		clientOptions: opts.clientOptionsFile
			? parseClientOptions(readInput('--client-options', opts.clientOptionsFile), opts.clientOptionsFile)
			: null,
	};
	checkSizeFits(inputs);
	return inputs;
}

/** Lines for stderr before the run: what the files changed that the user should know at once. */
export function inputNotices(inputs: RunInputs): string[] {
	const out: string[] = [];
	for (const o of inputs.config?.overridden ?? [])
		out.push(`--config: ${o.key} (line ${o.line}) is natslab's to set on a lab cluster: yours was not used`);
	for (const d of inputs.config?.defaulted ?? [])
		out.push(
			`--config: ${d.key} is not in your file: the servers' default ${d.value} applies, as in production`,
		);
	if (inputs.streams && inputs.streams.unsupported.length > 0)
		out.push(`--streams: not reproduced on the lab cluster: ${inputs.streams.unsupported.join(', ')}`);
	return out;
}
