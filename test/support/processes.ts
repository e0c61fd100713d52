// What a test leaves running, found the way a person would: every process whose
// command line mentions a folder (the servers' config paths live in the test's home).
import { readdirSync, readFileSync } from 'node:fs';

/** "pid command line" of each process whose command line mentions `dir`. */
export function processesUnder(dir: string): string[] {
	const found: string[] = [];
	for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
		try {
			const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
			if (cmd.includes(dir)) found.push(`${pid} ${cmd.trim()}`);
		} catch {
			// gone meanwhile
		}
	}
	return found;
}
