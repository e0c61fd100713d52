// The two bottom lines: a status line (the answer to the last key, a question,
// a named diagnosis with its recovery, or facts about the selected node) and
// the key bar.

import { Text } from 'ink';
import { formatDuration } from '../../base/format.js';
import type { NodeName } from '../../base/names.js';
import type { Diagnosis } from '../../observe/diagnoses.js';
import { useLabActions, useLabState, useLinkState, useNow } from '../context.js';
import { useDiagnoses } from '../diagnoses.js';
import { clip, isAlive, processLook } from '../format.js';
import { useTheme } from '../theme.js';
import type { Feedback } from '../ui-state.js';

/** Feedback stays on the status line this long. */
export const FEEDBACK_MS = 8000;

/** Dropped first when the bar is too narrow; ? help and q quit are never dropped. */
const DROP_ORDER = ['tab', 'v', 'i', 'p', 'u', 'l', 's', 'k', 'r'];
/** With proxied links, i and L (what such a lab is for) stay at 80 columns; p and u go first. */
const LINKS_DROP_ORDER = ['tab', 'v', 'u', 'p', 'L', 'i', 'l', 's', 'k', 'r'];

/**
 * The key bar's entries, fitted to `width`: two spaces apart when there is room,
 * else one, else short labels, else the least needed keys go (q quit stays).
 */
export function keyBarItems(
	width: number,
	nodeCount: number,
	links = false,
	/** A lab that cannot act (Lab.readOnly): its label instead of the node keys. */
	readOnly: string | null = null,
): [string, string][] {
	const range = nodeCount > 1 ? `1-${nodeCount}` : '1';
	const nodeKeys: [string, string][] = readOnly
		? []
		: [
				['r', 'restart'],
				['s', 'stop/start'],
				['k', 'kill -9'],
				['l', 'lame duck'],
				['p', 'pause'],
				['u', 'upgrade'],
				...(links
					? ([
							['i', 'isolate'],
							['L', 'link'],
						] as [string, string][])
					: []),
			];
	const wide: [string, string][] = [
		[range, 'node'],
		...nodeKeys,
		['v', 'log line'],
		['tab', 'panel'],
		['?', 'help'],
		['q', 'quit'],
	];
	const narrow: [string, string][] = wide
		.filter(([key]) => key !== 'tab')
		.map(([key, what]) => [key, key === 'k' ? 'kill' : key === 'l' ? 'ldm' : key === 'v' ? 'line' : what]);
	const length = (items: [string, string][], gap: number) =>
		items.reduce((n, [k, w]) => n + k.length + 1 + w.length, 0) + gap * (items.length - 1);
	for (const items of [wide, narrow]) {
		if (length(items, 2) <= width) return items;
		if (length(items, 1) <= width) return items;
	}
	let items = narrow;
	for (const key of links ? LINKS_DROP_ORDER : DROP_ORDER) {
		if (length(items, 1) <= width) break;
		items = items.filter(([k]) => k !== key);
	}
	return items;
}

export function KeyBar({ width, nodeCount }: { width: number; nodeCount: number }) {
	const t = useTheme();
	const links = useLinkState() !== null;
	const { readOnly } = useLabActions();
	const items = keyBarItems(width, nodeCount, links, readOnly);
	const full = items.reduce((n, [k, w]) => n + k.length + 1 + w.length, 0);
	const gap = full + 2 * (items.length - 1) <= width ? '  ' : ' ';
	return (
		<Text wrap="truncate">
			{items.map(([key, what], i) => (
				<Text key={key}>
					{i > 0 ? gap : ''}
					<Text {...t.fg('cyan')} {...t.strong()}>
						{key}
					</Text>
					<Text> {what}</Text>
				</Text>
			))}
		</Text>
	);
}

/** The recovery first (a narrow terminal cuts the end): "⚠ one-way-route · restart n2 … (keys 2 r) · n1 lists …". */
export function diagnosisStatus(d: Diagnosis, keyNumber: number): string {
	return `⚠ ${d.kind} · ${d.hint} (keys ${keyNumber} r) · ${d.summary}`;
}

export function StatusLine({
	width,
	feedback,
	confirmQuit,
	selectedNode,
}: {
	width: number;
	feedback: Feedback | null;
	confirmQuit: boolean;
	selectedNode: NodeName | null;
}) {
	const t = useTheme();
	const now = useNow();
	const state = useLabState();
	const diagnosis = useDiagnoses()[0];
	if (confirmQuit) {
		return (
			<Text wrap="truncate" {...t.fg('yellow')} {...t.strong()}>
				{clip('? a lesson step is running — quit anyway? y = quit, any other key = stay', width)}
			</Text>
		);
	}
	if (feedback && (feedback.sticky || now - feedback.at < FEEDBACK_MS)) {
		const color = feedback.tone === 'error' ? 'red' : feedback.tone === 'warn' ? 'yellow' : 'cyan';
		const mark = feedback.tone === 'info' ? '»' : '!';
		const full = `${mark} ${feedback.text}`;
		const text = feedback.short && full.length > width ? `${mark} ${feedback.short}` : full;
		return (
			<Text wrap="truncate" {...t.fg(color)}>
				{clip(text, width)}
			</Text>
		);
	}
	if (diagnosis) {
		return (
			<Text wrap="truncate" {...t.fg('yellow')}>
				{clip(diagnosisStatus(diagnosis, state.cluster.order.indexOf(diagnosis.node) + 1), width)}
			</Text>
		);
	}
	const node = selectedNode ? state.cluster.nodes[selectedNode] : undefined;
	if (!node) return <Text> </Text>;
	const parts = [`${node.name}: ${processLook(node).label} for ${formatDuration(now - node.since)}`];
	// A watched cluster's servers are not natslab's processes: no pid is known (0). A replay has the real one.
	if (node.pid && isAlive(node.process)) parts.push(`pid ${node.pid}`);
	if (isAlive(node.process))
		parts.push(node.seesMetaLeader ? `sees meta leader ${node.seesMetaLeader}` : 'sees no meta leader');
	if (node.health && !node.health.ok && isAlive(node.process))
		parts.push(`healthz ${node.health.status}: ${node.health.error ?? ''}`);
	if (node.lastError && !isAlive(node.process)) parts.push(node.lastError);
	return (
		<Text wrap="truncate" {...t.dim()}>
			{clip(parts.join(' · '), width)}
		</Text>
	);
}
