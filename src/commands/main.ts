// The command word → that command's module (loaded only when used, so
// `natslab servers list` never pays for Ink); runCommand hands every failure to
// the one handler (report.ts).

import { EXIT } from '../base/errors.js';
import { writeSafely } from '../lab/cleanup.js';
import type { CreateLab } from './engine.js';
import { reportFailure } from './report.js';

export interface CommandIo {
	stdout: NodeJS.WriteStream;
	stderr: NodeJS.WriteStream;
	stdin: NodeJS.ReadStream;
	env: NodeJS.ProcessEnv;
}

/** What tests replace; the real program passes nothing. */
export interface CommandDeps {
	createLab?: CreateLab;
}

export const MAIN_HELP = `natslab — learn how a real NATS cluster behaves, on your own machine

Usage:
  natslab                          open the course (lesson picker)
  natslab learn <id>               jump to a lesson        (--auto: run it unattended)
  natslab learn --all --auto       run the whole course unattended (workshop laptop check)
  natslab lessons validate [files] check lesson files       (lessons list [--json])
  natslab sandbox                  free play: the dashboard on a fresh cluster, no lesson
  natslab rehearse --from V --to V rehearse a rolling upgrade and report what it cost
  natslab cluster up|status|node|down   run a cluster for scripts and the nats CLI
  natslab servers install|list|add|remove   manage nats-server binaries
  natslab preflight <server> --monitor URLS   may this server be taken down now? (exit 0/1/2)
  natslab replay FILE | --lesson ID   a --record recording on the screen again, no server needed
  natslab watch --server nats://h:4222 --user U   the dashboard, read-only, on a cluster natslab did not start

Options go after the command word (natslab sandbox --base-port 23100); every
command takes --help. Environment: NATSLAB_HOME (put everything natslab writes
below one folder), NATSLAB_MIRROR (binary mirror), NO_COLOR.
Exit codes: 0 ok, 1 failed, 2 bad usage, 3 environment (files, ports),
70 natslab's own bug, 129/130/141/143 ended by hangup/Ctrl-C/closed pipe/SIGTERM.`;

/** For commands without a screen: missing binaries download with a progress bar on stderr. */
async function binaryFor(version: string): Promise<string> {
	// The usual case, an intact cached binary, without loading the installer (its sources,
	// tar, execa): a third of `cluster up` on a loaded machine (issue #12). Anything else
	// (missing, corrupt, not a version) goes the full way below, which says what is wrong.
	const [{ verifyCached }, { normalizeVersion }] = await Promise.all([
		import('../servers/integrity.js'),
		import('../base/versions.js'),
	]);
	const cached = normalizeVersion(version) === version ? await verifyCached(version) : null;
	if (cached && cached.state !== 'corrupt') return cached.server.path;
	const { ensureServer } = await import('../servers/index.js');
	const { createProgressReporter } = await import('../servers/progress.js');
	const progress = createProgressReporter(process.stderr, {
		isTTY: process.stderr.isTTY === true,
		color: process.stderr.isTTY === true && !process.env.NO_COLOR,
	});
	try {
		const installed = await ensureServer(version, {
			onProgress: progress,
			onNotice: (line) => writeSafely(process.stderr, `${line}\n`),
		});
		return installed.path;
	} catch (err) {
		progress.breakLine();
		throw err;
	}
}

async function dispatch(argv: string[], io: CommandIo, deps: CommandDeps): Promise<number> {
	const [command, ...rest] = argv;
	switch (command) {
		case undefined:
			// The picker needs Ink, the slowest import of all (yoga's WebAssembly is compiled off
			// the main thread): start it now, so it loads while the course is read (issue #12).
			void import('ink').catch(() => {});
			return (await import('./learn.js')).learnCommand([], io, deps);
		case 'learn':
			return (await import('./learn.js')).learnCommand(rest, io, deps);
		case 'lessons':
			return (await import('./lessons.js')).lessonsCommand(rest, io);
		case 'sandbox':
			return (await import('./sandbox.js')).sandboxCommand(rest, io, deps);
		case 'rehearse':
			return (await import('./rehearse.js')).rehearseCommand(rest, io);
		case 'cluster':
			return (await import('./cluster.js')).clusterCommand(rest, io, { binaryFor });
		case 'preflight':
			return (await import('./preflight.js')).preflightCommand(rest, io);
		case 'servers':
			return (await import('./servers.js')).serversCommand(rest, io);
		case 'replay':
			return (await import('./replay.js')).replayCommand(rest, io);
		case 'watch':
			return (await import('./watch.js')).watchCommand(rest, io);
		case '-h':
		case '--help':
		case 'help':
			io.stdout.write(`${(await import('../base/options.js')).wrapHelp(MAIN_HELP)}\n`);
			return EXIT.ok;
		case '-v':
		case '--version': {
			const { readFileSync } = await import('node:fs');
			const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
				version: string;
			};
			io.stdout.write(`natslab ${pkg.version}\n`);
			return EXIT.ok;
		}
		default: {
			const { UserError } = await import('../base/errors.js');
			if (command.startsWith('-')) {
				// `natslab --base-port N sandbox`: options belong to a command; say where they go.
				const word = rest.find((a) => /^[a-z]+$/.test(a)) ?? 'sandbox';
				throw new UserError(
					`options go after the command word, e.g. natslab ${word} ${command}${rest[0] && !rest[0].startsWith('-') && rest[0] !== word ? ` ${rest[0]}` : ''} (see natslab --help)`,
					EXIT.usage,
				);
			}
			throw new UserError(`unknown command "${command}" (see natslab --help)`, EXIT.usage);
		}
	}
}

/** Runs one command line to its exit code; every failure is reported here and only here. */
export async function runCommand(argv: string[], io: CommandIo, deps: CommandDeps = {}): Promise<number> {
	try {
		return await dispatch(argv, io, deps);
	} catch (err) {
		return reportFailure(err, io);
	}
}
