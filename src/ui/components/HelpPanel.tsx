// The ? overlay: every key (the dashboard's and the lesson's) and every symbol
// the screen uses, in columns as many as the width allows; an entry wider than
// its column wraps (nothing is cut).

import { Text } from 'ink';
import { REPLAY_LABEL } from '../../record/replay-kit.js';
import { READ_ONLY_REFUSAL } from '../../watch/watch-lab.js';
import { useLabActions, useLinkState } from '../context.js';
import { innerRows } from '../layout.js';
import { REPLAY_KEYS } from '../replay-keys.js';
import { useTheme } from '../theme.js';
import { wrapLine } from '../wrap.js';
import { Panel } from './Panel.js';

export interface HelpEntry {
	text: string;
	/** Symbols and notes are drawn dim, keys bright. */
	dim?: boolean;
}

/** What a node key says on a read-only lab: a watch will not act on its cluster; a replay acts on nothing. */
export function readOnlyKeyText(readOnly: string): string {
	return readOnly === REPLAY_LABEL
		? 'a replay acts on nothing: it plays back what was recorded'
		: READ_ONLY_REFUSAL;
}

export function helpEntries(
	upgradeTo: string | null,
	nodeCount: number,
	links = false,
	/** A lab that cannot act (Lab.readOnly): no node keys. */
	readOnly: string | null = null,
): HelpEntry[] {
	const digits = nodeCount > 1 ? `1-${nodeCount}` : '1';
	const nodeKeys = readOnly
		? [
				`${readOnly}: nothing here acts on a cluster (no node keys)`,
				...(readOnly === REPLAY_LABEL ? REPLAY_KEYS.map(([k, what]) => `${k.padEnd(9)}replay: ${what}`) : []),
			]
		: [
				'r        restart (stop, start)',
				's        stop (SIGTERM) / start',
				'k        kill -9 (SIGKILL)',
				'l        lame duck mode (ldm)',
				'p        pause / resume (SIGSTOP / SIGCONT: a hung node, not a dead one)',
				`u u      upgrade to ${upgradeTo ?? '(start with --upgrade-to)'}: the first u says what it will do, the second does it`,
				...(links
					? [
							'i        isolate the node (cut all its links, both ways) / heal it (--links proxied)',
							'L        one link of the node: its other end (number or ←→), then c cut, d delay 200 ms, h heal; Esc cancels',
						]
					: []),
			];
	const keys = [
		`${digits.padEnd(9)}select a node`,
		'↑ ↓      move / scroll the focused panel',
		'PgUp PgDn Home End: scroll a page / to the ends',
		'tab      next panel (shift-tab: back)',
		...nodeKeys,
		'a        logs: all nodes / the selected node',
		'v        the newest log line shown, in full (v or Esc closes)',
		'enter    lesson: continue',
		'[ ]      lesson: page back / forward through the text',
		'a–d      lesson: answer the question',
		'h        lesson: show the hint',
		'w x      lesson: wait again / skip a timed-out step',
		'? Esc    close this help',
		readOnly ? 'q Ctrl-C quit (nothing on a cluster changes)' : 'q Ctrl-C quit: every server stops',
	];
	const legend = [
		'● up  ◔ starting  ◌ stopping  ○ down  ✗ exited',
		'◐ lame duck: leaders moved away, clients told to leave',
		'‖ paused (SIGSTOP): hung, not dead',
		'◆META meta leader  ★ stream leader  ☆ consumer leader',
		'⇄ routes: n2✓ route up  n2✗ no route  n2? not known yet',
		'⚠ one-way-route, replica-stuck: stuck where servers do not heal; restart the named node',
		'a node busy with a key (restarting…) takes no second one until done; k always works',
		'timeline: newest first; the tag says where it was seen (log, /jsz, /healthz, process, client, action)',
		'logs: ▶ marks the line that caused a timeline entry',
	];
	return [...keys.map((text) => ({ text })), ...legend.map((text) => ({ text, dim: true }))];
}

export interface HelpPages {
	/** page → rows → cells (one per column). */
	pages: HelpEntry[][][];
	colWidth: number;
}

/**
 * The entries in columns of `rows` rows (down, then across), as many columns as
 * the width gives room for; entries stay whole in one column and wrap to its
 * width. What does not fit on one page goes on the next (] or PgDn).
 */
export function helpPages(entries: HelpEntry[], width: number, rows: number): HelpPages {
	const perPage = Math.max(1, Math.min(3, Math.floor((width + 2) / 40)));
	const colWidth = Math.max(10, Math.floor((width - 2 * (perPage - 1)) / perPage));
	const height = Math.max(1, rows);
	const columns: HelpEntry[][] = [[]];
	for (const e of entries) {
		const part = wrapLine(e.text, colWidth).map((text) => ({ text, dim: e.dim }));
		const col = columns.at(-1) ?? [];
		if (col.length > 0 && col.length + part.length > height) columns.push([...part]);
		else col.push(...part);
	}
	const pages: HelpEntry[][][] = [];
	for (let c = 0; c < columns.length; c += perPage) {
		const group = columns.slice(c, c + perPage);
		const h = Math.max(...group.map((col) => col.length));
		pages.push(Array.from({ length: h }, (_, r) => group.map((col) => col[r] ?? { text: '' })));
	}
	return { pages, colWidth };
}

export function HelpPanel({
	width,
	height,
	nodeCount,
	page = 0,
}: {
	width: number;
	height: number;
	nodeCount: number;
	/** Which page (the ui state's count of ] presses; taken modulo the pages here). */
	page?: number;
}) {
	const { versions, readOnly } = useLabActions();
	const links = useLinkState() !== null;
	const t = useTheme();
	const rows = innerRows(height);
	const { pages, colWidth } = helpPages(
		helpEntries(versions.upgradeTo, nodeCount, links, readOnly),
		width - 2,
		rows,
	);
	// ] past the last page comes round to the first.
	const at = Math.max(0, page) % Math.max(1, pages.length);
	const title =
		pages.length > 1
			? `help ${at + 1}/${pages.length} · ] next · [ back · ? or Esc closes`
			: 'help · ? or Esc closes';
	return (
		<Panel title={title} width={width} height={height} focused>
			{(pages[at] ?? []).map((cells, i) => (
				// biome-ignore lint/suspicious/noArrayIndexKey: static lines
				<Text key={i} wrap="truncate">
					{cells.map((c, j) => (
						// biome-ignore lint/suspicious/noArrayIndexKey: static cells
						<Text key={j} {...(c.dim ? t.dim() : {})}>
							{j > 0 ? '  ' : ''}
							{j < cells.length - 1 ? c.text.padEnd(colWidth) : c.text}
						</Text>
					))}
				</Text>
			))}
		</Panel>
	);
}
