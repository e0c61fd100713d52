// Before `natslab learn --auto --quiet` starts anything: are the ports the
// course will bind free, and is every nats-server it needs already in the
// cache? At a workshop a laptop without network cannot download a binary, and
// a port held by a forgotten cluster fails the first lesson after a minute; both
// are better said at once, each with the command that fixes it.

import { DEFAULT_BASE_PORT, DEFAULT_NODES } from '../base/names.js';
import {
	BLOCK_STEP,
	chooseLaneBases,
	choosePorts,
	firstBusyPort,
	layout,
	type PortProbe,
} from '../cluster/ports.js';
import { verifyCached } from '../servers/index.js';
import type { Lesson } from './load.js';
import { labVersionsFor, type VersionChoice } from './run-lab.js';

export interface PrecheckProblem {
	kind: 'port' | 'binary';
	/** What is wrong: "port 14222 (n1 client) is in use on 127.0.0.1". */
	text: string;
	/** What to do about it: "--base-port 14232", "natslab servers install 2.9.10". */
	fix: string;
}

export interface PrecheckOptions {
	lessons: readonly Lesson[];
	choice: VersionChoice;
	/** --base-port as given; without it the lab searches up from the default block. */
	basePort?: number;
	/** `--jobs N`: N clusters side by side, each on its own port block (default 1). */
	lanes?: number;
	env: NodeJS.ProcessEnv;
	/** How to tell a free port (default: bind it on 127.0.0.1, as the lab will). */
	isFree?: PortProbe;
}

/** One line for a person: "port 14222 (n1 client) is in use on 127.0.0.1 → --base-port 14232". */
export function problemLine(p: PrecheckProblem): string {
	return `${p.text} → ${p.fix}`;
}

/** Every problem found, ports first; empty when the course can start. Downloads nothing, binds nothing for long. */
export async function precheck(opts: PrecheckOptions): Promise<PrecheckProblem[]> {
	const ports = await portProblem(opts);
	const binaries = await binaryProblems(opts);
	return [...(ports ? [ports] : []), ...binaries];
}

/** The versions the chosen lessons start, each once, in course order (an upgrade's target included). */
export function versionsNeeded(lessons: readonly Lesson[], choice: VersionChoice): string[] {
	const all = lessons.flatMap((l) => {
		const { version, upgradeTo } = labVersionsFor(l, choice);
		return upgradeTo ? [version, upgradeTo] : [version];
	});
	return [...new Set(all)];
}

async function binaryProblems(opts: PrecheckOptions): Promise<PrecheckProblem[]> {
	const problems: PrecheckProblem[] = [];
	// A lesson on its own version (versions.fallback) is skipped when that binary cannot be had, so a
	// laptop without it is still ready for the course: only the others' versions must be cached.
	const required = opts.lessons.filter((l) => !labVersionsFor(l, opts.choice).ownVersion);
	for (const version of versionsNeeded(required, opts.choice)) {
		const fix = `natslab servers install ${version}`;
		const cached = await verifyCached(version, opts.env);
		if (!cached) problems.push({ kind: 'binary', text: `nats-server ${version} is not installed`, fix });
		else if (cached.state === 'corrupt')
			problems.push({
				kind: 'binary',
				text: `nats-server ${version} in the cache is damaged (${cached.problem})`,
				fix,
			});
	}
	return problems;
}

/**
 * The lab's own port rule (cluster/ports.ts): an explicit base must be free as a whole;
 * without one the lab moves up a block at a time, so only finding no free block is a problem.
 */
async function portProblem(opts: PrecheckOptions): Promise<PrecheckProblem | null> {
	const nodes = DEFAULT_NODES;
	const lanes = opts.lanes ?? 1;
	// A lesson with `links: proxied` (lesson 10) also binds the link proxies' ports.
	const proxied = opts.lessons.some((l) => l.links === 'proxied');
	if (opts.basePort === undefined) {
		try {
			if (lanes > 1)
				await chooseLaneBases({ nodes, lanes, searchFrom: DEFAULT_BASE_PORT, isFree: opts.isFree, proxied });
			else await choosePorts({ nodes, searchFrom: DEFAULT_BASE_PORT, isFree: opts.isFree, proxied });
			return null;
		} catch (err) {
			const text = err instanceof Error ? err.message : String(err);
			return { kind: 'port', text, fix: '--base-port N with free ports N..N+2, N+2000.., N+4000..' };
		}
	}
	// Side by side (--jobs), the lanes' blocks as runAuto takes them (a base whose last lane ends
	// above 65535 is the same usage error, before anything starts).
	const bases = await chooseLaneBases({
		nodes,
		lanes,
		explicitBase: opts.basePort,
		searchFrom: opts.basePort,
	});
	for (const base of bases) {
		const busy = await firstBusyPort(layout(base, nodes), opts.isFree, proxied ? base : undefined);
		if (busy)
			return {
				kind: 'port',
				text: `port ${busy.port} (${busy.label}) is in use on 127.0.0.1`,
				fix: await freeBaseAbove(opts.basePort, lanes, opts.isFree, proxied),
			};
	}
	return null;
}

/** A base port whose whole block is free right now, above a busy one; said as the option to type. */
async function freeBaseAbove(
	base: number,
	lanes: number,
	isFree?: PortProbe,
	proxied = false,
): Promise<string> {
	try {
		const [free] = await chooseLaneBases({
			nodes: DEFAULT_NODES,
			lanes,
			searchFrom: base + BLOCK_STEP,
			isFree,
			proxied,
		});
		return `--base-port ${free}`;
	} catch {
		return 'free it, or choose another --base-port';
	}
}
