// The real natslab CLI in its own process, from source (tsx), as a user runs it:
// exit code and both outputs, never rejecting. stdin is closed; nothing is
// stripped from the output, so a test sees exactly what was printed.
import { join, resolve } from 'node:path';
import { execa } from 'execa';

export const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'src', 'cli.tsx');

export interface CliRun {
	code: number | undefined;
	stdout: string;
	stderr: string;
}

export async function natslabCli(
	args: string[],
	env: NodeJS.ProcessEnv,
	timeoutMs = 120_000,
): Promise<CliRun> {
	const r = await execa(process.execPath, ['--import', 'tsx', CLI, ...args], {
		cwd: ROOT,
		env,
		reject: false,
		timeout: timeoutMs,
		stdin: 'ignore',
		stripFinalNewline: false,
	});
	return { code: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}
