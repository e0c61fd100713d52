// Starting the proxy process of a detached cluster (daemon.ts). Like a
// detached nats-server (spawn.ts) it runs in its own session with no
// parent-death signal: the run file owns it (pid + start time, run-file.ts),
// `cluster down` and the reaper stop it.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../base/errors.js';
import { processStartTime } from '../process-info.js';
import { ask, checkSocketPath } from './control.js';
import type { DaemonSpec } from './daemon.js';

const HERE = fileURLToPath(import.meta.url);
/** From source (tests, `npm run dev`) the daemon is TypeScript and runs through tsx. */
const FROM_SOURCE = extname(HERE) === '.ts';
/**
 * Beside this module (source, or tsc's dist/cluster/links/); from the bundle (dist/app/*.js,
 * scripts/build.mjs) tsc's copy, which every build writes too: the daemon needs none of the bundle.
 */
const DAEMON = [
	join(dirname(HERE), `daemon${extname(HERE)}`),
	join(dirname(HERE), '..', 'cluster', 'links', 'daemon.js'),
].find((f) => existsSync(f));
/** Both places sit two folders below the package root (src/cluster/links, dist/app/../cluster/links). */
const PACKAGE_ROOT = join(dirname(DAEMON ?? HERE), '..', '..', '..');
const READY_TIMEOUT_MS = 15_000;

export interface ProxyProcess {
	pid: number;
	startTime: string;
}

export async function startProxyProcess(spec: DaemonSpec, logFile: string): Promise<ProxyProcess> {
	checkSocketPath(spec.socket);
	if (!DAEMON) throw new Error(`natslab's link proxy program is missing beside ${HERE}: rebuild natslab`);
	const args = [...(FROM_SOURCE ? ['--import', 'tsx'] : []), DAEMON, JSON.stringify(spec)];
	const fd = openSync(logFile, 'a');
	const child = (() => {
		try {
			return spawn(process.execPath, args, {
				stdio: ['ignore', fd, fd],
				detached: true,
				cwd: PACKAGE_ROOT,
			});
		} finally {
			closeSync(fd);
		}
	})();
	const pid = child.pid;
	if (pid === undefined) {
		const err = await new Promise<Error>((resolve) => child.once('error', resolve));
		throw new Error(`could not start the link proxies: ${err.message}`, { cause: err });
	}
	child.on('error', () => {});
	child.unref();
	let exited = false;
	child.once('exit', () => {
		exited = true;
	});
	const deadline = Date.now() + READY_TIMEOUT_MS;
	for (;;) {
		try {
			await ask(spec.socket, { status: true }, 2000);
			break;
		} catch (err) {
			if (exited)
				throw new UserError(lastLine(logFile) ?? 'the link proxies exited at start', { cause: err });
			if (Date.now() > deadline) {
				process.kill(pid, 'SIGKILL');
				throw new Error(`the link proxies did not answer within ${READY_TIMEOUT_MS / 1000} s`, {
					cause: err,
				});
			}
			await new Promise((r) => setTimeout(r, 50));
		}
	}
	return { pid, startTime: processStartTime(pid) ?? 'unknown' };
}

/** The proxy process's last words (its start-up error), without the prefix. */
function lastLine(logFile: string): string | null {
	try {
		const lines = readFileSync(logFile, 'utf8').trim().split('\n');
		return lines.at(-1)?.replace(/^natslab link proxies: /, '') ?? null;
	} catch {
		return null;
	}
}
