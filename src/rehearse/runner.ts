// One rehearsal, start to finish: a fresh cluster on the old version with
// clients publishing, a healthy baseline, node-by-node upgrade with gates, the
// JetStream verifier, and the report. Whatever happens, the cluster is shut
// down (or, with keep and a pass, released as a `natslab cluster up` cluster).

import { UserError } from '../base/errors.js';
import { LAB_STREAM, type NodeName } from '../base/names.js';
import { nodeNames } from '../cluster/ports.js';
import type { CreateLabOptions } from '../lab/lab.js';
import type { Lab } from '../lab/types.js';
import type { VerifyResult } from '../observe/events.js';
import { healthyFor } from '../observe/selectors.js';
import { verifySummary } from '../observe/verify-text.js';
import { stepProgressLine } from './figures.js';
import { evaluateNode } from './gates.js';
import { buildReport } from './report.js';
import { collectRunFacts, type RunInputs } from './run-facts.js';
import { onSetupOnce } from './setup-lines.js';
import type { GateSettings, Order, RehearsalReport, StepRecord, Strategy } from './types.js';
import { nextNode, upgradeNode } from './upgrade-step.js';
import { startUserLoad, type UserLoad, verifyUserStreams } from './user-streams.js';
import { abortable, gatedPhase, pause, RehearsalAborted, WaitTimeout, waitFor } from './wait.js';

export interface RunSettings {
	from: string;
	to: string;
	strategy: Strategy;
	order: Order;
	gates: GateSettings;
	basePort?: number;
	/** Leave the cluster running afterwards (only when the verdict is pass). */
	keep: boolean;
	/** The shape of the user's cluster: size, settings, streams and load, client options. */
	inputs: RunInputs;
}

export interface RunDeps {
	createLab: (opts: CreateLabOptions) => Promise<Lab>;
	progress: (line: string) => void;
	signal: AbortSignal;
	env: NodeJS.ProcessEnv;
}

/** Client traffic kept flowing after the last gate, so late failures still count. */
const SETTLE_MS = 2_000;
export const REHEARSE_WORKSPACE = 'rehearse';
export const KEEP_WORKSPACE = 'default';

function messageOf(err: unknown): string {
	return err instanceof Error ? err.message : String(err);
}

/** Every node passes every gate (health stable), and both kinds of client are getting through. */
async function waitForBaseline(
	lab: Lab,
	s: RunSettings,
	signal: AbortSignal,
	load: UserLoad | null,
): Promise<void> {
	// The clients start behind createLab: if they could not, say so now, not at the gate's timeout.
	try {
		await abortable(lab.probesReady?.() ?? Promise.resolve(), signal);
	} catch (err) {
		if (err instanceof RehearsalAborted) throw err;
		throw new WaitTimeout(`the clients did not start: ${messageOf(err)}`);
	}
	let missing = 'no state yet';
	await waitFor(
		lab,
		(state, now) => {
			const problems: string[] = [];
			for (const node of state.cluster.order) {
				const g = evaluateNode(state, node, { version: s.from, streams: [LAB_STREAM] });
				if (g.missing.length > 0) problems.push(`${node}: ${g.missing.join(', ')}`);
				else if (!healthyFor(state, node, s.gates.stableMs, now))
					problems.push(`${node}: /healthz not stable yet`);
			}
			const probes = state.clients.probes;
			if ((probes['js-pub']?.acked ?? 0) === 0) problems.push('no JetStream publish acked yet');
			if ((probes['core-sub']?.received ?? 0) === 0) problems.push('no core message received yet');
			const waiting = (load?.ackedPerStream() ?? []).flatMap((acked, i) =>
				acked === 0 ? [s.inputs.streams?.streams[i]?.name ?? '?'] : [],
			);
			if (waiting.length > 0) problems.push(`no publish acked yet on ${waiting.join(', ')}`);
			missing = problems.join('; ');
			return problems.length === 0 ? true : undefined;
		},
		{
			timeoutMs: s.gates.gateTimeoutMs,
			signal,
			describe: () => `the fresh ${s.from} cluster never became healthy with clients flowing: ${missing}`,
		},
	);
}

async function verifyJetStream(
	lab: Lab,
	signal: AbortSignal,
): Promise<{ result: VerifyResult | null; error: string | null }> {
	try {
		await abortable(lab.stopProbes(), signal);
		return { result: await abortable(lab.verify(), signal), error: null };
	} catch (err) {
		if (err instanceof RehearsalAborted) throw err;
		return { result: null, error: `JetStream verifier: ${messageOf(err)}` };
	}
}

export async function runRehearsal(s: RunSettings, deps: RunDeps): Promise<RehearsalReport> {
	const { progress, signal } = deps;
	const startedAt = Date.now();
	const steps: StepRecord[] = [];
	let failure: string | null = null;
	let verify: VerifyResult | null = null;
	let initialVersions: Record<NodeName, string | null> = {};

	progress(`rehearsal (${s.strategy}): ${s.inputs.nodeCount} × nats-server ${s.from} → ${s.to}`);
	const probeOptions = s.inputs.clientOptions ? { options: s.inputs.clientOptions } : {};
	// createLab resolves both binaries before it starts anything (SetupEvent 'binary' cached/ready).
	const obtained = new Set<string>();
	const onSetup = onSetupOnce(progress);
	let lab: Lab;
	try {
		lab = await deps.createLab({
			version: s.from,
			upgradeTo: s.to,
			workspace: s.keep ? KEEP_WORKSPACE : REHEARSE_WORKSPACE,
			detached: s.keep,
			basePort: s.basePort,
			nodes: nodeNames(s.inputs.nodeCount),
			...(s.inputs.config ? { serverOptions: s.inputs.config.options } : {}),
			probes: [
				{ kind: 'core', ...probeOptions },
				{ kind: 'jetstream', ...probeOptions },
			],
			onSetup: (e) => {
				if (e.type === 'binary' && (e.phase === 'cached' || e.phase === 'ready')) obtained.add(e.version);
				onSetup(e);
			},
			env: deps.env,
			signal,
		});
	} catch (err) {
		if (signal.aborted) throw new RehearsalAborted();
		// A version that cannot be had (or a corrupt cached one): nothing ran, so no report, one line.
		if (!obtained.has(s.from) || !obtained.has(s.to))
			throw new UserError(`rehearsal not started: ${messageOf(err)}`, { cause: err });
		const report = buildReport({
			...s,
			startedAt,
			endedAt: Date.now(),
			steps,
			state: null,
			initialVersions,
			verify: null,
			failure: `setup: ${messageOf(err)}`,
		});
		return report;
	}

	const first = lab.getState();
	initialVersions = Object.fromEntries(
		first.cluster.order.map((n) => [n, first.cluster.nodes[n]?.version ?? null]),
	);
	let passed = false;
	let load: UserLoad | null = null;
	try {
		try {
			load = await startUserLoad(lab, s.inputs, progress);
		} catch (err) {
			failure = `setup: ${messageOf(err)}`;
		}
		failure = await gatedPhase(
			failure,
			() => waitForBaseline(lab, s, signal, load),
			() =>
				progress(
					`baseline: every node healthy, meta leader ${lab.getState().cluster.meta.leader}, clients publishing`,
				),
		);

		const remaining = [...lab.getState().cluster.order];
		const total = remaining.length;
		while (failure === null && remaining.length > 0) {
			const node = nextNode(lab.getState(), remaining, s.order) as NodeName;
			remaining.splice(remaining.indexOf(node), 1);
			const role = lab.getState().cluster.meta.leader === node ? 'meta leader' : 'follower';
			progress(`step ${steps.length + 1}/${total}: ${node} (${role}) → ${s.to}, ${s.strategy}`);
			const record = await upgradeNode(
				{
					lab,
					strategy: s.strategy,
					toVersion: s.to,
					streams: [LAB_STREAM],
					gates: s.gates,
					signal,
					progress,
				},
				node,
			);
			steps.push(record);
			progress(stepProgressLine(record, s.gates.stableMs));
			if (record.failure) progress(`${node}: FAILED: ${record.failure.reason}`);
			if (record.failure) break;
		}

		if (failure === null && steps.every((r) => r.failure === null)) await pause(SETTLE_MS, signal);
		await load?.stop();
		progress('verifying every acked JetStream message is in the stream…');
		const checked = await verifyJetStream(lab, signal);
		verify = checked.result;
		if (checked.error && failure === null) failure = checked.error;
		if (verify) {
			progress(`verified: ${verifySummary(verify)}`);
		}
		const userStreams = load ? await abortable(verifyUserStreams(lab, load, progress), signal) : [];
		const ran = await collectRunFacts({
			inputs: s.inputs,
			versions: [s.from, s.to],
			node: lab.getState().cluster.order[0] as NodeName,
			httpPort: lab.ports(lab.getState().cluster.order[0] as NodeName).http,
			workspace: s.keep ? KEEP_WORKSPACE : REHEARSE_WORKSPACE,
			env: deps.env,
		});
		const report = buildReport({
			ran,
			userStreams,
			...s,
			startedAt,
			endedAt: Date.now(),
			steps,
			state: lab.getState(),
			initialVersions,
			verify,
			failure,
		});
		passed = report.verdict === 'pass';
		return report;
	} finally {
		await load?.stop().catch(() => {});
		if (s.keep && passed) {
			await lab.release();
			progress('cluster left running (workspace default): stop it with `natslab cluster down`');
		} else {
			await lab.shutdown();
			if (s.keep) progress('--keep: the rehearsal failed, so its cluster was stopped');
		}
	}
}
