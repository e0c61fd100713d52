// `natslab servers install|list|add|remove`: the command-line face of
// src/servers. Results go to stdout, progress and notices to stderr; bad
// input is one line and a non-zero exit code.
import { isUserError, UserError } from '../base/errors.js';
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
import { parseSubcommand } from './subcommand.js';

type Out = NodeJS.WritableStream & { isTTY?: boolean };
export interface ServersIo {
	stdout: Out;
	stderr: Out;
	env: NodeJS.ProcessEnv;
}

const HELP: Record<string, string> = {
	'': `Usage: natslab servers <command>

Manage the nats-server binaries natslab runs (cached per version, verified).

Commands:
  install <version>...   fetch, verify and cache versions (e.g. 2.9.10 2.10.27)
  list [--json]          cached versions: version, source, state (ok/corrupt), sha256, path
  add <path>             register a local nats-server binary (version from its --version)
  remove <version>...    delete cached versions

Sources, tried in order: github (release archives + SHA256SUMS), mirror (same
layout; --mirror or NATSLAB_MIRROR), debian (Debian archive via a private apt
setup), path (a nats-server on PATH with the right --version).
Run \`natslab servers <command> --help\` for a command's options.`,
	install: `Usage: natslab servers install <version>... [--source github|mirror|debian|path] [--mirror URL]

Fetches each version, checks the source's checksum and the binary's --version,
and caches it. Versions already cached are left as they are, unless the cached
binary is corrupt (size or sha256 differ from the record): that one is replaced.

Options:
  --source NAME   use only this source (default: github, mirror, debian, path in turn)
  --mirror URL    a mirror laid out like GitHub releases: http(s)://… or a file:// folder
                  (default: $NATSLAB_MIRROR)
  -h, --help      show this help`,
	list: `Usage: natslab servers list [--json]

Lists cached nats-server versions with their source, state and path. STATE is
ok when the binary's size and sha256 are still those recorded at install,
corrupt when not (\`natslab servers install <version>\` replaces it), and
unrecorded for a binary placed by hand. SHA256 is the file's own hash.

Options:
  --json          print a JSON array ({version, source, path, sha256, size, installedAt,
                  origin, state, fileSha256, fileSize}; sha256 and size as recorded)
  -h, --help      show this help`,
	add: `Usage: natslab servers add <path> [--version X.Y.Z]

Copies a local nats-server binary into the cache. Its version is what
\`<path> --version\` reports; --version makes natslab refuse any other.

Options:
  --version V     the version the binary must report
  -h, --help      show this help`,
	remove: `Usage: natslab servers remove <version>...

Deletes cached versions.

Options:
  -h, --help      show this help`,
};

const OPTIONS = {
	install: { source: { type: 'string' }, mirror: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
	list: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
	add: { version: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
	remove: { help: { type: 'boolean', short: 'h' } },
} as const;

type Command = keyof typeof OPTIONS;

export async function serversCommand(args: string[], io: ServersIo): Promise<number> {
	const sub = parseSubcommand('servers', args, io, {
		options: OPTIONS,
		help: HELP,
		expected: 'install, list, add or remove',
	});
	if (sub.done) return sub.code;
	const { command } = sub;
	const parsed = { values: sub.values, positionals: sub.positionals };
	try {
		switch (command) {
			case 'install':
				return await install(parsed.positionals, parsed.values, io);
			case 'list':
				return await list(parsed.positionals, parsed.values.json === true, io);
			case 'add':
				return await add(
					parsed.positionals,
					typeof parsed.values.version === 'string' ? parsed.values.version : undefined,
					io,
				);
			case 'remove':
				return await remove(parsed.positionals, io);
		}
	} catch (err) {
		if (!isUserError(err)) throw err;
		io.stderr.write(`natslab: ${err.message}\n`);
		return err.exitCode;
	}
}

function usage(command: Command, what: string): UserError {
	return new UserError(`servers ${command}: ${what} (see natslab servers ${command} --help)`, 2);
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
				const secs = ((performance.now() - started) / 1000).toFixed(1);
				io.stdout.write(`installed nats-server ${s.version} from ${s.source} in ${secs} s: ${s.path}\n`);
			} catch (err) {
				onProgress.breakLine();
				if (abort.signal.aborted) return 130; // already said so in onSignal
				if (!isUserError(err)) throw err;
				io.stderr.write(`natslab: ${err.message}\n`);
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
	if (version !== undefined) {
		const want = parseVersionArg(version);
		const got = await reportedVersion(path);
		if (got !== want) throw new UserError(`${path} reports nats-server ${got}, not ${want}; not added`);
	}
	const s = await addServer(path, io.env);
	io.stdout.write(`added nats-server ${s.version} (local copy of ${path}): ${s.path}\n`);
	return 0;
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
