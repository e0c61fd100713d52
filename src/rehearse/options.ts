// `natslab rehearse` arguments → validated options, from one option table (the
// same table generates the help). Bad input is one UserError line (exit 2).

import { EXIT, UserError } from '../base/errors.js';
import {
	commandHelp,
	fileName,
	flag,
	oneOf,
	parseOptions,
	parseVersionValue,
	secondsBetween,
	usageError,
	valueOption,
} from '../base/options.js';
import { DEFAULT_FROM_VERSION, DEFAULT_TO_VERSION } from '../base/versions.js';
import { BASE_PORT_OPTION, NODES_OPTION } from '../cluster/ports.js';
import { DEFAULT_GATES, type GateSettings, type Order, STRATEGIES, type Strategy } from './types.js';

export interface RehearseOptions {
	help: boolean;
	from: string;
	to: string;
	strategies: Strategy[];
	compare: boolean;
	order: Order;
	json: boolean;
	reportFile: string | null;
	keep: boolean;
	basePort: number | undefined;
	gates: GateSettings;
	/** --to older than --from is refused without it (version-pair.ts). */
	allowDowngrade: boolean;
	nodes: 3 | 5;
	/** Rehearsals on fresh clusters, one after the other (--repeat). */
	repeat: number;
	streamsFile: string | null;
	configFile: string | null;
	clientOptionsFile: string | null;
	/** Messages per second per user stream, and their payload bytes (with --streams). */
	rate: number;
	size: number;
}

export const DEFAULT_STREAM_RATE = 20;
export const DEFAULT_MESSAGE_SIZE = 128;

function wholeNumber(min: number, max: number): (raw: string, flag: string) => number {
	return (raw, flagName) => {
		const n = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
		if (!Number.isInteger(n) || n < min || n > max)
			throw new UserError(
				`${flagName} must be a whole number from ${min} to ${max}, not "${raw}"`,
				EXIT.usage,
			);
		return n;
	};
}

function version(raw: string, flagName: string): string {
	try {
		return parseVersionValue(raw, flagName);
	} catch (err) {
		throw new UserError(`${flagName} "${raw}" is not a version like 2.10.27`, {
			exitCode: EXIT.usage,
			cause: err,
		});
	}
}

const ORDERS: readonly Order[] = ['followers-first', 'as-listed'];

const OPTIONS = {
	from: valueOption('V', 'version the cluster starts on', version, DEFAULT_FROM_VERSION),
	to: valueOption(
		'V',
		'version each node is upgraded to\n(both fetched and verified like `natslab servers install`)',
		version,
		DEFAULT_TO_VERSION,
	),
	strategy: valueOption(
		'S',
		'lame-duck (default: nats-server --signal ldm, wait for exit),\nrestart (SIGTERM), kill (SIGKILL)',
		oneOf(STRATEGIES),
	),
	order: valueOption(
		'O',
		'followers-first (default: the current meta leader last, re-read\nbefore every step) or as-listed (n1, n2, n3)',
		oneOf(ORDERS),
	),
	compare: flag('run all three strategies, each on a fresh cluster, side by side'),
	json: flag('print the report as JSON on stdout (progress stays on stderr)'),
	report: valueOption('FILE.md', 'also write the report as Markdown', fileName),
	keep: flag(
		'leave the final cluster running as a `natslab cluster up` cluster\n(stop it with `natslab cluster down`)',
	),
	'base-port': BASE_PORT_OPTION,
	'allow-downgrade': flag(
		'rehearse a --to older than --from (refused without it; a warning\nsays whether NATS supports that downgrade: one patch back, and\nfrom 2.10+ to 2.9 only to 2.9.22+; see docs/upgrades.md).\nThe same version twice is refused: there is nothing to upgrade.',
	),
	nodes: NODES_OPTION,
	streams: valueOption(
		'FILE',
		'your streams and consumers, as `nats stream info --json` /\n`nats consumer info --json` print them (docs/rehearse.md)',
		fileName,
	),
	rate: valueOption(
		'N',
		'messages per second published to each of your streams',
		wholeNumber(1, 2000),
		String(DEFAULT_STREAM_RATE),
	),
	size: valueOption(
		'BYTES',
		'payload size of those messages',
		wholeNumber(1, 8 * 1024 * 1024),
		String(DEFAULT_MESSAGE_SIZE),
	),
	config: valueOption(
		'FILE',
		'a nats-server config fragment merged into every node (lame duck,\njetstream limits, max_payload, ping_interval …; docs/rehearse.md)',
		fileName,
	),
	'client-options': valueOption(
		'FILE',
		'nats.js connection options for every client (JSON: pingInterval,\nmaxPingOut, reconnectTimeWait, reconnectJitter, maxReconnectAttempts, timeout)',
		fileName,
	),
	repeat: valueOption(
		'N',
		'run the rehearsal N times on fresh clusters: pass rate and spread',
		wholeNumber(1, 50),
		'1',
	),
	stable: valueOption(
		'S',
		'seconds /healthz must stay ok',
		secondsBetween(0, 60),
		String(DEFAULT_GATES.stableMs / 1000),
	),
	'gate-timeout': valueOption(
		'S',
		'seconds one node may take to pass its gates',
		secondsBetween(5, 900),
		String(DEFAULT_GATES.gateTimeoutMs / 1000),
	),
};

export function parseRehearseArgs(args: string[]): RehearseOptions {
	const { values: v, help } = parseOptions('rehearse', OPTIONS, args, { maxPositionals: 0 });
	if (v.compare && v.strategy)
		throw usageError('rehearse', '--compare runs every strategy; leave out --strategy');
	if (v.compare && v.repeat !== undefined && v.repeat > 1)
		throw usageError('rehearse', '--repeat repeats one strategy; leave out --compare');
	if (v.keep && v.repeat !== undefined && v.repeat > 1)
		throw usageError('rehearse', '--keep leaves one cluster running; leave out --repeat');
	if (!v.streams && (v.rate !== undefined || v.size !== undefined))
		throw usageError('rehearse', '--rate and --size load your streams: give --streams FILE');
	return {
		help,
		from: v.from ?? DEFAULT_FROM_VERSION,
		to: v.to ?? DEFAULT_TO_VERSION,
		strategies: v.compare ? [...STRATEGIES] : [v.strategy ?? 'lame-duck'],
		compare: v.compare === true,
		order: v.order ?? 'followers-first',
		json: v.json === true,
		reportFile: v.report ?? null,
		keep: v.keep === true,
		basePort: v['base-port'],
		gates: {
			...DEFAULT_GATES,
			...(v.stable === undefined ? {} : { stableMs: v.stable }),
			...(v['gate-timeout'] === undefined ? {} : { gateTimeoutMs: v['gate-timeout'] }),
		},
		allowDowngrade: v['allow-downgrade'] === true,
		nodes: v.nodes?.length === 5 ? 5 : 3,
		repeat: v.repeat ?? 1,
		streamsFile: v.streams ?? null,
		configFile: v.config ?? null,
		clientOptionsFile: v['client-options'] ?? null,
		rate: v.rate ?? DEFAULT_STREAM_RATE,
		size: v.size ?? DEFAULT_MESSAGE_SIZE,
	};
}

export const REHEARSE_HELP = commandHelp(
	`natslab rehearse — rehearse a rolling upgrade on a real local cluster (3 or 5 nodes)

Usage:
  natslab rehearse [--from V1] [--to V2] [--strategy lame-duck|restart|kill]
                   [--order followers-first|as-listed] [--compare]
                   [--json] [--report FILE.md] [--keep] [--base-port N] [--allow-downgrade]
                   [--nodes 3|5] [--streams FILE [--rate N] [--size BYTES]] [--config FILE]
                   [--client-options FILE] [--repeat N]

Starts a fresh cluster (3 nodes, or --nodes 5) on V1 (default ${DEFAULT_FROM_VERSION}), creates the lab stream and consumer, keeps
core and JetStream clients publishing, then upgrades one node at a time to V2 (default
${DEFAULT_TO_VERSION}). Before the next node is touched, the upgraded one must show evidence: routed to
every peer, the cluster's meta leader known, its stream replica current with lag 0, and
/healthz ok for ${DEFAULT_GATES.stableMs / 1000} s in a row (2.10+ can answer 200 too early after a restart).
Finally every acked JetStream message is looked up in the stream. With --streams, your
streams and consumers are created first and loaded too, and every acked message of every
stream is looked up the same way (by message id).`,
	OPTIONS,
	`Exit code: 0 when the verdict is pass; 1 when it fails (an acked message lost, a gate
timed out, a node would not start); 1 and one line, no report, when a version cannot
be obtained; 2 for bad usage (and for --from = --to, or a downgrade without
--allow-downgrade), before any server starts; 2 also for a --streams, --config or
--client-options file that cannot be used (its FILE:LINE or JSON path named).

JSON (schema "natslab.rehearsal/1"; with --compare {schema "natslab.rehearsal-compare/1",
verdict, runs: [report per strategy]}):
  verdict "pass"|"fail", reasons [one line each], from, to, strategy, order, startedAt,
  totalMs, upgradeMs,
  nodes[]: node, initialVersion, finalVersion (null when it runs nothing), finalProcess,
    upgraded, step, signal (ldm|SIGTERM|SIGKILL), wasMetaLeader, stopMs (signal → exit),
    exit {code, signal}, downMs (exit → new process), and from the new process's spawn:
    meshMs, metaLeaderMs, replicaCurrentMs, healthyMs (start of the /healthz ok streak),
    gatePassedMs; healthFlaps, leaderChanges {meta, streams, consumers}, metaLeaderlessMs,
    streamLeaderlessMs, clientDisconnects, failure
  clients[]: id, kind, disconnects, ldmNotices, reconnectGapMaxMs, reconnectGapMedianMs, sent,
    received, lost, duplicated, acked, failed {timeout, noResponders, unavailable, other}, retried
  jetstream: verified, acked, stored, ackedMissing, timedOutButStored, storedMoreThanOnce,
    duplicates[] {msgId, seqs, ackSeq}, missing[] {msgId, seq}, published,
    publishFailed {timeout, noResponders, unavailable, other}, retried
  core: sent, received, lost, duplicated
  warnings[]: level, text, count, example, note (what is known about the line)
  degraded[]: what clients felt even in a pass ("4.5 s without a meta leader", "93 failed
    publishes"), one line each
  ran: natslabVersion, nodeCount, binaries[] {version, source, origin, sha256},
    lameDuck {duration, gracePeriod, from "varz"|"config"}, config {file, applied, overridden[]},
    varzChecks[] {key, expected, running, ok}, streamsFile, unsupportedFields[],
    load {rate, sizeBytes}, clientOptions
  userStreams[]: name, replicas, storage, consumers[] {name, kind, ackPolicy, filter}, rate,
    sizeBytes, published, acked, failed, retried, disconnects, reconnectGapMaxMs,
    removedByStream, verify {acked, stored, ackedMissing, …}, error
With --repeat N (N > 1): {schema "natslab.rehearsal-repeat/1", verdict, runs, passed,
  figures[] {figure, min, median, max}, failures[] {run, reasons, diagnoses}, reports[]}.
Times are milliseconds; a figure that was not reached is null.`,
);
