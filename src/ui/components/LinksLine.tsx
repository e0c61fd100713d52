// One line under the nodes for a lab with proxied links (`--links proxied`):
// each link between two nodes, what natslab's proxies do with it (open, cut,
// delayed), and whether the servers have noticed a cut yet — a cut holds the
// traffic, so routes stay listed until their PINGs go stale (60 s+ on 2.10+).
// Nothing for direct links. Definitions: docs/partitions.md.

import { Box, Text } from 'ink';
import { useRef } from 'react';
import type { NodeName } from '../../base/names.js';
import { type NodeLink, nodeLinks, nodeLinkText, type PairStatus } from '../../cluster/links/pairs.js';
import { routeMark } from '../../observe/route-view.js';
import type { LabState } from '../../observe/state.js';
import { useLabActions, useLabState, useLinkState } from '../context.js';
import type { ColorName } from '../format.js';
import { useTheme } from '../theme.js';

export interface LinkSegment {
	text: string;
	color: ColorName;
}

/** The route across a cut link as its two ends report it (a frozen end's old /routez does not count). */
function routeNoticed(state: LabState, link: NodeLink): string {
	const mark = routeMark(state, link.a, link.b);
	if (mark === 'none') return 'routes down';
	return mark === 'unknown' ? 'routes ?' : 'routes still up';
}

/** What the line says, link by link (pure, for tests). */
export function linkSegments(pairs: readonly PairStatus[], state: LabState): LinkSegment[] {
	return nodeLinks(pairs).map((link) => {
		const what = nodeLinkText(link);
		const cut = link.there.cut || link.back?.cut === true;
		if (!cut) return { text: `${link.a}–${link.b} ${what}`, color: what === 'open' ? 'green' : 'yellow' };
		return { text: `${link.a}–${link.b} ${what} (${routeNoticed(state, link)})`, color: 'red' };
	});
}

export function LinksLine({ width }: { width: number }) {
	const pairs = useLinkState();
	const state = useLabState();
	const t = useTheme();
	if (!pairs) return null;
	const segments = linkSegments(pairs, state);
	return (
		<Box width={width} height={1}>
			<Text wrap="truncate">
				<Text {...t.dim()}>{'links '}</Text>
				{segments.map((s, i) => (
					<Text key={s.text}>
						{i > 0 ? <Text {...t.dim()}>{' · '}</Text> : null}
						<Text {...t.fg(s.color)}>{s.text}</Text>
					</Text>
				))}
			</Text>
		</Box>
	);
}

/** Rows the line takes: one for a lab with proxied links, none otherwise. */
export function useLinksRows(): number {
	return useLinkState() ? 1 : 0;
}

/** The key that isolates the selected node, or heals it when one of its links is cut. */
const ISOLATE_KEY = 'i';

/** What `i` does to `node` now: heal when any link of it is cut, else isolate. */
function isolateKeyOp(pairs: readonly PairStatus[], node: NodeName) {
	const cut = pairs.some((p) => p.cut && (p.from === node || p.to === node));
	return cut ? ({ op: 'heal', node } as const) : ({ op: 'isolate', node } as const);
}

/**
 * The `i` key for the dashboard: true when it took the key (a lab with proxied links and a
 * node selected). `say` puts what happens on the status line.
 */
export function useIsolateKey(
	say: (text: string, tone: 'info' | 'error') => void,
): (ch: string, node: NodeName | null) => boolean {
	const pairs = useLinkState();
	const { changeLinks } = useLabActions();
	const latest = useRef(pairs);
	latest.current = pairs;
	return (ch, node) => {
		const now = latest.current;
		if (ch !== ISOLATE_KEY || !now || !node) return false;
		const op = isolateKeyOp(now, node);
		say(
			op.op === 'isolate' ? `isolating ${node}: every link of it cut, both ways` : `healing ${node}'s links`,
			'info',
		);
		changeLinks(op).catch((err: unknown) =>
			say(`${op.op} ${node} failed: ${(err as Error).message}`, 'error'),
		);
		return true;
	};
}
