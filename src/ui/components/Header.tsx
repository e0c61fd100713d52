// Top line: what this is, which versions run, and the JetStream meta group as the
// servers report it (their /jsz: quorum counted by the leader, the leader they
// name, for how long); what natslab knows first (it killed or froze that leader)
// follows, marked as natslab's. Definitions: docs/screen-definitions.md.

import { Box, Text } from 'ink';
import { metaHeader, type Tone } from '../../observe/meta-header.js';
import { useLabActions, useLabState, useNow } from '../context.js';
import { type ColorName, clip, versionsInPlay } from '../format.js';
import { useTheme } from '../theme.js';

/** Room kept for the versions on the left before an unknown quorum is left out. */
const MIN_LEFT = 24;

const TONE: Record<Tone, ColorName> = { ok: 'green', bad: 'red', doubt: 'yellow', unknown: 'gray' };

/** `quiz`: a lesson question is open; "(needs 2)" would answer one, so it waits. */
export function Header({ mode, width, quiz = false }: { mode: string; width: number; quiz?: boolean }) {
	const state = useLabState();
	const { versions } = useLabActions();
	const now = useNow();
	const t = useTheme();
	const { quorum, leader, note } = metaHeader(state, now, quiz);
	// A quorum the servers do not report ("?/3") gives way first on a narrow terminal.
	const fullRight = ` ${quorum.text} · ${leader.text}${note}`;
	const showQuorum = quorum.tone !== 'unknown' || fullRight.length <= width - MIN_LEFT;
	const right = showQuorum ? fullRight : ` ${leader.text}${note}`;
	const leftWidth = Math.max(0, width - right.length);
	const inPlay = versionsInPlay(state, versions.upgradeTo);
	const full = `natslab ${mode} · ${state.cluster.name} · ${inPlay}`;
	// On a narrow terminal the versions matter more than the product and cluster names.
	const left = full.length <= leftWidth ? full : `${mode} · ${inPlay}`;
	return (
		<Box width={width} height={1}>
			<Box width={leftWidth} flexShrink={0}>
				<Text wrap="truncate" {...t.strong()}>
					{clip(left, leftWidth)}
				</Text>
			</Box>
			<Text wrap="truncate">
				<Text> </Text>
				{showQuorum ? (
					<>
						<Text {...t.fg(TONE[quorum.tone])}>{quorum.text}</Text>
						<Text> · </Text>
					</>
				) : null}
				<Text {...t.fg(leader.tone === 'ok' ? 'yellow' : TONE[leader.tone])} {...t.strong()}>
					{leader.text}
				</Text>
				<Text {...t.fg('yellow')}>{note}</Text>
			</Text>
		</Box>
	);
}
