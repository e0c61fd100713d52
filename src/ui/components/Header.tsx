// Top line: what this is, which versions run, and the JetStream meta group as the
// servers report it (their /jsz: quorum counted by the leader, the leader they
// name, for how long); what natslab knows first (it killed or froze that leader)
// follows, marked as natslab's. A fresh cluster whose servers have named no leader
// yet while natslab's start checks their first election (the sandbox's dashboard is
// up before it) says so: no leader yet, electing. Definitions: docs/screen-definitions.md.

import { Box, Text } from 'ink';
import { type MetaHeader, metaHeader, type Tone } from '../../observe/meta-header.js';
import { useConnectionProblem, useElection, useLabActions, useLabState, useNow } from '../context.js';
import { type ColorName, clip, versionsInPlay } from '../format.js';
import { useTheme } from '../theme.js';

/** Room kept for the versions on the left before an unknown quorum is left out. */
const MIN_LEFT = 24;

const TONE: Record<Tone, ColorName> = { ok: 'green', bad: 'red', doubt: 'yellow', unknown: 'gray' };
// Short enough to leave the left part whole on 100 columns.
const ELECTING: MetaHeader['leader'] = { text: 'electing a meta leader…', tone: 'doubt' };

/**
 * On a narrow terminal the details (who disagrees, who is not current) give way first, then a
 * quorum the servers do not report ("?/3"); the leader and natslab's note always stay.
 */
function segmentsThatFit(quorum: MetaHeader['quorum'], leader: string, detail: string, room: number) {
	const q = quorum.text.length + 3;
	if (q + leader.length + detail.length <= room) return { showQuorum: true, showDetail: true };
	if (quorum.tone !== 'unknown' || q + leader.length <= room) return { showQuorum: true, showDetail: false };
	return { showQuorum: false, showDetail: false };
}

/** `quiz`: a lesson question is open; "(needs 2)" would answer one, so it waits. */
export function Header({ mode, width, quiz = false }: { mode: string; width: number; quiz?: boolean }) {
	const state = useLabState();
	const { versions, readOnly } = useLabActions();
	const now = useNow();
	const t = useTheme();
	const problem = useConnectionProblem();
	const election = useElection();
	const meta = metaHeader(state, now, quiz);
	const { quorum, note, detail } = meta;
	// 'bad' is "no meta leader"; with no leader before it either, this is the first election. It stays
	// until the servers' answers name the leader, also when natslab's own check saw it a poll earlier.
	const first = election && election.phase !== 'failed' && !state.cluster.meta.previous;
	const leader = first && meta.leader.tone === 'bad' ? ELECTING : meta.leader;
	const { showQuorum, showDetail } = segmentsThatFit(
		quorum,
		`${leader.text}${note}`,
		detail,
		width - MIN_LEFT,
	);
	const right = ` ${showQuorum ? `${quorum.text} · ` : ''}${leader.text}${note}${showDetail ? detail : ''}`;
	const leftWidth = Math.max(0, width - right.length);
	const inPlay = versionsInPlay(state, versions.upgradeTo);
	// A read-only lab's label says what it shows ("watching prod").
	const full = readOnly
		? `natslab ${readOnly} · ${inPlay}`
		: `natslab ${mode} · ${state.cluster.name} · ${inPlay}`;
	// On a narrow terminal the versions matter more than the product and cluster names.
	const left = full.length <= leftWidth ? full : `${readOnly ?? mode} · ${inPlay}`;
	// A watch whose own connection is down shows an old picture: that comes first, all the time.
	if (problem)
		return (
			<Box width={width} height={1}>
				<Text wrap="truncate" {...t.fg('red')} {...t.strong()}>
					{clip(problem, width)}
				</Text>
			</Box>
		);
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
				{showDetail ? <Text {...t.fg('yellow')}>{detail}</Text> : null}
			</Text>
		</Box>
	);
}
