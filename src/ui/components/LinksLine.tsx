// One line under the nodes for a lab with proxied links (`--links proxied`):
// each link between two nodes, what natslab's proxies do with it (open, cut,
// delayed), and whether the servers have noticed a cut yet — a cut holds the
// traffic, so routes stay listed until their PINGs go stale (60 s+ on 2.10+).
// Nothing for direct links. Definitions: docs/partitions.md.

import { Box, Text } from 'ink';
import { type NodeLink, nodeLinks, nodeLinkText, type PairStatus } from '../../cluster/links/pairs.js';
import { routeMark } from '../../observe/route-view.js';
import type { LabState } from '../../observe/state.js';
import { useLabState, useLinkState } from '../context.js';
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

const LEAD = 'links ';
const SEPARATOR = ' · ';

/**
 * The segments as they fit `width`: link by link when they do, else grouped by what is true of them
 * ("cut (routes still up): n1–n2 n1–n3 n2–n3"), so a narrow terminal cuts a list of links, never the
 * words that say whether the servers noticed (three cut links at 80 columns cut "(routes still up)").
 */
export function fitLinkSegments(segments: readonly LinkSegment[], width: number): LinkSegment[] {
	const length =
		LEAD.length + segments.reduce((n, x, i) => n + x.text.length + (i > 0 ? SEPARATOR.length : 0), 0);
	if (length <= width) return [...segments];
	const groups = new Map<string, { links: string[]; color: ColorName }>();
	for (const seg of segments) {
		// "n1–n3 cut (routes still up)": the link, then what is true of it.
		const space = seg.text.indexOf(' ');
		const what = seg.text.slice(space + 1);
		const group = groups.get(what) ?? { links: [], color: seg.color };
		group.links.push(seg.text.slice(0, space));
		groups.set(what, group);
	}
	return [...groups].map(([what, g]) => ({ text: `${what}: ${g.links.join(' ')}`, color: g.color }));
}

export function LinksLine({ width }: { width: number }) {
	const pairs = useLinkState();
	const state = useLabState();
	const t = useTheme();
	if (!pairs) return null;
	const segments = fitLinkSegments(linkSegments(pairs, state), width);
	return (
		<Box width={width} height={1}>
			<Text wrap="truncate">
				<Text {...t.dim()}>{LEAD}</Text>
				{segments.map((s, i) => (
					<Text key={s.text}>
						{i > 0 ? <Text {...t.dim()}>{SEPARATOR}</Text> : null}
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
