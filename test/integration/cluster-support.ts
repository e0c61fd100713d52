// Evidence helpers for the cluster integration tests: what the kernel, the
// monitoring endpoints and the node log files say. No fixed sleeps: every wait
// polls a condition with a generous deadline.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeName, ProcessEvent } from '../../src/base/names.js';
import { waitUntil as waitUntilBase } from '../../src/base/wait.js';
import type { Cluster } from '../../src/cluster/cluster.js';
import { choosePorts, nodeNames } from '../../src/cluster/ports.js';
import { processState } from '../../src/cluster/process-info.js';
import { routedToEachOther } from '../../src/cluster/readiness.js';
import { clusterCommand } from '../../src/commands/cluster.js';
import { reportFailure } from '../../src/commands/report.js';
import { monitoringGetJson as httpGet } from '../../src/monitoring/http.js';
import { metaLeaderOf } from '../../src/monitoring/normalize.js';
import { binaryFor } from '../support/binaries.js';

export const asyncBinaryFor = async (version: string): Promise<string> => binaryFor(version);

/**
 * `natslab cluster …` in-process with `env` (its own NATSLAB_HOME); a failure goes to the
 * command line's one handler, as in the real command.
 */
export function clusterCli(env: NodeJS.ProcessEnv) {
	return async (...args: string[]): Promise<{ code: number; out: string; err: string }> => {
		let out = '';
		let err = '';
		const io = {
			stdout: { write: (s: string) => (out += s) },
			stderr: { write: (s: string) => (err += s) },
			env,
		};
		const code = await clusterCommand(args, io, { binaryFor: asyncBinaryFor }).catch((e: unknown) =>
			reportFailure(e, io as unknown as Parameters<typeof reportFailure>[1]),
		);
		return { code, out, err };
	};
}

export function hasBinary(version: string): boolean {
	try {
		return existsSync(binaryFor(version));
	} catch {
		return false;
	}
}

/** Test blocks lie this far apart (test/support/ports.ts). */
const TEST_BLOCK_STEP = 20;
const TEST_BLOCK_TRIES = 5;

/**
 * A free port block at `from`, else at the next test block (20 up), a few times. Test ports
 * (20000-21999, with their offsets up to 25999) lie below Linux's ephemeral range, but a leftover of
 * an earlier run can hold one: search, by the test blocks' spacing so that a busy block moves onto
 * another block's base and never straddles two (the product's BLOCK_STEP is 25). `proxied`: the
 * caller starts proxied links, so their proxy ports (B+3000…) must be free too.
 */
export async function freeBase(
	from: number,
	opts: { proxied?: boolean; nodes?: 3 | 5 } = {},
): Promise<number> {
	const nodes = nodeNames(opts.nodes ?? 3);
	let busy: unknown;
	for (let i = 0; i < TEST_BLOCK_TRIES; i++) {
		const base = from + i * TEST_BLOCK_STEP;
		try {
			return (await choosePorts({ nodes, explicitBase: base, searchFrom: base, proxied: opts.proxied })).base;
		} catch (err) {
			busy = err;
		}
	}
	throw new Error(
		`no free test port block from ${from} (${TEST_BLOCK_TRIES} blocks ${TEST_BLOCK_STEP} apart)`,
		{
			cause: busy,
		},
	);
}

export function tempState(label: string): string {
	return mkdtempSync(join(tmpdir(), `natslab-${label}-`));
}

/** Dead = gone, or a zombie waiting for its parent (PID 1 here reaps late). */
export function isDead(pid: number): boolean {
	const s = processState(pid);
	return s === 'gone' || s === 'zombie';
}

export function waitUntil<T>(
	probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
	what: string,
	timeoutMs = 30_000,
	stepMs = 50,
): Promise<T> {
	return waitUntilBase(async () => (await probe()) ?? undefined, {
		timeoutMs,
		everyMs: stepMs,
		describe: () => `timed out after ${timeoutMs} ms waiting for ${what}`,
	});
}

export async function jsz(httpUrl: string): Promise<Record<string, unknown>> {
	const a = await httpGet(`${httpUrl}/jsz`, 2000);
	return a.body as Record<string, unknown>;
}

export async function metaLeaderSeenBy(httpUrl: string): Promise<string | null> {
	try {
		return metaLeaderOf(await jsz(httpUrl));
	} catch {
		return null;
	}
}

/** Distinct route peers in /routez, by remote_id (2.10+ lists 4 connections per peer). */
export async function routePeerIds(httpUrl: string): Promise<Set<string>> {
	const a = await httpGet(`${httpUrl}/routez`, 2000);
	const routes = ((a.body as { routes?: { remote_id?: string }[] }).routes ?? []).map(
		(r) => r.remote_id ?? '',
	);
	return new Set(routes.filter((id) => id !== ''));
}

export async function varzVersion(httpUrl: string): Promise<string> {
	const a = await httpGet(`${httpUrl}/varz`, 2000);
	return String((a.body as { version?: string }).version);
}

/**
 * The named server condition `no-meta-election` (docs/nats-behavior.md §8; src/observe/diagnoses.ts
 * names it in a lab) read from outside one: every member's /jsz names no meta leader while each
 * member's /routez lists every other member. The evidence as one line, or null when that is not
 * what the servers say (then a missing leader is a failure like any other).
 */
export async function noMetaElection(cluster: Cluster, members: readonly NodeName[]): Promise<string | null> {
	if (members.length < 2) return null;
	const targets = members.map((name) => ({ name, httpUrl: cluster.httpUrl(name) }));
	for (const t of targets) if ((await metaLeaderSeenBy(t.httpUrl)) !== null) return null;
	if (!(await routedToEachOther(targets))) return null;
	return members
		.map((m) => `${m} /jsz: no meta leader · /routez: ${members.filter((o) => o !== m).join(', ')}`)
		.join('; ');
}

/**
 * An agreed meta leader among the running, unpaused nodes within `timeoutMs`; where instead
 * `members` are routed to each other and elect none (the named `no-meta-election`), logs the
 * evidence, restarts `remedy` (the diagnosis's hint: a fresh start begins a new election) and waits
 * once more. Any other timeout fails as before.
 */
export async function waitForMetaLeaderOrNamedStall(
	cluster: Cluster,
	opts: { members: readonly NodeName[]; remedy: NodeName; timeoutMs: number; label: string },
): Promise<NodeName> {
	try {
		return await cluster.waitForMetaLeader(opts.timeoutMs);
	} catch (err) {
		const evidence = await noMetaElection(cluster, opts.members);
		if (evidence === null) throw err;
		console.log(
			`[${opts.label}] diagnosis no-meta-election (${evidence}): restarting ${opts.remedy}, as its hint says`,
		);
		await cluster.restart(opts.remedy);
		return cluster.waitForMetaLeader(opts.timeoutMs);
	}
}

export function readLog(file: string): string {
	return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

export function waitForLog(file: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
	return waitUntil(
		() =>
			readLog(file)
				.split('\n')
				.find((l) => pattern.test(l)),
		`${pattern} in ${file}`,
		timeoutMs,
	);
}

/** Records ProcessEvents so tests can assert what the cluster layer reported. */
export class EventLog {
	readonly events: ProcessEvent[] = [];
	readonly notices: string[] = [];
	onEvent = (e: ProcessEvent): void => {
		this.events.push(e);
	};
	onNotice = (m: string): void => {
		this.notices.push(m);
	};
	of(node: string, type: ProcessEvent['type']): ProcessEvent[] {
		return this.events.filter((e) => e.node === node && e.type === type);
	}
	exitOf(pid: number): Promise<Extract<ProcessEvent, { type: 'exited' }>> {
		return waitUntil(
			() =>
				this.events.find(
					(e): e is Extract<ProcessEvent, { type: 'exited' }> => e.type === 'exited' && e.pid === pid,
				),
			`exit event of pid ${pid}`,
		);
	}
}
