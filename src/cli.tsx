#!/usr/bin/env node
// natslab's entry. First the one crash path (signals, closed terminal or pipe,
// uncaught errors: src/lab/cleanup.ts), then the command (src/commands/main.ts,
// whose runCommand is the one place a failure is reported), then every cleanup
// and the exit code. The codes are listed in src/base/errors.ts and the README.

import module from 'node:module';
import { installCrashHandlers, isEnding, runCleanups } from './lab/cleanup.js';

// Node 22.1+ can keep the compiled code of natslab's modules on disk between runs, which
// cuts every command's start-up; Node 20 has no such cache (issue #12), hence the check.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// React's development build roughly doubles the CPU each frame costs. Commands
// are imported lazily, so this takes effect before React loads.
process.env.NODE_ENV ??= 'production';

async function main(): Promise<void> {
	installCrashHandlers();
	const { runCommand } = await import('./commands/main.js');
	const code = await runCommand(process.argv.slice(2), {
		stdout: process.stdout,
		stderr: process.stderr,
		// Made only when a command reads it (a screen): see whenStdinMade in lab/cleanup.ts.
		get stdin() {
			return process.stdin;
		},
		env: process.env,
	});
	// A signal or a closed output may have ended the command: that ending picks the code.
	if (isEnding()) return;
	await runCleanups();
	process.exit(code);
}

await main();
