// The screen: header, nodes, clients | timeline, logs, the lesson slot, a status
// line and the key bar, laid out for the terminal's size (never taller than it).
// One always-active useInput (see key-router.tsx); keyboard state lives in a reducer; node keys
// become intents resolved against the Lab's state and sent through act().

import { Box, type Key, Text } from 'ink';
import { type ReactNode, useEffect, useRef } from 'react';
import type { RecordedKeys } from '../../record/replay-kit.js';
import {
	useClockReader,
	useLabActions,
	useLabState,
	useLabStateReader,
	useTerminalSize,
} from '../context.js';
import { useKeyState, useKeys } from '../key-router.js';
import { type KeyPress, splitKeys, toInkKey } from '../keys.js';
import { innerRows } from '../layout.js';
import { useLinkIntents, useRecordedLinkPrompt } from '../link-intents.js';
import { ISOLATE_KEY, LINK_KEY } from '../link-keys.js';
import { isNodeKey, resolveNodeKey } from '../node-keys.js';
import { useRecordedKeys } from '../replay-keys.js';
import { initialUiState, type KeyContext, type StartWarning, uiReducer } from '../ui-state.js';
import { ClientsPanel } from './ClientsPanel.js';
import { Header } from './Header.js';
import { HelpPanel, readOnlyKeyText } from './HelpPanel.js';
import { KeyBar, StatusLine } from './KeyBar.js';
import { LinksLine } from './LinksLine.js';
import { LogsPanel, visibleLogs } from './LogsPanel.js';
import { NodesPanel } from './NodesPanel.js';
import { Panel } from './Panel.js';
import { useScreenLayout } from './screen-layout.js';
import { TimelinePanel, timelineEntryRows } from './TimelinePanel.js';

/** What a lesson puts on the screen. The course renders the same dashboard with one. */
export interface LessonSlot {
	panel: ReactNode;
	/** Sees every key first (except Ctrl-C); true = consumed. */
	onKey?: (input: string, key: Key) => boolean;
	/** A step is running: q asks before quitting. */
	busy?: boolean;
	/** Panel title, e.g. "lesson 6/9 · Lame duck mode". */
	title?: string;
	/** Content rows the panel would like (default 4); it gets fewer on small terminals. */
	rows?: number;
	/** A question is open: the header hides the figure that would answer it ("needs 2"). */
	quiz?: boolean;
}

export interface DashboardProps {
	/** Shown in the header: "sandbox", "course". */
	mode: string;
	lesson?: LessonSlot;
	onQuit: () => void;
	/** Sees every key before the lesson and the dashboard (a replay's controls); true = consumed. */
	keysFirst?: (input: string, key: Key) => boolean;
	/** Drawn instead of the key bar (a replay's position and keys). */
	keyBar?: ReactNode;
	/** A replay: the keys pressed on the live screen, which this one follows. */
	followKeys?: RecordedKeys;
	/** On the status line from the first frame until something else is said there. */
	warning?: StartWarning;
}

function errorLine(err: unknown): string {
	const text = err instanceof Error ? err.message : String(err);
	return text.split('\n')[0] ?? text;
}

export function Dashboard({ mode, lesson, onQuit, keysFirst, keyBar, followKeys, warning }: DashboardProps) {
	const size = useTerminalSize();
	const state = useLabState();
	const readState = useLabStateReader();
	const readClock = useClockReader();
	const actions = useLabActions();
	const [ui, dispatch, readUi] = useKeyState(uiReducer, () => initialUiState(warning));
	const { order } = state.cluster;
	const layout = useScreenLayout(lesson ? (lesson.rows ?? 4) : null);
	const selectedNode = order[Math.min(ui.selected, order.length - 1)] ?? null;

	// Several keys of one chunk run before React renders again: the UI state is read
	// as the previous key left it (readUi), the rest from the last render.
	const readLinks = useLinkIntents(
		ui.linkIntents,
		(upTo) => dispatch({ type: 'linkIntentsTaken', upTo }),
		(id) => dispatch({ type: 'linkIntentSettled', id }),
		(text) => dispatch({ type: 'feedback', text, tone: 'error', at: readClock() }),
	);
	const linksProxied = () => readLinks().proxied;
	const latest = useRef({ lesson, layout, keysFirst });
	latest.current = { lesson, layout, keysFirst };

	/** One key press; `recorded`: pressed live and replayed, so the replay's own keys do not see it. */
	const onPress = (press: KeyPress, recorded = false): void => {
		const { lesson: slot, layout: lay } = latest.current;
		const now = readUi();
		// The link prompt (L) takes every key until it closes, before the lesson's and the replay's.
		const modal = now.help || now.confirmQuit || now.linkMode !== null;
		const first = !recorded && !modal && press.name !== 'ctrlC';
		if (first && latest.current.keysFirst?.(press.ch, toInkKey(press))) return;
		if (!modal && press.name !== 'ctrlC' && slot?.onKey?.(press.ch, toInkKey(press))) return;
		if (
			!modal &&
			actions.readOnly &&
			(isNodeKey(press.ch) || press.ch === ISOLATE_KEY || press.ch === LINK_KEY)
		) {
			const text = readOnlyKeyText(actions.readOnly);
			dispatch({ type: 'feedback', text, tone: 'warn', at: readClock() });
			return;
		}
		const s = readState();
		const links = readLinks();
		const filter = now.logsAll ? null : (s.cluster.order[now.selected] ?? null);
		const timelineRows = innerRows(lay.middle) - 1;
		const ctx: KeyContext = {
			nodes: s.cluster.order,
			busy: slot?.busy === true,
			timelineLength: s.timeline.length,
			logsLength: visibleLogs(s.logs, filter).length,
			timelineRows,
			timelineEntryRows: timelineEntryRows(s.timeline, lay.rightWidth),
			logsRows: innerRows(lay.logs > 0 ? lay.logs : lay.middle),
			now: readClock(),
			state: s,
			upgradeTo: actions.versions.upgradeTo,
			links: links.proxied,
			cutNodes: links.cutNodes,
		};
		dispatch({ type: 'key', key: press, ctx });
	};
	useKeys((input, key) => {
		for (const press of splitKeys(input, key)) onPress(press);
	});
	// A replay: the view keys the learner pressed live, at their moments (replay-keys.ts).
	const recordedLinkPrompt = useRecordedLinkPrompt(linksProxied);
	useRecordedKeys(
		followKeys,
		(press) => onPress(press, true),
		() => {
			recordedLinkPrompt.reset();
			dispatch({ type: 'reset' });
		},
		(press) => recordedLinkPrompt.took(press, readState().cluster.order, readUi()),
	);

	// Node intents → refusal or act(). Runs after the keys were reduced.
	const taken = useRef(0);
	useEffect(() => {
		const fresh = ui.intents.filter((i) => i.id > taken.current);
		const last = fresh.at(-1);
		if (!last) return;
		taken.current = last.id;
		dispatch({ type: 'intentsTaken', upTo: last.id });
		for (const intent of fresh) {
			const r = resolveNodeKey(intent.key, intent.node, readState(), actions.versions.upgradeTo);
			if ('refused' in r) {
				dispatch({ type: 'feedback', text: r.refused, tone: 'warn', at: readClock() });
				dispatch({ type: 'settled', node: intent.node, key: intent.key });
				continue;
			}
			// What the key does was said when it was pressed (ui-state), before any refusal of the next key.
			actions
				.act(r.action)
				.catch((err: unknown) => {
					dispatch({
						type: 'feedback',
						text: `${r.say} failed: ${errorLine(err)}`,
						tone: 'error',
						at: readClock(),
					});
				})
				.finally(() => dispatch({ type: 'settled', node: intent.node, key: intent.key }));
		}
	}, [ui.intents, readState, readClock, actions, dispatch]);

	useEffect(() => {
		if (ui.quit) onQuit();
	}, [ui.quit, onQuit]);

	if (layout.tooSmall) {
		return (
			<Text wrap="truncate">
				natslab needs a larger terminal (now {size.cols}x{size.rows}; at least 80x24 is best) · q quits
			</Text>
		);
	}

	const { cols } = layout;
	const logsInMiddle = layout.logs === 0 && ui.focus === 'logs';
	const logsPanel = (height: number, width: number) => (
		<LogsPanel
			width={width}
			height={height}
			focused={ui.focus === 'logs'}
			all={ui.logsAll}
			selectedNode={selectedNode}
			back={ui.logsBack}
			open={ui.logLine}
		/>
	);
	return (
		<Box flexDirection="column" width={cols} height={layout.total}>
			<Header mode={mode} width={cols} quiz={lesson?.quiz === true} />
			{layout.links > 0 ? <LinksLine width={cols} /> : null}
			{ui.help ? (
				// Help covers every panel (the lesson's too): at 80x24 it needs the room.
				<HelpPanel
					width={cols}
					height={layout.nodes + layout.middle + layout.logs + layout.lesson}
					nodeCount={order.length}
					page={ui.helpPage}
				/>
			) : (
				<>
					<NodesPanel
						width={cols}
						height={layout.nodes}
						selected={ui.selected}
						focused={ui.focus === 'nodes'}
					/>
					<Box height={layout.middle} width={cols}>
						{logsInMiddle ? (
							logsPanel(layout.middle, cols)
						) : (
							<>
								<ClientsPanel
									width={layout.clientsWidth}
									height={layout.middle}
									detailed={layout.clientsDetailed}
								/>
								<TimelinePanel
									width={layout.rightWidth}
									height={layout.middle}
									focused={ui.focus === 'timeline'}
									cursor={ui.timelineCursor}
								/>
							</>
						)}
					</Box>
					{layout.logs > 0 ? logsPanel(layout.logs, cols) : null}
				</>
			)}
			{lesson && layout.lesson > 0 && !ui.help ? (
				<Panel title={lesson.title ?? 'lesson'} width={cols} height={layout.lesson} accent="magenta">
					{lesson.panel}
				</Panel>
			) : null}
			<StatusLine
				width={cols}
				feedback={ui.feedback}
				confirmQuit={ui.confirmQuit}
				selectedNode={selectedNode}
			/>
			{keyBar ?? <KeyBar width={cols} nodeCount={order.length} />}
		</Box>
	);
}
