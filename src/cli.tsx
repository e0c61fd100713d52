#!/usr/bin/env node
// natslab's entry: parse the first word, load only that command's module (so
// `natslab servers list` never pays for Ink), run it, exit with its code.
// Bad input and broken environments surface as one line, never a stack.

import { isUserError } from './base/errors.js';
import { crashLine, runCleanups } from './lab/cleanup.js';

// React's development build roughly doubles the CPU each frame costs. Commands
// are imported lazily below, so this takes effect before React loads.
process.env.NODE_ENV ??= 'production';

const HELP = `natslab — learn how a real NATS cluster behaves, on your own machine

Usage:
  natslab                          open the course (lesson picker)
  natslab learn <id>               jump to a lesson        (--auto: run it unattended)
  natslab learn --all --auto       run the whole course unattended (workshop laptop check)
  natslab lessons validate [files] check lesson files       (lessons list [--json])
  natslab sandbox                  free play: the dashboard on a fresh cluster, no lesson
  natslab rehearse --from V --to V rehearse a rolling upgrade and report what it cost
  natslab cluster up|status|node|down   run a cluster for scripts and the nats CLI
  natslab servers install|list|add|remove   manage nats-server binaries

Every command takes --help. Environment: NATSLAB_HOME (put everything natslab
writes below one folder), NATSLAB_MIRROR (binary mirror), NO_COLOR.`;

export interface CommandIo {
	stdout: NodeJS.WriteStream;
	stderr: NodeJS.WriteStream;
	stdin: NodeJS.ReadStream;
	env: NodeJS.ProcessEnv;
}

/** For commands without a screen: missing binaries download with a progress bar on stderr. */
async function binaryFor(version: string): Promise<string> {
	const { ensureServer } = await import('./servers/index.js');
	const { createProgressReporter } = await import('./servers/progress.js');
	const progress = createProgressReporter(process.stderr, {
		isTTY: process.stderr.isTTY === true,
		color: process.stderr.isTTY === true && !process.env.NO_COLOR,
	});
	try {
		const installed = await ensureServer(version, {
			onProgress: progress,
			onNotice: (line) => process.stderr.write(`${line}\n`),
		});
		return installed.path;
	} catch (err) {
		progress.breakLine();
		throw err;
	}
}

async function dispatch(argv: string[], io: CommandIo): Promise<number> {
	const [command, ...rest] = argv;
	switch (command) {
		case undefined:
			return (await import('./commands/learn.js')).learnCommand([], io);
		case 'learn':
			return (await import('./commands/learn.js')).learnCommand(rest, io);
		case 'lessons':
			return (await import('./commands/lessons.js')).lessonsCommand(rest, io);
		case 'sandbox':
			return (await import('./commands/sandbox.js')).sandboxCommand(rest, io);
		case 'rehearse':
			return (await import('./commands/rehearse.js')).rehearseCommand(rest, io);
		case 'cluster':
			return (await import('./commands/cluster.js')).clusterCommand(rest, io, { binaryFor });
		case 'servers':
			return (await import('./commands/servers.js')).serversCommand(rest, io);
		case '-h':
		case '--help':
		case 'help':
			io.stdout.write(`${HELP}\n`);
			return 0;
		case '-v':
		case '--version': {
			const { readFileSync } = await import('node:fs');
			const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
				version: string;
			};
			io.stdout.write(`natslab ${pkg.version}\n`);
			return 0;
		}
		default:
			io.stderr.write(`natslab: unknown command "${command}" (try natslab --help)\n`);
			return 2;
	}
}

async function main(): Promise<void> {
	const io: CommandIo = {
		stdout: process.stdout,
		stderr: process.stderr,
		stdin: process.stdin,
		env: process.env,
	};
	let code: number;
	try {
		code = await dispatch(process.argv.slice(2), io);
	} catch (err) {
		if (isUserError(err)) {
			process.stderr.write(`natslab: ${err.message}\n`);
			code = err.exitCode;
		} else {
			process.stderr.write(`${crashLine(err)}
`);
			code = 70;
		}
	}
	await runCleanups();
	process.exit(code);
}

await main();
