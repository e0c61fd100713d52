// Cleanups that must run however natslab ends: normal exit, Ctrl-C (as SIGINT
// when not in raw mode), SIGTERM, SIGHUP (terminal closed), or a crash. A
// SIGKILL runs nothing: for that, servers carry a parent-death signal and the
// next start reaps what a crashed run left (src/cluster).

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
		process.once(signal, () => {
			void runCleanups().finally(() => process.exit(code));
		});
	}
	process.once('uncaughtException', (err) => {
		process.stderr.write(`natslab: internal error: ${err.stack ?? err.message}\n`);
		void runCleanups().finally(() => process.exit(70));
	});
	process.once('unhandledRejection', (reason) => {
		process.stderr.write(
			`natslab: internal error: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`,
		);
		void runCleanups().finally(() => process.exit(70));
	});
}
