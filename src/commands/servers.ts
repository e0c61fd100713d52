// `natslab servers install|list|add|remove`: the command-line face of
// src/servers. Results go to stdout, progress and notices to stderr; bad
// input is one line and a non-zero exit code.
import { accessSync, constants, statSync } from 'node:fs';
import { EXIT, isUserError, UserError } from '../base/errors.js';
import { formatTenths } from '../base/format.js';
import { flag, usageError, valueOption } from '../base/options.js';
import { natslabPaths } from '../base/paths.js';
import { discardWorkDirsSync } from '../servers/cache.js';
import {
	addServer,
	findIntact,
	installServer,
	type ListedServer,
	listServers,
	parseSourceName,
	parseVersionArg,
	removeServer,
} from '../servers/index.js';
import { createProgressReporter } from '../servers/progress.js';
import { reportedVersion } from '../servers/verify.js';
import { reportFailure } from './report.js';
import { parseSubcommand, type SubcommandGroup } from './subcommand.js';

type Out = NodeJS.WritableStream & { isTTY?: boolean };
export interface ServersIo {
	stdout: Out;
	stderr: Out;
	env: NodeJS.ProcessEnv;
}

const SERVERS: SubcommandGroup<ServersCommand> = {
	expected: 'install, list, add or remove',
	help: `Usage: natslab servers <command>

Manage the nats-server binaries natslab runs (cached per version, verified).

Commands:
  install <version>...   fetch, verify and cache versions (e.g. 2.9.10 2.10.27)
  list [--json]          cached versions: version, source, sha256, path
  add <path>             register a local nats-server binary (version from its --version)
  remove <version>...    delete cached versions

Sources, tried in order: github (release archives + SHA256SUMS), mirror (same
layout; --mirror or NATSLAB_MIRROR), debian (Debian archive via a private apt
setup), path (a nats-server on PATH with the right --version).
Run \`natslab servers <command> --help\` for a command's options.`,
	commands: {
		install: {
			head: `Usage: natslab servers install <version>... [--source github|mirror|debian|path] [--mirror URL]

Fetches each version, checks the source's checksum and the binary's --version,
and caches it. Versions already cached are left as they are.`,
			options: {
				source: valueOption('NAME', 'use only this source (default: github, mirror, debian, path in turn)'),
				mirror: valueOption(
					'URL',
					'a mirror laid out like GitHub releases: http(s)://… or a file:// folder\n(default: $NATSLAB_MIRROR)',
				),
			},
		},
		list: {
			head: `Usage: natslab servers list [--json]

Lists cached nats-server versions with their source, sha256 and path.`,
			options: { json: flag('print a JSON array ({version, source, path, sha256, installedAt, origin})') },
		},
		add: {
			head: `Usage: natslab servers add <path> [--version X.Y.Z]

Copies a local nats-server binary into the cache. Its version is what
\`<path> --version\` reports; --version makes natslab refuse any other.`,
			options: { version: valueOption('V', 'the version the binary must report') },
		},
		remove: {
			head: `Usage: natslab servers remove <version>...

Deletes cached versions.`,
			options: {},
		},
	},
};

type ServersCommand = 'install' | 'list' | 'add' | 'remove';

export async function serversCommand(args: string[], io: ServersIo): Promise<number> {
	const sub = parseSubcommand('servers', args, io, SERVERS);
	if (sub.done) return sub.code;
	const { command, values, positionals } = sub;
	switch (command) {
		case 'install':
			return install(positionals, values, io);
		case 'list':
			return list(positionals, values.json === true, io);
		case 'add':
			return add(positionals, typeof values.version === 'string' ? values.version : undefined, io);
		case 'remove':
			return remove(positionals, io);
	}
}

function usage(command: ServersCommand, what: string): UserError {
	return usageError(`servers ${command}`, what);
}

async function install(versions: string[], values: Record<string, unknown>, io: ServersIo): Promise<number> {
	if (versions.length === 0) throw usage('install', 'which version? e.g. natslab servers install 2.10.27');
	const wanted = versions.map(parseVersionArg); // all malformed input fails before any download
	const source = typeof values.source === 'string' ? parseSourceName(values.source) : undefined;
	const mirror = typeof values.mirror === 'string' ? values.mirror : undefined;
	const isTTY = io.stderr.isTTY === true;
	const onProgress = createProgressReporter(io.stderr, { isTTY, color: isTTY && !io.env.NO_COLOR });
	const abort = new AbortController();
	// The process may die right after this handler (see discardWorkDirsSync), so everything here is synchronous.
	const onSignal = () => {
		onProgress.breakLine();
		io.stderr.write('natslab: interrupted; nothing was cached\n');
		abort.abort();
		discardWorkDirsSync();
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	let failed = 0;
	try {
		for (const version of wanted) {
			const cached = await findIntact(version, io.env, (line) => io.stderr.write(`natslab: ${line}\n`));
			if (cached) {
				io.stdout.write(`nats-server ${version} is already installed (${cached.source}): ${cached.path}\n`);
				continue;
			}
			const started = performance.now();
			try {
				const s = await installServer(version, {
					source,
					mirror,
					env: io.env,
					signal: abort.signal,
					onProgress,
					onNotice: (line) => {
						onProgress.breakLine();
						io.stderr.write(`${line}\n`);
					},
				});
				io.stdout.write(
					`installed nats-server ${s.version} from ${s.source} in ${formatTenths(performance.now() - started)}: ${s.path}\n`,
				);
			} catch (err) {
				onProgress.breakLine();
				if (abort.signal.aborted) return 130; // already said so in onSignal
				// One failed version does not stop the others; it is reported like any failure.
				if (!isUserError(err)) throw err;
				reportFailure(err, io);
				failed++;
			}
		}
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}
	return failed > 0 ? 1 : 0;
}

async function list(extra: string[], json: boolean, io: ServersIo): Promise<number> {
	if (extra.length > 0) throw usage('list', `unexpected argument "${extra[0]}"`);
	const servers = await listServers(io.env);
	if (json) {
		io.stdout.write(`${JSON.stringify(servers, null, 2)}\n`);
		return 0;
	}
	if (servers.length === 0) {
		const where = natslabPaths(io.env).cache;
		io.stdout.write(
			`no nats-server versions cached in ${where} yet (try: natslab servers install 2.10.27)\n`,
		);
		return 0;
	}
	io.stdout.write(renderTable(servers));
	return 0;
}

export function renderTable(servers: ListedServer[]): string {
	const rows = [
		['VERSION', 'SOURCE', 'STATE', 'SHA256', 'PATH'],
		...servers.map((s) => [s.version, s.source, s.state, `${s.fileSha256.slice(0, 16)}…`, s.path]),
	];
	const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
	return rows.map((r) => `${r.map((c, i) => (i < 4 ? c.padEnd(widths[i] ?? 0) : c)).join('  ')}\n`).join('');
}

async function add(paths: string[], version: string | undefined, io: ServersIo): Promise<number> {
	if (paths.length !== 1 || !paths[0]) throw usage('add', 'give exactly one path to a nats-server binary');
	const path = paths[0];
	refuseNonExecutable(path);
	if (version !== undefined) {
		const want = parseVersionArg(version);
		const got = await reportedVersion(path);
		if (got !== want) throw new UserError(`${path} reports nats-server ${got}, not ${want}; not added`);
	}
	const s = await addServer(path, io.env);
	io.stdout.write(`added nats-server ${s.version} (local copy of ${path}): ${s.path}\n`);
	return 0;
}

/** A file natslab cannot run is bad input: say so and what to do, not the exec error's text. */
function refuseNonExecutable(path: string): void {
	const st = statSync(path, { throwIfNoEntry: false });
	if (!st?.isFile()) return; // missing or not a file: addServer says so in its words
	try {
		accessSync(path, constants.X_OK);
	} catch (err) {
		throw new UserError(
			`${path} is not executable, so it is not a nats-server binary natslab can run: give the path to one (or chmod +x it if it is one)`,
			{ exitCode: EXIT.usage, cause: err },
		);
	}
}

async function remove(versions: string[], io: ServersIo): Promise<number> {
	if (versions.length === 0) throw usage('remove', 'which version? e.g. natslab servers remove 2.9.10');
	const wanted = versions.map(parseVersionArg);
	let missing = 0;
	for (const v of wanted) {
		if (await removeServer(v, io.env)) {
			io.stdout.write(`removed nats-server ${v}\n`);
		} else {
			io.stderr.write(`natslab: nats-server ${v} is not installed\n`);
			missing++;
		}
	}
	return missing > 0 ? 1 : 0;
}
