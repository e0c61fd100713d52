// `natslab watch --server nats://h:4222 --user U …` or `--monitor http://h1:8222,…`:
// the dashboard, read-only, on a cluster natslab did not start (issue #16).
// It subscribes and sends $SYS.REQ requests (or GETs monitoring endpoints);
// it never signals, never publishes elsewhere, and has no node keys.
// `--once` prints one snapshot (`--json` for scripts) instead of the screen.
// Secrets: --password is visible in `ps`, so NATS_PASSWORD and --password-file
// are read too; nothing printed or recorded ever holds them.

import { EXIT, UserError } from '../base/errors.js';
import {
	commandHelp,
	fileName,
	flag,
	type OptionValues,
	parseOptions,
	usageError,
	valueOption,
} from '../base/options.js';
import type { Lab } from '../lab/types.js';
import type { NatsSource } from '../remote/nats.js';
import type { ScreenIo } from '../ui/run.js';
import type { WatchLabOptions } from '../watch/watch-lab.js';
import { monitorUrls, natsConnectionOptions, natsSourceOf } from './nats-options.js';

const COMMAND = 'watch';
const REQUEST_TIMEOUT_MS = 3000;

export const WATCH_OPTIONS = {
	...natsConnectionOptions(
		COMMAND,
		'nats:// URLs of the cluster (comma-separated); reads it over $SYS requests\nas a system-account user',
	),
	monitor: valueOption(
		'URLS',
		"instead of --server: every server's monitoring URL, comma-separated\n(http://h1:8222,http://h2:8222,…)",
		monitorUrls(COMMAND),
	),
	record: valueOption('FILE', 'record what the screen shows (.gz: gzipped) for natslab replay', fileName),
	once: flag('print one snapshot (servers, meta leader, streams) and exit'),
	json: flag('with --once: the snapshot as JSON'),
};

type Values = OptionValues<typeof WATCH_OPTIONS>;

export const WATCH_HELP = commandHelp(
	`natslab watch — the dashboard, read-only, on a cluster natslab did not start

Usage:
  natslab watch --server nats://host:4222 --user sys [--password-file F] [--once [--json]]
  natslab watch --server nats://host:4222 --creds sys.creds
  natslab watch --monitor http://h1:8222,http://h2:8222,http://h3:8222

Over NATS it needs a system-account user: it asks $SYS.REQ.SERVER.PING.VARZ and
each server's $SYS.REQ.SERVER.<id>.VARZ|ROUTEZ|JSZ|HEALTHZ|RAFTZ, and listens to
$SYS.SERVER.*.SHUTDOWN / LAMEDUCK and JetStream leader advisories. It never sends
a signal, an admin request or a publish outside $SYS.REQ: no key changes the
cluster. Works with any number of servers, any names, 2.9+ and mixed versions.
The password comes from --password, --password-file or NATS_PASSWORD (in that
order); it is never printed.`,
	WATCH_OPTIONS,
	`Exit codes: 0 quit (or --once answered); 2 could not connect / no server answered, or a
bad command line; 3 a file it cannot read or write (--creds, --nkey, --password-file,
--record); 129 the terminal closed (SIGHUP), 143 terminated (SIGTERM).`,
);

export async function watchCommand(args: string[], io: ScreenIo): Promise<number> {
	const { values, help } = parseOptions(COMMAND, WATCH_OPTIONS, args, { maxPositionals: 0 });
	if (help) {
		io.stdout.write(`${WATCH_HELP}\n`);
		return EXIT.ok;
	}
	if (values.json && !values.once) throw usageError(COMMAND, '--json needs --once');
	if (values.record && values.once) throw usageError(COMMAND, '--record records the screen: not with --once');
	if (values.monitor && values.server) throw usageError(COMMAND, 'give --server or --monitor, not both');
	if (!values.monitor && !values.server)
		throw usageError(
			COMMAND,
			'--server nats://… (with a system-account user) or --monitor URL,URL,… is needed',
		);
	const src = values.server ? natsSourceOf(COMMAND, values, values.server, io) : null;
	if (values.once) return once(values, src, io);
	return screen(values, src, io);
}

/** A connection that fails, or a cluster that does not answer: one line, exit 2. */
function cannotWatch(err: unknown): UserError {
	const line = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
	return new UserError(`watch: ${line}`, { exitCode: EXIT.usage, cause: err });
}

async function once(values: Values, src: NatsSource | null, io: ScreenIo): Promise<number> {
	const { snapshotOf, snapshotText } = await import('../watch/snapshot.js');
	let answers: import('../preflight/types.js').ServerAnswers[];
	try {
		if (src)
			answers = await (await import('../preflight/nats-source.js')).gatherOverNats(
				src,
				REQUEST_TIMEOUT_MS,
				'natslab watch',
			);
		else
			answers = await (await import('../preflight/gather.js')).gatherAll(
				values.monitor ?? [],
				REQUEST_TIMEOUT_MS,
			);
	} catch (err) {
		throw cannotWatch(err);
	}
	if (!answers.some((a) => a.name !== null && !a.error && a.version !== null))
		throw cannotWatch(
			new Error(
				src
					? 'no server answered $SYS.REQ.SERVER.PING (the user must be in the system account)'
					: 'no monitoring URL answered',
			),
		);
	const snap = snapshotOf(answers);
	io.stdout.write(values.json ? `${JSON.stringify(snap, null, 2)}\n` : snapshotText(snap));
	return EXIT.ok;
}

async function screen(values: Values, src: NatsSource | null, io: ScreenIo): Promise<number> {
	const { erasePlaceholder, showPlaceholder, terminalProblem } = await import('../ui/terminal.js');
	const problem = terminalProblem(io);
	if (problem)
		throw usageError(
			COMMAND,
			`${problem}; the dashboard needs an interactive terminal (--once prints a snapshot)`,
		);
	const { Recorder } = await import('../record/recorder.js');
	const { closeRecorder, recordedCreateLab, terminalSize } = await import('../record/recorded-lab.js');
	// Opened first: a bad path fails in one line of its own, before the placeholder and any connection.
	const recorder = values.record
		? await Recorder.open(values.record, {
				command: 'watch',
				mode: 'watch',
				terminal: terminalSize(io.stdout),
			})
		: null;
	// Something on screen at once: connecting, then loading Ink and React, take a few seconds.
	showPlaceholder(io.stdout, 'natslab watch · connecting…');
	const { createWatchLab } = await import('../watch/watch-lab.js');
	const { MonitorWatchSource, NatsWatchSource } = await import('../watch/sources.js');
	let lab: Lab;
	try {
		const source = src
			? await NatsWatchSource.open(src, REQUEST_TIMEOUT_MS)
			: await MonitorWatchSource.open(values.monitor ?? [], REQUEST_TIMEOUT_MS);
		const create = (opts: WatchLabOptions) => createWatchLab(source, opts);
		lab = await (recorder ? recordedCreateLab(create, recorder) : create)({});
	} catch (err) {
		erasePlaceholder(io.stdout);
		await closeRecorder(recorder, io);
		throw cannotWatch(err);
	}
	process.env.NODE_ENV ??= 'production';
	const { runScreen } = await import('../ui/run.js');
	try {
		return await runScreen({
			mode: 'watch',
			source: 'sandbox',
			io,
			versions: [],
			createLab: async () => lab,
			onKey: recorder?.key,
		});
	} finally {
		await closeRecorder(recorder, io);
	}
}
