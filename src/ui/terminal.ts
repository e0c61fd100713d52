// Terminal checks and the instant placeholder, kept free of Ink so that the
// command can use them before the (slow, ~0.6 s) import of the screen.

export interface TerminalIo {
	stdout: NodeJS.WriteStream;
	stdin: NodeJS.ReadStream;
}

/** Why the screen cannot run here, or null. */
export function terminalProblem(io: TerminalIo): string | null {
	if (!io.stdout.isTTY) return 'stdout is not a terminal';
	if (!io.stdin.isTTY) return 'stdin is not a terminal (keys would not reach the screen)';
	return null;
}

/** One line shown at once while the screen loads; runScreen erases it before drawing. */
export function showPlaceholder(stdout: NodeJS.WriteStream, text: string): void {
	stdout.write(`${text}`);
}

export function erasePlaceholder(stdout: NodeJS.WriteStream): void {
	stdout.write('\r\u001B[2K');
}
