// The one place the screen's layout is computed from what is on it: the dashboard
// draws its panels with it and the lesson host lays out the lesson panel's lines for
// the rows it grants. Two callers computing it from different inputs once disagreed
// (the lesson host left out the links line): the panel drew a line more than it held
// and one line was drawn over another.

import { useLabState, useTerminalSize } from '../context.js';
import { computeLayout, type Layout } from '../layout.js';
import { useLinksRows } from './LinksLine.js';

/** The layout for the terminal's size and the lab's state; `lessonRows` null = no lesson slot. */
export function useScreenLayout(lessonRows: number | null): Layout {
	const size = useTerminalSize();
	const state = useLabState();
	const links = useLinksRows();
	return computeLayout({
		links,
		cols: size.cols,
		rows: size.rows,
		nodes: state.cluster.order.length,
		probes: state.clients.order.length,
		lessonRows,
	});
}
