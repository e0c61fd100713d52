// The files that give a rehearsal the shape of the user's cluster, read and
// checked before anything is fetched or started: a bad one is one line naming
// FILE:LINE or the JSON path, exit 2.

import { readClientOptions } from './client-options.js';
import { readConfigFragment } from './config-fragment.js';
import type { RehearseOptions } from './options.js';
import type { RunInputs } from './run-facts.js';
import { readStreamsFile } from './streams-file.js';

export function loadRunInputs(
	opts: Pick<RehearseOptions, 'nodes' | 'streamsFile' | 'configFile' | 'clientOptionsFile' | 'rate' | 'size'>,
): RunInputs {
	const streams = opts.streamsFile ? readStreamsFile(opts.streamsFile, opts.nodes) : null;
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
