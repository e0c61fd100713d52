// One row per node: its number key, name, version, process state (colour AND
// symbol), leader badges (◆META as the servers name it, ★stream, ☆consumer), a
// route to each peer as both ends report it, its client count and /healthz
// verdict with the server's own error text; a frozen node's row says its data is
// stale instead. A named diagnosis (a one-way route, a stuck replica) is in the
// top border. Definitions: docs/screen-definitions.md.

import { Text } from 'ink';
import { formatDuration } from '../../base/format.js';
import type { NodeName } from '../../base/names.js';
import { diagnosisTag } from '../../observe/diagnoses.js';
import { plannedStop } from '../../observe/exit-view.js';
import { metaBadge } from '../../observe/meta-header.js';
import { frozenForMs, type RouteMark, routeMarks } from '../../observe/route-view.js';
import type { LabState, NodeState } from '../../observe/state.js';
import { useLabState, useNow } from '../context.js';
import { useDiagnoses } from '../diagnoses.js';
import { type ColorName, cell, isAlive, processLook } from '../format.js';
import { useTheme } from '../theme.js';
import { Panel } from './Panel.js';

interface Columns {
	state: number;
	badges: number;
	routes: number;
	clients: number;
	wide: boolean;
	/** Narrow with 4+ peers (--nodes 5): a peer is named by its row number, so the row fits 80 columns. */
	peerByNumber: boolean;
}

function columns(width: number, peers: number): Columns {
	const wide = width >= 96;
	const peerByNumber = !wide && peers >= 4;
	return {
		wide,
		peerByNumber,
		state: wide ? 17 : 16,
		badges: wide ? 19 : 13,
		routes: 3 + peers * (peerByNumber ? 2 : 4),
		clients: wide ? 11 : 6,
	};
}

/** "ORDERS > C1" → "C1" (the stream is on the stream badge already). */
function consumerShort(name: string): string {
	const i = name.lastIndexOf('>');
	return i >= 0 ? name.slice(i + 1).trim() : name;
}

/** '✓' both ends list the route, '→' only this node, '←' only the peer, '✗' neither, '?' neither can say. */
const ROUTE_MARKS: Record<RouteMark, { symbol: string; color: ColorName }> = {
	both: { symbol: '✓', color: 'green' },
	mine: { symbol: '→', color: 'yellow' },
	theirs: { symbol: '←', color: 'yellow' },
	none: { symbol: '✗', color: 'red' },
	unknown: { symbol: '?', color: 'gray' },
};

/** `meta`: the node's meta badge as the servers name it (meta-header.ts metaBadge); natslab's own otherwise. */
export function leaderBadges(
	node: NodeState,
	meta: string | null = node.isMetaLeader ? '◆META' : null,
): string[] {
	return [
		...(meta ? [meta] : []),
		...node.leads.streams.map((s) => `★${s}`),
		...node.leads.consumers.map((c) => `☆${consumerShort(c)}`),
	];
}

export function NodesPanel({
	width,
	height,
	selected,
	focused,
}: {
	width: number;
	height: number;
	selected: number;
	focused: boolean;
}) {
	const state = useLabState();
	const { order } = state.cluster;
	const cols = columns(width - 2, Math.max(0, order.length - 1));
	const diagnoses = useDiagnoses();
	const right = diagnoses.length > 0 ? `⚠ ${diagnoses.map(diagnosisTag).join(' · ')}` : undefined;
	return (
		<Panel title="nodes" width={width} height={height} focused={focused} right={right}>
			{order.map((name, i) => (
				<NodeRow key={name} state={state} name={name} index={i} selected={i === selected} cols={cols} />
			))}
		</Panel>
	);
}

function NodeRow({
	state,
	name,
	index,
	selected,
	cols,
}: {
	state: LabState;
	name: NodeName;
	index: number;
	selected: boolean;
	cols: Columns;
}) {
	const t = useTheme();
	const now = useNow();
	const node = state.cluster.nodes[name];
	if (!node) return null;
	const look = processLook(node);
	const alive = isAlive(node.process);
	const frozen = frozenForMs(state, name, now);
	const stateLabel =
		node.process === 'lameDuck' && node.lameDuckSince
			? `${look.label} ${formatDuration(now - node.lameDuckSince)}`
			: frozen !== null
				? `${look.label} ${formatDuration(frozen)}`
				: look.label;
	const badges = leaderBadges(node, metaBadge(state, name)).join(' ');
	const routes = alive ? routeMarks(state, name) : [];
	const clients =
		node.clients === null || !alive || frozen !== null
			? ''
			: cols.wide
				? `clients ${node.clients}`
				: `cl ${node.clients}`;
	return (
		<Text wrap="truncate">
			<Text {...t.fg(selected ? 'cyan' : undefined)} {...t.strong(selected)}>
				{selected ? '›' : ' '} {index + 1} {cell(name, 4)}
			</Text>
			<Text {...t.dim()}>{cell(node.version ?? '—', 8)} </Text>
			<Text {...t.fg(look.color)}>
				{look.symbol} {cell(stateLabel, cols.state - 2)}
			</Text>
			<Text {...t.fg('yellow')} {...t.strong()}>
				{/* A space of its own: "exited SIGKILL" fills the narrow state column. */}
				{` ${cell(badges, cols.badges - 1)}`}
			</Text>
			<Text> </Text>
			{alive ? (
				<Text>
					<Text {...t.dim()}>⇄ </Text>
					{routes.map((r) => (
						<Text key={r.peer} {...t.fg(ROUTE_MARKS[r.mark].color)}>
							{cols.peerByNumber ? state.cluster.order.indexOf(r.peer) + 1 : r.peer}
							{ROUTE_MARKS[r.mark].symbol}
							{cols.peerByNumber ? '' : ' '}
						</Text>
					))}
				</Text>
			) : (
				<Text {...t.dim()}>{cell('⇄ —', cols.routes)}</Text>
			)}
			<Text> {cell(clients, cols.clients)} </Text>
			{frozen !== null ? <Text {...t.fg('magenta')}>data stale</Text> : <Health node={node} alive={alive} />}
		</Text>
	);
}

function Health({ node, alive }: { node: NodeState; alive: boolean }) {
	const t = useTheme();
	if (!alive) {
		const planned = plannedStop(node);
		if (planned && !node.lastError) return <Text {...t.dim()}>{planned.brief}</Text>;
		return <Text {...t.fg('red')}>{node.lastError ? `✗ ${node.lastError}` : ''}</Text>;
	}
	if (!node.health) return <Text {...t.dim()}>· health unknown</Text>;
	if (node.health.ok) return <Text {...t.fg('green')}>✓ healthy</Text>;
	return (
		<Text {...t.fg('red')}>
			✗ {node.health.status} {node.health.error ?? 'unhealthy'}
		</Text>
	);
}
