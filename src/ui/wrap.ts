// Word wrap for panel lines: never cut a word off. Lines that fit are kept as
// they are (with their colours); longer ones wrap at spaces, keep their
// indentation on every row, and a word longer than the row breaks hard.

// biome-ignore lint/suspicious/noControlCharactersInRegex: SGR escapes are what we strip
const SGR = /\u001b\[[0-9;]*m/g;

export function stripAnsi(s: string): string {
	return s.replace(SGR, '');
}

/** Display columns of plain text (one per code point: the panel uses no wide characters). */
export function columns(s: string): number {
	return [...stripAnsi(s)].length;
}

export function wrapLine(text: string, width: number): string[] {
	if (!Number.isFinite(width) || columns(text) <= width) return [text];
	const plain = stripAnsi(text);
	const indent = /^\s*/.exec(plain)?.[0] ?? '';
	// Keep the indentation only when it leaves room for words.
	const pad = indent.length <= width / 2 ? indent : '';
	const rows: string[] = [];
	let row = pad;
	const flush = () => {
		if (row.trim()) rows.push(row.trimEnd());
		row = pad;
	};
	for (const word of plain.trim().split(/\s+/)) {
		let rest = [...word];
		if (row.trim() && columns(row) + 1 + rest.length > width) flush();
		while (columns(row) + rest.length > width) {
			const take = Math.max(1, width - columns(row));
			rows.push(row + rest.slice(0, take).join(''));
			rest = rest.slice(take);
			row = pad;
		}
		row = row.trim() ? `${row} ${rest.join('')}` : row + rest.join('');
	}
	flush();
	return rows.length > 0 ? rows : [''];
}
