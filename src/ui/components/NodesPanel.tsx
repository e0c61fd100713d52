// One row per node: its number key, name, version, process state (colour AND
// symbol), leader badges (◆META, ★stream, ☆consumer), a route to each peer, its
// client count and /healthz verdict with the server's own error text. A named
// diagnosis (a one-way route, a stuck replica) is in the top border.

import { Text } from 'ink';
import { formatDuration } from '../../base/format.js';
import type { NodeName } from '../../base/names.js';
import { diagnosisTag } from '../../observe/diagnoses.js';
import type { LabState, NodeState } from '../../observe/state.js';
import { useLabState, useNow } from '../context.js';
import { useDiagnoses } from '../diagnoses.js';
import { cell, isAlive, processLook, routesTo } from '../format.js';
import { useTheme } from '../theme.js';
import { Panel } from './Panel.js';

interface Columns {
	state: number;
	badges: number;
	routes: number;
	clients: number;
	wide: boolean;
}

function columns(width: number, peers: number): Columns {
	const wide = width >= 96;
	return {
		wide,
		state: wide ? 17 : 16,
		badges: wide ? 19 : 13,
		routes: 3 + peers * 4,
		clients: wide ? 11 : 6,
	};
}

/** "ORDERS > C1" → "C1" (the stream is on the stream badge already). */
function consumerShort(name: string): string {
	const i = name.lastIndexOf('>');
	return i >= 0 ? name.slice(i + 1).trim() : name;
}

export function leaderBadges(node: NodeState): string[] {
	return [
		...(node.isMetaLeader ? ['◆META'] : []),
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
	const stateLabel =
		node.process === 'lameDuck' && node.lameDuckSince
			? `${look.label} ${formatDuration(now - node.lameDuckSince)}`
			: look.label;
	const badges = leaderBadges(node).join(' ');
	const routes = alive ? routesTo(state, name) : [];
	// null: this process has not answered /routez yet, so its routes are unknown (not absent).
	const routesKnown = node.routesSeenAt !== null;
	const clients =
		node.clients === null || !alive ? '' : cols.wide ? `clients ${node.clients}` : `cl ${node.clients}`;
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
				{cell(badges, cols.badges)}
			</Text>
			<Text> </Text>
			{alive ? (
				<Text>
					<Text {...t.dim()}>⇄ </Text>
					{routes.map((r) => (
						<Text key={r.peer} {...t.fg(!routesKnown ? 'gray' : r.routed ? 'green' : 'red')}>
							{r.peer}
							{!routesKnown ? '?' : r.routed ? '✓' : '✗'}{' '}
						</Text>
					))}
				</Text>
			) : (
				<Text {...t.dim()}>{cell('⇄ —', cols.routes)}</Text>
			)}
			<Text> {cell(clients, cols.clients)} </Text>
			<Health node={node} alive={alive} />
		</Text>
	);
}

function Health({ node, alive }: { node: NodeState; alive: boolean }) {
	const t = useTheme();
	if (!alive) {
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
