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
import { BASE_PORT_OPTION } from '../cluster/ports.js';
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
	};
}

export const REHEARSE_HELP = commandHelp(
	`natslab rehearse — rehearse a rolling upgrade on a real local 3-node cluster

Usage:
  natslab rehearse [--from V1] [--to V2] [--strategy lame-duck|restart|kill]
                   [--order followers-first|as-listed] [--compare]
                   [--json] [--report FILE.md] [--keep] [--base-port N] [--allow-downgrade]

Starts a fresh cluster on V1 (default ${DEFAULT_FROM_VERSION}), creates the lab stream and consumer, keeps
core and JetStream clients publishing, then upgrades one node at a time to V2 (default
${DEFAULT_TO_VERSION}). Before the next node is touched, the upgraded one must show evidence: routed to
every peer, the cluster's meta leader known, its stream replica current with lag 0, and
/healthz ok for ${DEFAULT_GATES.stableMs / 1000} s in a row (2.10+ can answer 200 too early after a restart).
Finally every acked JetStream message is looked up in the stream.`,
	OPTIONS,
	`Exit code: 0 when the verdict is pass; 1 when it fails (an acked message lost, a gate
timed out, a node would not start); 1 and one line, no report, when a version cannot
be obtained; 2 for bad usage (and for --from = --to, or a downgrade without
--allow-downgrade), before any server starts.

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
Times are milliseconds; a figure that was not reached is null.`,
);
