// The message shapes nats-server 2.9 … 2.15 print, one pattern per transition.
// Every pattern was taken from a real log (test/fixtures/logs, and
// docs/nats-behavior.md); the test runs them over every line
// of those logs. Order matters only where one shape is a prefix of another.

import type { ParsedLog } from './events.js';

type Pattern = { re: RegExp; build: (m: RegExpExecArray) => ParsedLog };

/** `'$G > ORDERS'` → account and stream; a stream name cannot contain spaces or `>`. */
const ASSET = "'([^' ]+) > ([^' ]+)'";
const ASSET3 = "'([^' ]+) > ([^' ]+) > ([^' ]+)'";

const g = (m: RegExpExecArray, i: number): string => m[i] ?? '';

/** Lines of route connections: `127.0.0.1:6222 - rid:6 - <rest>`. Checked first (the most frequent). */
export const ROUTE_LINE = /^(\S+) - rid:(\d+) - (.*)$/;

export function parseRouteLine(remote: string, rid: number, rest: string): ParsedLog | null {
	if (rest === 'Route connection created') return { type: 'RouteCreated', remote, rid };
	let m = /^Router connection closed: (.+?)(?: - Remote: (\S+))?$/.exec(rest);
	if (m) {
		const remoteName = m[2];
		return remoteName
			? { type: 'RouteClosed', remote, rid, reason: g(m, 1), remoteName }
			: { type: 'RouteClosed', remote, rid, reason: g(m, 1) };
	}
	// 2.10+ side: `Not possible to have a dedicated route for account "$SYS" between those servers`,
	// 2.9 side: `Route Error 'Not possible to have … between those servers'`.
	m = /Not possible to have a dedicated route for account "([^"]+)"/.exec(rest);
	if (m) return { type: 'MixedVersionRouteError', remote, rid, account: g(m, 1) };
	m = /^Route Error '(.*)'$/.exec(rest);
	if (m) return { type: 'RouteError', remote, rid, error: g(m, 1) };
	return null;
}

/** Patterns on the message after `[LVL] `, tried in order. */
export const PATTERNS: Pattern[] = [
	{
		re: /^JetStream cluster new metadata leader: (.+)\/([^/]+)$/,
		build: (m) => ({ type: 'MetaLeaderElected', leader: g(m, 1), cluster: g(m, 2) }),
	},
	{
		re: /^Self is new JetStream cluster metadata leader$/,
		build: () => ({ type: 'MetaLeaderElected', leader: 'self' }),
	},
	{ re: /^JetStream cluster no metadata leader$/, build: () => ({ type: 'NoMetaLeader' }) },
	{
		re: new RegExp(`^JetStream cluster new stream leader for ${ASSET}$`),
		build: (m) => ({ type: 'StreamLeaderElected', account: g(m, 1), stream: g(m, 2) }),
	},
	{
		re: new RegExp(`^JetStream cluster new consumer leader for ${ASSET3}$`),
		build: (m) => ({ type: 'ConsumerLeaderElected', account: g(m, 1), stream: g(m, 2), consumer: g(m, 3) }),
	},
	{
		re: new RegExp(`^JetStream cluster stream ${ASSET} has NO quorum, stalled\\.?$`),
		build: (m) => ({ type: 'StreamQuorumLost', account: g(m, 1), stream: g(m, 2) }),
	},
	{
		// The consumer variant ends with a period.
		re: new RegExp(`^JetStream cluster consumer ${ASSET3} has NO quorum, stalled\\.?$`),
		build: (m) => ({ type: 'ConsumerQuorumLost', account: g(m, 1), stream: g(m, 2), consumer: g(m, 3) }),
	},
	{
		// 2.15.1 appends ` (took 12ms)`.
		re: new RegExp(`^Catchup for stream ${ASSET} complete`),
		build: (m) => ({ type: 'StreamCatchupComplete', account: g(m, 1), stream: g(m, 2) }),
	},
	{
		re: /^Healthcheck failed: (".*")$/,
		build: (m) => ({ type: 'HealthcheckFailed', error: unquote(g(m, 1)) }),
	},
	{
		re: /^Error trying to connect to route(?: \(attempt (\d+)\))?: (.*)$/,
		build: (m) => ({
			type: 'RouteConnectFailed',
			attempt: Number(m[1] ?? 1),
			target: /\b(?:dial tcp|tcp) (\S+?):? /.exec(g(m, 2))?.[1] ?? '',
			error: g(m, 2),
		}),
	},
	{ re: /^Waiting for routing to be established\.\.\.$/, build: () => ({ type: 'WaitingForRouting' }) },
	{
		re: /^JetStream has not established contact with a meta leader$/,
		build: () => ({ type: 'MetaLeaderContactMissing' }),
	},
	{ re: /^Entering lame duck mode, stop accepting new clients$/, build: () => ({ type: 'LameDuckEntered' }) },
	{ re: /^Initiating JetStream Shutdown\.\.\.$/, build: () => ({ type: 'JetStreamShutdownStarted' }) },
	{ re: /^JetStream Shutdown$/, build: () => ({ type: 'JetStreamShutdown' }) },
	{ re: /^Closing existing clients$/, build: () => ({ type: 'ClosingClients' }) },
	{ re: /^Initiating Shutdown\.\.\.$/, build: () => ({ type: 'ShutdownStarted' }) },
	{ re: /^Server Exiting\.\.$/, build: () => ({ type: 'ServerExiting' }) },
	{ re: /^Trapped "([^"]+)" signal$/, build: (m) => ({ type: 'SignalTrapped', signal: g(m, 1) }) },
	{ re: /^Server is ready$/, build: () => ({ type: 'ServerReady' }) },
	{
		re: /^Starting nats-server(?: version (\S+))?$/,
		build: (m) => (m[1] ? { type: 'ServerStarting', version: m[1] } : { type: 'ServerStarting' }),
	},
	{ re: /^ {2}Version: +(\S+)$/, build: (m) => ({ type: 'ServerVersion', version: g(m, 1) }) },
	{
		re: /^ {2}(Name|Node|ID|Cluster): +(\S+)$/,
		build: (m) => ({ type: 'ServerIdentity', field: identityField(g(m, 1)), value: g(m, 2) }),
	},
	{
		re: /^Listening for client connections on (\S+)$/,
		build: (m) => ({ type: 'ClientListening', address: g(m, 1) }),
	},
	{
		re: /^Listening for route connections on (\S+)$/,
		build: (m) => ({ type: 'RouteListening', address: g(m, 1) }),
	},
	{ re: /^Starting http monitor on (\S+)$/, build: (m) => ({ type: 'MonitorListening', address: g(m, 1) }) },
	{ re: /^Starting JetStream$/, build: () => ({ type: 'JetStreamStarting' }) },
	{ re: /^Starting JetStream cluster$/, build: () => ({ type: 'JetStreamClusterStarting' }) },
	{ re: /^JetStream cluster bootstrapping$/, build: () => ({ type: 'JetStreamBootstrapping' }) },
	{ re: /^JetStream cluster recovering state$/, build: () => ({ type: 'JetStreamRecovering' }) },
	{
		re: /^Took ([\d.]+)(µs|ms|s) to start JetStream$/,
		build: (m) => ({ type: 'JetStreamStarted', tookMs: toMs(Number(m[1]), g(m, 2)) }),
	},
	{
		re: new RegExp(`^ {2}Restored ([\\d,]+) messages for stream ${ASSET}`),
		build: (m) => ({
			type: 'StreamRestored',
			messages: Number(g(m, 1).replaceAll(',', '')),
			account: g(m, 2),
			stream: g(m, 3),
		}),
	},
	{
		re: /^RAFT \[(\S+) - (\S+)\] Switching to (candidate|leader|follower)$/,
		build: (m) => ({
			type: 'RaftStateChanged',
			peer: g(m, 1),
			group: g(m, 2),
			state: g(m, 3) as 'candidate' | 'leader' | 'follower',
		}),
	},
];

function identityField(label: string): 'name' | 'node' | 'id' | 'cluster' {
	if (label === 'Name') return 'name';
	if (label === 'Node') return 'node';
	if (label === 'ID') return 'id';
	return 'cluster';
}

function toMs(value: number, unit: string): number {
	if (unit === 's') return value * 1000;
	if (unit === 'µs') return value / 1000;
	return value;
}

/** Go `%q` text → plain text (the server quotes the healthcheck error that way). */
export function unquote(quoted: string): string {
	try {
		const parsed: unknown = JSON.parse(quoted);
		if (typeof parsed === 'string') return parsed;
	} catch {
		// Go escapes that JSON does not know (\x00, \a): fall through.
	}
	return quoted.slice(1, -1).replaceAll('\\"', '"').replaceAll('\\\\', '\\');
}
