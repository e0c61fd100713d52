// `natslab preflight <server> --monitor URL,URL,…`: may this server be taken
// down now? For a Kubernetes preStop hook or a rollout gate. stdout carries
// only the verdict (text, or JSON with --json); --wait notices go to stderr.
// Exit 0 safe, 1 not safe (with the reasons), 2 could not tell (issue #16).

import type { OptionValues } from '../base/options.js';
import { commandHelp, flag, parseOptions, usageError, valueOption } from '../base/options.js';
import { redactUrl } from '../base/redact.js';
import { parseDuration } from '../lessons/duration.js';
import { decide } from '../preflight/decide.js';
import { gatherAll } from '../preflight/gather.js';
import { verdictJson, verdictText, waitingLine } from '../preflight/render.js';
import { PREFLIGHT_EXIT, type ServerAnswers, type Verdict } from '../preflight/types.js';
import { monitorUrls, natsConnectionOptions, natsSourceOf } from './nats-options.js';

export interface PreflightIo {
	stdout: { write(s: string): unknown };
	stderr: { write(s: string): unknown };
	/** NATS_PASSWORD (default: process.env). */
	env?: NodeJS.ProcessEnv;
}

const COMMAND = 'preflight';
/** How long one monitoring request may take before the server counts as not answering. */
const REQUEST_TIMEOUT_MS = 3000;
/** How often --wait asks again. */
const WAIT_EVERY_MS = 1000;

function waitDuration(raw: string, flagName: string): number {
	const ms = parseDuration(raw);
	if (ms === null || ms <= 0)
		throw usageError(COMMAND, `${flagName} must be a duration like 30s or 5m, not "${raw}"`);
	return ms;
}

export const PREFLIGHT_OPTIONS = {
	monitor: valueOption(
		'URLS',
		"every server's monitoring URL, comma-separated: http://h1:8222,http://h2:8222,…\n(give all of them: a server left out is judged by its group leaders' views)",
		monitorUrls(COMMAND),
	),
	json: flag('print the verdict, its reasons and every server read as JSON'),
	wait: valueOption(
		'DURATION',
		'ask again every second until safe, at most this long (30s, 5m)',
		waitDuration,
	),
	...natsConnectionOptions(
		COMMAND,
		'instead of --monitor: ask every server over NATS ($SYS requests) via these\nnats:// URLs, comma-separated; needs a system-account user',
		'with --server: ',
	),
};

export const PREFLIGHT_HELP = commandHelp(
	`natslab preflight — may this server be taken down now?

Usage:
  natslab preflight <server-name-or-monitor-url> --monitor URL,URL,… [--json] [--wait 5m]

Safe means: the meta group keeps a majority without it; every stream and
consumer with a replica on it keeps a quorum of current replicas on the other
servers; every other server answers /healthz ok and has a current meta view
(/healthz?js-meta-only=true on 2.11+; before: a meta leader seen, listed as
current by that leader). Reads /varz, /jsz, /healthz and /routez of every
--monitor URL. Works with 2.9+ servers and mixed versions. For a Kubernetes
preStop hook or a rollout gate.`,
	PREFLIGHT_OPTIONS,
	`Exit codes (preflight's own, issue #16):
  0  safe
  1  not safe: one line per reason (asset, replica, lag)
  2  could not tell (the server or a group's leader did not answer); also a bad command line
  129/130/143  ended by hangup, Ctrl-C, SIGTERM
Over NATS (--server), a server listed by the meta or a stream leader that does not
reply counts as down; a server that did not reply cannot itself be checked (2).`,
);

export async function preflightCommand(args: string[], io: PreflightIo): Promise<number> {
	const { values, positionals, help } = parseOptions(COMMAND, PREFLIGHT_OPTIONS, args, { maxPositionals: 1 });
	if (help) {
		io.stdout.write(`${PREFLIGHT_HELP}\n`);
		return 0;
	}
	if (positionals[0] === undefined)
		throw usageError(COMMAND, 'name the server to check (its server_name or monitoring URL)');
	// A target URL may carry user:password@: it is compared with, and printed as, the redacted URLs.
	const target = redactUrl(positionals[0]);
	const read = await sourceOf(values, io);
	const deadline = Date.now() + (values.wait ?? 0);
	let said = '';
	for (;;) {
		const got = await read();
		const servers = Array.isArray(got) ? got : [];
		const verdict: Verdict = Array.isArray(got)
			? decide(target, servers)
			: { outcome: 'unknown', target, unknown: [got.error], notes: [] };
		if (verdict.outcome === 'safe' || Date.now() + WAIT_EVERY_MS > deadline)
			return report(verdict, servers, values.json === true, io);
		const line = waitingLine(verdict);
		if (line !== said) io.stderr.write(line);
		said = line;
		await new Promise((resolve) => setTimeout(resolve, WAIT_EVERY_MS));
	}
}

function report(verdict: Verdict, servers: ServerAnswers[], json: boolean, io: PreflightIo): number {
	io.stdout.write(json ? verdictJson(verdict, servers) : verdictText(verdict));
	return PREFLIGHT_EXIT[verdict.outcome];
}

type Values = OptionValues<typeof PREFLIGHT_OPTIONS>;

/** Where the answers come from: the monitoring URLs, or NATS (a connection failure is one line, not a throw). */
async function sourceOf(
	values: Values,
	io: PreflightIo,
): Promise<() => Promise<ServerAnswers[] | { error: string }>> {
	if (values.monitor && values.server) throw usageError(COMMAND, 'give --monitor or --server, not both');
	if (values.monitor) {
		const urls = values.monitor;
		return () => gatherAll(urls, REQUEST_TIMEOUT_MS);
	}
	if (!values.server) {
		throw usageError(
			COMMAND,
			"--monitor URL,URL,… (every server's monitoring URL) or --server nats://… is needed",
		);
	}
	const src = natsSourceOf(COMMAND, values, values.server, { stderr: io.stderr, env: io.env ?? process.env });
	// The NATS client is loaded only for --server: the monitoring path never pays for it.
	const { gatherOverNats } = await import('../preflight/nats-source.js');
	return async () => {
		try {
			return await gatherOverNats(src, REQUEST_TIMEOUT_MS);
		} catch (err) {
			return { error: (err as Error).message };
		}
	};
}
