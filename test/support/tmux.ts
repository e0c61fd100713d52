// A real terminal for end-to-end tests: a private tmux server (own socket in a
// temp dir, never the user's tmux), a detached session of a fixed size, keys
// sent as tmux key names, the screen read back with capture-pane.
// The command runs with CI unset: with CI=true Ink draws nothing until exit.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitUntil } from '../../src/base/wait.js';

const run = promisify(execFile);

export interface TmuxStartOptions {
	cols?: number;
	rows?: number;
	/** Extra environment for the command (CI is always removed). */
	env?: Record<string, string>;
	cwd?: string;
}

function shellQuote(s: string): string {
	return `'${s.replace(/'/g, `'\\''`)}'`;
}

export class Tmux {
	private readonly dir = mkdtempSync(join(tmpdir(), 'natslab-tmux-'));
	private readonly socket = join(this.dir, 'tmux.sock');
	private readonly session = 'app';
	/** Marker printed after the command ends, with its exit code. */
	static readonly EXITED = /\[exited (\d+)\]/;

	private tmux(...args: string[]) {
		return run('tmux', ['-S', this.socket, ...args], { encoding: 'utf8' });
	}

	/** Starts `command` (a shell command line) in a detached session; the pane stays after it exits. */
	async start(command: string, opts: TmuxStartOptions = {}): Promise<void> {
		const env = Object.entries(opts.env ?? {})
			.map(([k, v]) => `${k}=${shellQuote(v)}`)
			.join(' ');
		const cd = opts.cwd ? `cd ${shellQuote(opts.cwd)} && ` : '';
		const line = `${cd}env -u CI -u CONTINUOUS_INTEGRATION ${env} ${command}; echo "[exited $?]"; sleep 600`;
		await this.tmux(
			'new-session',
			'-d',
			'-s',
			this.session,
			'-x',
			String(opts.cols ?? 100),
			'-y',
			String(opts.rows ?? 30),
			line,
		);
	}

	/** The visible screen as text (colours as SGR codes with `colors`). */
	async screen(opts: { colors?: boolean } = {}): Promise<string> {
		const { stdout } = await this.tmux(
			'capture-pane',
			'-p',
			...(opts.colors ? ['-e'] : []),
			'-t',
			this.session,
		);
		return stdout;
	}

	/** tmux key names: '1', 'r', 'Tab', 'Down', 'C-c'. Several in one call arrive as one chunk. */
	async keys(...names: string[]): Promise<void> {
		await this.tmux('send-keys', '-t', this.session, ...names);
	}

	async type(text: string): Promise<void> {
		await this.tmux('send-keys', '-t', this.session, '-l', text);
	}

	/** Polls the screen until it matches; throws with the last screen on timeout. */
	async waitFor(
		what: string | RegExp | ((screen: string) => boolean),
		timeoutMs = 10_000,
		label?: string,
	): Promise<string> {
		const test =
			typeof what === 'function'
				? what
				: typeof what === 'string'
					? (s: string) => s.includes(what)
					: (s: string) => what.test(s);
		let last = '';
		return waitUntil(
			async () => {
				last = await this.screen().catch(() => last);
				return test(last) ? last : undefined;
			},
			{
				timeoutMs,
				everyMs: 50,
				describe: () =>
					`tmux: timed out after ${timeoutMs} ms waiting for ${label ?? String(what)}; screen:\n${last}`,
			},
		);
	}

	/** pid of the pane's shell. */
	async panePid(): Promise<number> {
		const { stdout } = await this.tmux('display-message', '-p', '-t', this.session, '#{pane_pid}');
		return Number(stdout.trim());
	}

	/** `tmux kill-session`: closes the terminal under the command (its processes get SIGHUP). */
	async killSession(): Promise<void> {
		await this.tmux('kill-session', '-t', this.session);
	}

	/** Kills the private tmux server and removes its socket folder. */
	async kill(): Promise<void> {
		await this.tmux('kill-server').catch(() => {});
		rmSync(this.dir, { recursive: true, force: true });
	}
}
