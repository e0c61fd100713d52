// The ? overlay: every key and every symbol the screen uses, in the space of
// the panels it covers.

import { Text } from 'ink';
import { useLabActions } from '../context.js';
import { innerRows } from '../layout.js';
import { useTheme } from '../theme.js';
import { Panel } from './Panel.js';

export function helpLines(upgradeTo: string | null, nodeCount: number): string[] {
	const digits = Array.from({ length: nodeCount }, (_, i) => i + 1).join(' ');
	return [
		`${digits.padEnd(7)} select a node            tab/shift-tab  move between nodes, timeline, logs`,
		'r       restart (stop, start)    ↑ ↓ PgUp PgDn  scroll the focused panel (Home/End)',
		's       stop (SIGTERM) / start   a              logs: all nodes / the selected node',
		'k       kill -9 (SIGKILL)        ?  Esc         close this help',
		'l       lame duck mode (ldm)     q  Ctrl-C      quit: every server stops',
		'p       pause / resume (SIGSTOP / SIGCONT: a hung node, not a dead one)',
		`u u     upgrade to ${upgradeTo ?? '(start with --upgrade-to)'}: the first u says what it will do, the second does it`,
		'a node busy with a key (restarting…) takes no second one until done; k always works',
		'⚠ one-way-route, replica-stuck: servers stuck where they do not heal; restart the named node',
		'● up  ◔ starting  ◐ lame duck  ‖ paused  ◌ stopping  ○ down  ✗ exited',
		'◆META meta leader  ★ stream leader  ☆ consumer leader  n2✓ route up  n2✗ no route  n2? not known yet',
		'timeline: newest first; the tag says where it was seen (log, /jsz, /healthz, process, client, action)',
		'logs: ▶ marks the line that caused a timeline entry',
	];
}

export function HelpPanel({
	width,
	height,
	nodeCount,
}: {
	width: number;
	height: number;
	nodeCount: number;
}) {
	const { versions } = useLabActions();
	const t = useTheme();
	const lines = helpLines(versions.upgradeTo, nodeCount).slice(0, innerRows(height));
	return (
		<Panel title="help · ? or Esc closes" width={width} height={height} focused>
			{lines.map((line, i) => (
				// biome-ignore lint/suspicious/noArrayIndexKey: static lines
				<Text key={i} wrap="truncate" {...(i < 9 ? {} : t.dim())}>
					{line}
				</Text>
			))}
		</Panel>
	);
}
