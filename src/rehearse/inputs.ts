// The files that give a rehearsal the shape of the user's cluster, read and
// checked before anything is fetched or started: a bad one is one line naming
// FILE:LINE or the JSON path, exit 2.

import { readClientOptions } from './client-options.js';
import { readConfigFragment } from './config-fragment.js';
import type { RehearseOptions } from './options.js';
import type { RunInputs } from './run-facts.js';
import { parseStreamsFile, readStreamsFile } from './streams-file.js';

/**
 * --nodes 5 without --streams: beside the lab stream (R3) an R5 stream, so the rehearsal shows
 * both replica counts a 5-node cluster runs, each on a quorum of its own (2 of 3, 3 of 5).
 */
const R5_STREAM = { name: 'R5', subjects: ['rehearse.r5.>'], num_replicas: 5, storage: 'file' };
const R5_SOURCE = "natslab's R5 stream for --nodes 5";

export function loadRunInputs(
	opts: Pick<RehearseOptions, 'nodes' | 'streamsFile' | 'configFile' | 'clientOptionsFile' | 'rate' | 'size'>,
): RunInputs {
	const streams = opts.streamsFile
		? readStreamsFile(opts.streamsFile, opts.nodes)
		: opts.nodes === 5
			? parseStreamsFile(JSON.stringify(R5_STREAM), R5_SOURCE, 5)
			: null;
	return {
		nodeCount: opts.nodes,
		config: opts.configFile ? readConfigFragment(opts.configFile) : null,
		streams,
		load: streams ? { rate: opts.rate, sizeBytes: opts.size } : null,
		clientOptions: opts.clientOptionsFile ? readClientOptions(opts.clientOptionsFile) : null,
	};
}

/** Lines for stderr before the run: what the files changed that the user should know at once. */
export function inputNotices(inputs: RunInputs): string[] {
	const out: string[] = [];
	for (const o of inputs.config?.overridden ?? [])
		out.push(`--config: ${o.key} (line ${o.line}) is natslab's to set on a lab cluster: yours was not used`);
	if (inputs.streams && inputs.streams.unsupported.length > 0)
		out.push(`--streams: not reproduced on the lab cluster: ${inputs.streams.unsupported.join(', ')}`);
	return out;
}
