// Cleanups that must run however natslab ends: normal exit, Ctrl-C (as SIGINT
// when not in raw mode), SIGTERM, SIGHUP (terminal closed), or a crash. A
// SIGKILL runs nothing: for that, servers carry a parent-death signal and the
// next start reaps what a crashed run left (src/cluster).

import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { natslabPaths } from '../base/paths.js';

type Cleanup = () => Promise<void> | void;

const cleanups = new Set<Cleanup>();
let installed = false;
let running: Promise<void> | null = null;

export function registerCleanup(fn: Cleanup): () => void {
	installHandlers();
	cleanups.add(fn);
	return () => cleanups.delete(fn);
}

export function runCleanups(): Promise<void> {
	running ??= (async () => {
		const all = [...cleanups].reverse();
		cleanups.clear();
		await Promise.allSettled(all.map(async (fn) => fn()));
	})();
	return running;
}

const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

function installHandlers(): void {
	if (installed) return;
	installed = true;
	for (const [signal, code] of Object.entries(SIGNAL_EXIT)) {
		// `on`, not `once`: execa's signal-exit re-raises a signal that it believes nobody
		// else handles, which killed natslab mid-cleanup while a child (nats-server --signal) ran.
		process.on(signal, () => {
			void runCleanups().finally(() => process.exit(code));
		});
	}
	const crash = (reason: unknown) => {
		process.stderr.write(`${crashLine(reason)}\n`);
		void runCleanups().finally(() => process.exit(70));
	};
	process.on('uncaughtException', crash);
	process.on('unhandledRejection', crash);
}

/** One line for the terminal (a stack would tear the screen); the stack goes to a crash log. */
export function crashLine(reason: unknown, env: NodeJS.ProcessEnv = process.env): string {
	const message = (reason instanceof Error ? reason.message : String(reason)).split('\n')[0];
	const detail = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
	try {
		const dir = natslabPaths(env).state;
		mkdirSync(dir, { recursive: true });
		const file = join(dir, 'crash.log');
		appendFileSync(file, `${new Date().toISOString()} ${detail}\n\n`);
		return `natslab: internal error: ${message} (details in ${file})`;
	} catch {
		return `natslab: internal error: ${message}`;
	}
}
