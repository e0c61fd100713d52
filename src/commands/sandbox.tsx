// `natslab sandbox`: the dashboard on a fresh three-node cluster with the client
// probes running and no lesson — free play for engineers.

import { commandHelp, parseOptions, parseVersionValue, usageError, valueOption } from '../base/options.js';
import { compareVersions, DEFAULT_FROM_VERSION, DEFAULT_TO_VERSION } from '../base/versions.js';
import { LINKS_OPTION, type LinksMode } from '../cluster/links/pairs.js';
import { BASE_PORT_OPTION, NODES_OPTION } from '../cluster/ports.js';
import { closeRecorder, recordedCreateLab, terminalSize } from '../record/recorded-lab.js';
import { createLabWithWarning } from '../rehearse/pair-notice.js';
import { sandboxPairWarning, sandboxPairWarningShort } from '../rehearse/version-pair.js';
import type { ScreenIo } from '../ui/run.js';
import { showPlaceholder, terminalProblem } from '../ui/terminal.js';
import { startLabEarly } from './early-lab.js';
import { type CreateLab, createLabLazily } from './engine.js';

const OPTIONS = {
	version: valueOption(
		'V',
		'nats-server version the cluster starts on',
		parseVersionValue,
		DEFAULT_FROM_VERSION,
	),
	'upgrade-to': valueOption(
		'V2',
		`version the u key upgrades the selected node to\n(default ${DEFAULT_TO_VERSION} when it is newer than --version)`,
		parseVersionValue,
	),
	'base-port': BASE_PORT_OPTION,
	nodes: NODES_OPTION,
	links: LINKS_OPTION,
	record: valueOption('FILE', 'record what the screen shows (.gz: gzipped) for natslab replay'),
};

export const SANDBOX_HELP = commandHelp(
	`natslab sandbox — the live dashboard on a fresh local cluster (3 or 5 nodes), no lesson

Usage: natslab sandbox [--version V] [--upgrade-to V2] [--base-port N] [--nodes 3|5] [--links proxied]
                       [--record FILE]`,
	OPTIONS,
	`Keys: 1-3 select a node (1-5 with --nodes 5) · r restart · s stop/start ·
k kill -9 · l lame duck · p pause/resume · u upgrade · tab panels ·
a logs all/one · ? help · q quit.
Quitting stops every server. Needs an interactive terminal.`,
);

export interface SandboxArgs {
	version: string;
	upgradeTo: string | null;
	basePort?: number;
	/** --nodes 5: n1..n5 (default n1..n3). */
	nodes?: string[];
	/** 'proxied': the servers route through natslab's pair proxies (links can be cut). */
	links?: LinksMode;
	/** --record: where the recording goes (docs/recording.md). */
	record?: string;
	help: boolean;
}

/** Parsed arguments; bad input throws one UserError line (exit 2). */
export function parseSandboxArgs(args: string[]): SandboxArgs {
	const { values, help } = parseOptions('sandbox', OPTIONS, args, { maxPositionals: 0 });
	const version = values.version ?? DEFAULT_FROM_VERSION;
	let upgradeTo = values['upgrade-to'] ?? null;
	if (upgradeTo === null) {
		upgradeTo = compareVersions(DEFAULT_TO_VERSION, version) > 0 ? DEFAULT_TO_VERSION : null;
	} else if (upgradeTo === version) {
		throw usageError('sandbox', `--upgrade-to ${upgradeTo} is the version the cluster starts on`);
	}
	return {
		version,
		upgradeTo,
		basePort: values['base-port'],
		nodes: values.nodes,
		links: values.links,
		record: values.record,
		help,
	};
}

export async function sandboxCommand(
	args: string[],
	io: ScreenIo,
	deps: { createLab?: CreateLab } = {},
): Promise<number> {
	const parsed = parseSandboxArgs(args);
	if (parsed.help) {
		io.stdout.write(`${SANDBOX_HELP}\n`);
		return 0;
	}
	// React's development build costs about twice the CPU per frame; it is chosen when
	// React is first loaded (the screen, imported below).
	process.env.NODE_ENV ??= 'production';
	const problem = terminalProblem(io);
	// Something on screen at once: loading Ink and React takes ~0.6 s.
	if (!problem) showPlaceholder(io.stdout, 'natslab sandbox · loading the screen…');
	const recorder = parsed.record ? await openRecorder(parsed.record, io) : null;
	// A downgrade through u gets a warning line on the screen (setup view, then the timeline).
	const warning = sandboxPairWarning(parsed.version, parsed.upgradeTo);
	const create = createLabWithWarning(
		recorder
			? recordedCreateLab(deps.createLab ?? createLabLazily, recorder)
			: (deps.createLab ?? createLabLazily),
		warning,
	);
	const lab = {
		version: parsed.version,
		upgradeTo: parsed.upgradeTo,
		basePort: parsed.basePort,
		nodes: parsed.nodes,
		links: parsed.links,
		workspace: 'sandbox',
		probes: [{ kind: 'core' as const }, { kind: 'jetstream' as const }],
		// The dashboard as soon as the servers run: it shows their election as they report it.
		upWhen: 'running' as const,
	};
	// The servers start while the screen loads (./early-lab.ts); without a terminal
	// runScreen refuses before any server starts. A warning stays on the dashboard's status line
	// (the timeline's note of it scrolls away under the cluster's first events).
	const early = problem ? null : startLabEarly((hooks) => create({ ...lab, ...hooks }), io.env);
	try {
		await early?.spawning();
		const { runScreen } = await import('../ui/run.js');
		return await runScreen({
			mode: 'sandbox',
			source: 'sandbox',
			io,
			versions: [lab.version, ...(lab.upgradeTo ? [lab.upgradeTo] : [])],
			createLab: early ? early.createLab : (hooks) => create({ ...lab, ...hooks }),
			onKey: recorder?.key,
			labUpNow: early?.upNow,
			warning: warning
				? { text: warning, short: sandboxPairWarningShort(lab.version, lab.upgradeTo) ?? undefined }
				: undefined,
		});
	} finally {
		await early?.discard();
		await closeRecorder(recorder, io);
	}
}

async function openRecorder(file: string, io: ScreenIo) {
	const { Recorder } = await import('../record/recorder.js');
	return Recorder.open(file, { command: 'sandbox', mode: 'sandbox', terminal: terminalSize(io.stdout) });
}
