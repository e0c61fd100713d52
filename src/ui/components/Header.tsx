// Top line: what this is, which versions run, and the JetStream meta group at a
// glance: quorum (members reachable of size, and how many are needed) and the
// meta leader with how long it has led (or how long there has been none).

import { Box, Text } from 'ink';
import { formatDuration } from '../../base/format.js';
import { metaLeaderAgeMs, metaLeaderDoubt, metaQuorumText } from '../../observe/selectors.js';
import { useLabActions, useLabState, useNow } from '../context.js';
import { clip, versionsInPlay } from '../format.js';
import { useTheme } from '../theme.js';

/** `quiz`: a lesson question is open; "(needs 2)" would answer one, so it waits. */
export function Header({ mode, width, quiz = false }: { mode: string; width: number; quiz?: boolean }) {
	const state = useLabState();
	const { versions } = useLabActions();
	const now = useNow();
	const t = useTheme();
	const { meta } = state.cluster;
	const quorum = quiz ? metaQuorumText(state).replace(/ \(needs \d+\)/, '') : metaQuorumText(state);
	const since = formatDuration(metaLeaderAgeMs(state, now));
	const leader = meta.leader ? `meta leader ${meta.leader} for ${since}` : `no meta leader for ${since}`;
	const doubt = metaLeaderDoubt(state);
	const right = ` ${quorum} · ${leader}${doubt}`;
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
				<Text {...t.fg(meta.quorum.ok ? 'green' : 'red')}>{quorum}</Text>
				<Text> · </Text>
				<Text {...t.fg(meta.leader ? 'yellow' : 'red')} {...t.strong()}>
					{leader}
				</Text>
				<Text {...t.fg('yellow')}>{doubt}</Text>
			</Text>
		</Box>
	);
}
