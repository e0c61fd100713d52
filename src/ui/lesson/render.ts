// Lesson prose (Markdown) → a string for the terminal, wrapped to a width:
// marked + marked-terminal (docs/toolchain.md P10). Two fixes on top: inline
// formatting inside tight list items (marked-terminal prints those raw), and
// code blocks as plain indented text (no syntax colouring of log lines).

import { Marked, type MarkedExtension, type Tokens } from 'marked';
import { markedTerminal } from 'marked-terminal';

const cache = new Map<string, Marked>();

type Style = (s: string) => string;
/** SGR styles without a chalk dependency; identity when colour is off. */
function styles(color: boolean): Record<'plain' | 'bold' | 'italic' | 'yellow' | 'gray' | 'blue', Style> {
	const sgr =
		(open: number, close: number): Style =>
		(s) =>
			color ? `\u001b[${open}m${s}\u001b[${close}m` : s;
	return {
		plain: (s) => s,
		bold: sgr(1, 22),
		italic: sgr(3, 23),
		yellow: sgr(33, 39),
		gray: sgr(90, 39),
		blue: sgr(34, 39),
	};
}

function markedFor(width: number, color: boolean): Marked {
	const key = `${width}:${color}`;
	let m = cache.get(key);
	if (m) return m;
	const c = styles(color);
	m = new Marked();
	m.use(
		markedTerminal({
			width,
			reflowText: true,
			tab: 2,
			showSectionPrefix: false,
			emoji: false,
			code: c.yellow,
			codespan: c.yellow,
			blockquote: c.gray,
			heading: c.bold,
			firstHeading: c.bold,
			strong: c.bold,
			em: c.italic,
			listitem: c.plain,
			paragraph: c.plain,
			link: c.blue,
			href: c.blue,
			hr: c.plain,
			del: c.gray,
			html: c.gray,
			table: c.plain,
		}) as MarkedExtension,
	);
	m.use({
		renderer: {
			text(token: Tokens.Text | Tokens.Escape) {
				if ('tokens' in token && token.tokens) return this.parser.parseInline(token.tokens);
				return token.text;
			},
			code(token: Tokens.Code) {
				const body = token.text
					.split('\n')
					.map((line) => `  ${c.yellow(line)}`)
					.join('\n');
				return `${body}\n\n`;
			},
		},
	});
	cache.set(key, m);
	return m;
}

/** Markdown → terminal text (ANSI colours only when `color`), no trailing blank lines. */
export function renderMarkdown(markdown: string, width: number, color = false): string {
	if (!markdown.trim()) return '';
	const out = markedFor(Math.max(20, width), color).parse(markdown, { async: false });
	return out.replace(/\s+$/, '');
}
