// `natslab sandbox`: the dashboard on a fresh three-node cluster with the client
// probes running and no lesson — free play for engineers.

import { parseArgs } from 'node:util';
import {
	compareVersions,
	DEFAULT_FROM_VERSION,
	DEFAULT_TO_VERSION,
	normalizeVersion,
} from '../base/versions.js';
import type { CreateLabOptions } from '../lab/lab.js';
import type { Lab } from '../lab/types.js';
import type { ScreenIo } from '../ui/run.js';
import { showPlaceholder, terminalProblem } from '../ui/terminal.js';

const HELP = `natslab sandbox — the live dashboard on a fresh local 3-node cluster, no lesson

Usage: natslab sandbox [--version V] [--upgrade-to V2] [--base-port N]

  --version V       nats-server version the cluster starts on (default ${DEFAULT_FROM_VERSION})
  --upgrade-to V2   version the u key upgrades the selected node to
                    (default ${DEFAULT_TO_VERSION} when it is newer than --version)
  --base-port N     client ports N..N+2, routes N+2000.., monitoring N+4000..
                    (default 14222)

Keys: 1-3 select a node · r restart · s stop/start · k kill -9 · l lame duck ·
p pause/resume · u upgrade · tab panels · a logs all/one · ? help · q quit.
Quitting stops every server. Needs an interactive terminal.`;

export interface SandboxArgs {
	version: string;
	upgradeTo: string | null;
	basePort?: number;
	help: boolean;
}

/** Parsed arguments, or a one-line problem. */
export function parseSandboxArgs(args: string[]): SandboxArgs | { error: string } {
	let values: { version?: string; 'upgrade-to'?: string; 'base-port'?: string; help?: boolean };
	try {
		({ values } = parseArgs({
			args,
			options: {
				version: { type: 'string' },
				'upgrade-to': { type: 'string' },
				'base-port': { type: 'string' },
				help: { type: 'boolean', short: 'h' },
			},
			strict: true,
			allowPositionals: false,
		}));
	} catch (err) {
		return { error: err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err) };
	}
	if (values.help) return { version: DEFAULT_FROM_VERSION, upgradeTo: null, help: true };
	const version = values.version === undefined ? DEFAULT_FROM_VERSION : normalizeVersion(values.version);
	if (!version)
		return { error: `--version ${values.version}: not a nats-server release version like 2.10.27` };
	let upgradeTo: string | null;
	if (values['upgrade-to'] === undefined) {
		upgradeTo = compareVersions(DEFAULT_TO_VERSION, version) > 0 ? DEFAULT_TO_VERSION : null;
	} else {
		upgradeTo = normalizeVersion(values['upgrade-to']);
		if (!upgradeTo)
			return {
				error: `--upgrade-to ${values['upgrade-to']}: not a nats-server release version like 2.10.27`,
			};
		if (upgradeTo === version)
			return { error: `--upgrade-to ${upgradeTo} is the version the cluster starts on` };
	}
	let basePort: number | undefined;
	if (values['base-port'] !== undefined) {
		basePort = Number(values['base-port']);
		// The monitoring ports go up to base + 4002.
		if (!Number.isInteger(basePort) || basePort < 1024 || basePort + 4002 > 65535) {
			return { error: `--base-port ${values['base-port']}: needs a whole number from 1024 to 61533` };
		}
	}
	return { version, upgradeTo, basePort, help: false };
}

export async function sandboxCommand(
	args: string[],
	io: ScreenIo,
	deps: { createLab?: (opts: CreateLabOptions) => Promise<Lab> } = {},
): Promise<number> {
	const parsed = parseSandboxArgs(args);
	if ('error' in parsed) {
		io.stderr.write(`natslab sandbox: ${parsed.error} (see natslab sandbox --help)\n`);
		return 2;
	}
	if (parsed.help) {
		io.stdout.write(`${HELP}\n`);
		return 0;
	}
	// Something on screen at once: loading Ink and React takes ~0.6 s.
	if (!terminalProblem(io)) showPlaceholder(io.stdout, 'natslab sandbox · loading the screen…');
	// React's development build costs about twice the CPU per frame; it is chosen when
	// React is first loaded, which is why the screen is imported only now.
	process.env.NODE_ENV ??= 'production';
	const { runScreen } = await import('../ui/run.js');
	return runScreen({
		mode: 'sandbox',
		source: 'sandbox',
		io,
		createLab: deps.createLab,
		lab: {
			version: parsed.version,
			upgradeTo: parsed.upgradeTo,
			basePort: parsed.basePort,
			workspace: 'sandbox',
			probes: [{ kind: 'core' }, { kind: 'jetstream' }],
		},
	});
}
