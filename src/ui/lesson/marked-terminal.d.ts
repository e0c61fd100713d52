// marked-terminal 7 ships no types (and @types/marked-terminal targets marked 11,
// docs/toolchain.md P13): only what natslab uses.
declare module 'marked-terminal' {
	export function markedTerminal(
		options?: Record<string, unknown>,
		highlightOptions?: Record<string, unknown>,
	): unknown;
}
