// One node's nats-server process: spawn it and wait for its client port,
// signal it, and notice its exit. Every step is reported as a ProcessEvent.
// The process is identified by PID + start time, so a reused PID is never
// mistaken for it (and never signalled).
import { mkdirSync } from 'node:fs';
import { UserError } from '../base/errors.js';
import type { NodeName, NodePorts, ProcessEvent } from '../base/names.js';
import { firstBusyPort } from './ports.js';
import { isSameProcess, processStartTime, processState, signalPid, waitForDeath } from './process-info.js';
import { START_TIMEOUT_MS, waitForClientPort } from './readiness.js';
import { checkExecutable, type ExitInfo, lastLogLines, logOffset, spawnServer } from './spawn.js';

/** How long a SIGTERMed server gets before SIGKILL (they normally exit within ~50 ms). */
export const STOP_TIMEOUT_MS = 15_000;
/** How long start() waits for a busy port to come free before giving up. */
export const PORT_WAIT_MS = 2000;

type Signalled = Extract<ProcessEvent, { type: 'signalled' }>['signal'];

/** How a cluster's servers are spawned and report, the same for every node. */
export interface SpawnSettings {
	/** The servers outlive natslab (`cluster up`): no parent-death signal, no cleanup on exit. */
	detached: boolean;
	/** false: no `setpriv --pdeathsig` even where it exists. */
	pdeathsig: boolean;
	binaryFor: (version: string) => Promise<string>;
	onNotice: (msg: string) => void;
}

export interface ServerProcessSetup extends SpawnSettings {
	node: NodeName;
	ports: NodePorts;
	configFile: string;
	logFile: string;
	dataDir: string;
	emit: (e: ProcessEvent) => void;
	/**
	 * Called after this node's pid or version changed, to rewrite its run-file record. For an
	 * exit, `exitedPid` says which process ended: the record is cleared only if it still names
	 * that process (another natslab may have started a new one since).
	 */
	onChange: (exitedPid?: number) => void;
	/** Render this node's config for `version` (just before every spawn). */
	writeConfig: (version: string) => void;
}

export class ServerProcess {
	version: string;
	pid: number | null;
	startTime: string | null;
	/** Exit of the process when this natslab spawned it (else the kernel is watched). */
	private exited: Promise<ExitInfo> | null = null;

	constructor(
		private readonly setup: ServerProcessSetup,
		initial: { version: string; pid: number | null; startTime: string | null },
	) {
		this.version = initial.version;
		this.pid = initial.pid;
		this.startTime = initial.startTime;
	}

	get node(): NodeName {
		return this.setup.node;
	}

	/** Alive (paused counts): the very process that was spawned, not a reused PID. */
	isRunning(): boolean {
		return this.pid !== null && isSameProcess(this.pid, this.startTime);
	}

	isPaused(): boolean {
		return this.pid !== null && this.isRunning() && processState(this.pid) === 'paused';
	}

	/** Spawn and resolve once the client port accepts; a UserError (with its log) when it cannot start. */
	async start(): Promise<void> {
		const { node, logFile } = this.setup;
		if (this.isRunning()) throw new UserError(`${node} is already running (pid ${this.pid})`);
		const fail = (error: string): never => {
			this.setup.emit({ kind: 'process', node, at: Date.now(), type: 'spawnFailed', error });
			throw new UserError(`${node} cannot start: ${error}`);
		};
		const binary = await this.setup.binaryFor(this.version);
		const problem = checkExecutable(binary);
		if (problem) fail(problem);
		const busy = await portsStillBusy({ [node]: this.setup.ports }, PORT_WAIT_MS);
		if (busy) fail(`port ${busy.port} (${busy.label}) is already in use on 127.0.0.1`);
		this.setup.writeConfig(this.version);
		mkdirSync(this.setup.dataDir, { recursive: true });
		const offset = logOffset(logFile);
		let spawned: Awaited<ReturnType<typeof spawnServer>>;
		try {
			spawned = await spawnServer({
				binary,
				configFile: this.setup.configFile,
				logFile,
				detached: this.setup.detached,
				pdeathsig: this.setup.pdeathsig,
			});
		} catch (err) {
			return fail(err instanceof Error ? err.message : String(err));
		}
		const { pid, exited } = spawned;
		this.pid = pid;
		this.startTime = processStartTime(pid);
		this.exited = exited;
		void exited.then((info) => this.recordExit(pid, info));
		this.setup.onChange();
		this.setup.emit({ kind: 'process', node, at: Date.now(), type: 'spawned', pid, version: this.version });

		const outcome = await waitForClientPort(pid, this.setup.ports.client, exited);
		if (outcome.ok) return;
		if ('timeout' in outcome) {
			signalPid(pid, 'SIGKILL');
			await exited;
			throw new UserError(
				`${node} did not accept client connections within ${START_TIMEOUT_MS / 1000} s (see ${logFile})`,
			);
		}
		const { code, signal } = outcome.exit;
		const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
		const lines = lastLogLines(logFile, offset);
		// A server does not crash of these on its own at start; a damaged binary (truncated, overwritten) does.
		const damaged = ['SIGSEGV', 'SIGILL', 'SIGBUS'].includes(signal ?? '')
			? ` (the nats-server ${this.version} binary ${binary} may be damaged: \`natslab servers list\` checks it, \`natslab servers install ${this.version}\` replaces it)`
			: '';
		throw new UserError(
			`${node} ${how} during start: ${lines.length > 0 ? lines.join(' | ') : `nothing in ${logFile}`}${damaged}`,
		);
	}

	/** SIGTERM (`stop`) or SIGKILL (`kill`); resolves once the process has exited. */
	async stop(how: 'stop' | 'kill'): Promise<void> {
		const pid = this.requireRunning(how);
		if (how === 'kill') {
			this.signal(pid, 'SIGKILL');
		} else {
			const paused = processState(pid) === 'paused';
			this.signal(pid, 'SIGTERM');
			// A stopped process acts on SIGTERM only once it runs again.
			if (paused) this.signal(pid, 'SIGCONT');
		}
		if (await this.waitExit(pid, STOP_TIMEOUT_MS)) return;
		this.setup.onNotice(
			`${this.node} (pid ${pid}) ignored SIGTERM for ${STOP_TIMEOUT_MS / 1000} s: sending SIGKILL`,
		);
		this.signal(pid, 'SIGKILL');
		await this.waitExit(pid, STOP_TIMEOUT_MS);
	}

	/** Lame duck mode through the node's own binary: `nats-server --signal ldm=<pid>`. */
	async ldm(): Promise<void> {
		const pid = this.requireRunning('put in lame duck mode');
		const binary = await this.setup.binaryFor(this.version);
		// Loaded on use: commands that only signal or ask never pay execa's start-up (issue #12).
		const { execa } = await import('execa');
		const r = await execa(binary, ['--signal', `ldm=${pid}`], { reject: false, all: true, timeout: 10_000 });
		if (r.exitCode !== 0) {
			const said = String(r.all ?? '')
				.trim()
				.split('\n')
				.pop();
			throw new UserError(`lame duck signal to ${this.node} failed: ${said || r.shortMessage}`);
		}
		this.setup.emit({
			kind: 'process',
			node: this.node,
			at: Date.now(),
			type: 'signalled',
			pid,
			signal: 'ldm',
		});
	}

	/** SIGSTOP / SIGCONT; resolves once the kernel shows the new state. */
	async pause(): Promise<void> {
		const pid = this.requireRunning('pause');
		if (this.isPaused()) throw new UserError(`${this.node} is already paused`);
		this.signal(pid, 'SIGSTOP');
		await until(() => processState(pid) !== 'running', 2000);
	}

	async resume(): Promise<void> {
		const pid = this.requireRunning('resume');
		if (!this.isPaused()) throw new UserError(`${this.node} is not paused`);
		this.signal(pid, 'SIGCONT');
		await until(() => processState(pid) !== 'paused', 2000);
	}

	private signal(pid: number, signal: Exclude<Signalled, 'ldm'>): void {
		signalPid(pid, signal);
		this.setup.emit({ kind: 'process', node: this.node, at: Date.now(), type: 'signalled', pid, signal });
	}

	/** True once `pid` has exited (and the exit was recorded). */
	private async waitExit(pid: number, timeoutMs: number): Promise<boolean> {
		const own = this.pid === pid ? this.exited : null;
		if (own !== null) {
			let timer: NodeJS.Timeout | undefined;
			const timeout = new Promise<'timeout'>((r) => {
				timer = setTimeout(() => r('timeout'), timeoutMs);
			});
			const r = await Promise.race([own, timeout]);
			clearTimeout(timer);
			if (r === 'timeout') return false;
			this.recordExit(pid, r);
			return true;
		}
		// Not our child (an attached cluster): watch the kernel; its exit status is not ours to know.
		if (!(await waitForDeath(pid, timeoutMs))) return false;
		this.recordExit(pid, { code: null, signal: null });
		return true;
	}

	private recordExit(pid: number, info: ExitInfo): void {
		if (this.pid !== pid) return; // already recorded
		this.pid = null;
		this.startTime = null;
		this.exited = null;
		this.setup.onChange(pid);
		this.setup.emit({
			kind: 'process',
			node: this.node,
			at: Date.now(),
			type: 'exited',
			pid,
			code: info.code,
			signal: info.signal,
		});
	}

	private requireRunning(what: string): number {
		if (this.pid === null || !this.isRunning())
			throw new UserError(`cannot ${what} ${this.node}: it is not running`);
		return this.pid;
	}
}

/**
 * The first port that stays busy for `waitMs`. A server that has just exited, or an outgoing
 * connection that briefly holds the port as its local port, frees it within moments.
 */
async function portsStillBusy(
	ports: Record<NodeName, NodePorts>,
	waitMs: number,
): Promise<{ port: number; label: string } | null> {
	const deadline = Date.now() + waitMs;
	for (;;) {
		const busy = await firstBusyPort(ports);
		if (!busy || Date.now() >= deadline) return busy;
		await new Promise((r) => setTimeout(r, 100));
	}
}

async function until(cond: () => boolean, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}
