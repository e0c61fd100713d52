// `natslab rehearse` arguments → validated options. Bad input is one UserError line.

import { UserError } from '../base/errors.js';
import { DEFAULT_FROM_VERSION, DEFAULT_TO_VERSION, normalizeVersion } from '../base/versions.js';
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
}

const USAGE = 2;

function fail(message: string): never {
	throw new UserError(`rehearse: ${message} (see natslab rehearse --help)`, USAGE);
}

function version(flag: string, value: string): string {
	const v = normalizeVersion(value);
	if (!v) fail(`${flag} "${value}" is not a version like 2.10.27`);
	return v;
}

function seconds(flag: string, value: string, min: number, max: number): number {
	const n = Number(value);
	if (!Number.isFinite(n) || n < min || n > max)
		fail(`${flag} must be a number of seconds from ${min} to ${max}`);
	return Math.round(n * 1000);
}

export function parseRehearseArgs(args: string[]): RehearseOptions {
	const opts: RehearseOptions = {
		help: false,
		from: DEFAULT_FROM_VERSION,
		to: DEFAULT_TO_VERSION,
		strategies: ['lame-duck'],
		compare: false,
		order: 'followers-first',
		json: false,
		reportFile: null,
		keep: false,
		basePort: undefined,
		gates: { ...DEFAULT_GATES },
	};
	let strategyGiven = false;
	for (let i = 0; i < args.length; i++) {
		const arg = args[i] as string;
		const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
		const flag = eq > 0 ? arg.slice(0, eq) : arg;
		const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
		const value = (): string => {
			if (inline !== undefined) return inline;
			const next = args[i + 1];
			if (next === undefined || next.startsWith('--')) fail(`${flag} needs a value`);
			i++;
			return next;
		};
		const noValue = () => {
			if (inline !== undefined) fail(`${flag} takes no value`);
		};
		switch (flag) {
			case '-h':
			case '--help':
				opts.help = true;
				break;
			case '--from':
				opts.from = version(flag, value());
				break;
			case '--to':
				opts.to = version(flag, value());
				break;
			case '--strategy': {
				const s = value();
				if (!STRATEGIES.includes(s as Strategy))
					fail(`--strategy must be one of ${STRATEGIES.join(', ')}, not "${s}"`);
				opts.strategies = [s as Strategy];
				strategyGiven = true;
				break;
			}
			case '--compare':
				noValue();
				opts.compare = true;
				break;
			case '--order': {
				const o = value();
				if (o !== 'followers-first' && o !== 'as-listed')
					fail(`--order must be followers-first or as-listed, not "${o}"`);
				opts.order = o;
				break;
			}
			case '--json':
				noValue();
				opts.json = true;
				break;
			case '--report': {
				const file = value();
				if (file.trim() === '') fail('--report needs a file name');
				opts.reportFile = file;
				break;
			}
			case '--keep':
				noValue();
				opts.keep = true;
				break;
			case '--base-port': {
				const raw = value();
				const n = Number(raw);
				// client B..B+2, cluster B+2000.., monitoring B+4000..B+4002 must all be valid ports.
				if (!/^\d+$/.test(raw) || n < 1024 || n + 4002 > 65535)
					fail('--base-port must be a whole number from 1024 to 61533');
				opts.basePort = n;
				break;
			}
			case '--stable':
				opts.gates.stableMs = seconds(flag, value(), 0, 60);
				break;
			case '--gate-timeout':
				opts.gates.gateTimeoutMs = seconds(flag, value(), 5, 900);
				break;
			default:
				fail(arg.startsWith('-') ? `unknown option ${arg}` : `unexpected argument "${arg}"`);
		}
	}
	if (opts.compare) {
		if (strategyGiven) fail('--compare runs every strategy; leave out --strategy');
		opts.strategies = [...STRATEGIES];
	}
	return opts;
}

export const REHEARSE_HELP = `natslab rehearse — rehearse a rolling upgrade on a real local 3-node cluster

Usage:
  natslab rehearse [--from V1] [--to V2] [--strategy lame-duck|restart|kill]
                   [--order followers-first|as-listed] [--compare]
                   [--json] [--report FILE.md] [--keep] [--base-port N]

Starts a fresh cluster on V1 (default ${DEFAULT_FROM_VERSION}), creates the lab stream and consumer, keeps
core and JetStream clients publishing, then upgrades one node at a time to V2 (default
${DEFAULT_TO_VERSION}). Before the next node is touched, the upgraded one must show evidence: routed to
every peer, the cluster's meta leader known, its stream replica current with lag 0, and
/healthz ok for ${DEFAULT_GATES.stableMs / 1000} s in a row (2.10+ can answer 200 too early after a restart).
Finally every acked JetStream message is looked up in the stream.

Options:
  --from V, --to V     versions (fetched and verified like \`natslab servers install\`)
  --strategy S         lame-duck (default: nats-server --signal ldm, wait for exit),
                       restart (SIGTERM), kill (SIGKILL)
  --order O            followers-first (default: the current meta leader last, re-read
                       before every step) or as-listed (n1, n2, n3)
  --compare            run all three strategies, each on a fresh cluster, side by side
  --json               print the report as JSON on stdout (progress stays on stderr)
  --report FILE.md     also write the report as Markdown
  --keep               leave the final cluster running as a \`natslab cluster up\` cluster
                       (stop it with \`natslab cluster down\`)
  --base-port N        client ports N..N+2, cluster N+2000.., monitoring N+4000..
  --stable S           seconds /healthz must stay ok (default ${DEFAULT_GATES.stableMs / 1000})
  --gate-timeout S     seconds one node may take to pass its gates (default ${DEFAULT_GATES.gateTimeoutMs / 1000})

Exit code: 0 when the verdict is pass; 1 when it fails (an acked message lost, a gate
timed out, a node would not start, a version could not be obtained); 2 for bad usage.

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
  jetstream: verified, acked, stored, ackedMissing, timedOutButStored, published,
    publishFailed {timeout, noResponders, unavailable, other}, retried
  core: sent, received, lost, duplicated
  warnings[]: level, text, count, example, note (what is known about the line)
Times are milliseconds; a figure that was not reached is null.`;
