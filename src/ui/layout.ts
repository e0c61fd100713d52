// Panel heights from the terminal size. A frame as tall as the terminal makes Ink
// clear the whole screen on every update (scrollback wiped, flicker), so the frame
// is always at most rows - 1 lines, and every panel has a fixed height.

export const MIN_COLS = 60;

export interface LayoutInput {
	cols: number;
	rows: number;
	nodes: number;
	probes: number;
	/** Content rows the lesson panel wants; null when there is no lesson. */
	lessonRows: number | null;
	/** Rows of the links line (1 for a lab with proxied links, LinksLine.tsx); default 0. */
	links?: number;
}

export interface Layout {
	cols: number;
	/** True when not even the smallest dashboard fits: show one line instead. */
	tooSmall: boolean;
	header: number;
	/** The links line under the header (0 for direct links). */
	links: number;
	/** Heights include the panel borders. */
	nodes: number;
	/** The clients | timeline row. */
	middle: number;
	/** Two lines per probe (counters and a sparkline) or one. */
	clientsDetailed: boolean;
	/** 0 when the logs panel does not fit (tab to logs then shows it in the middle row). */
	logs: number;
	lesson: number;
	status: number;
	keys: number;
	clientsWidth: number;
	rightWidth: number;
	/** Sum of all heights: always < rows. */
	total: number;
}

const BORDER = 2;
const MIN_MIDDLE = BORDER + 2;
const MIN_LESSON = BORDER + 1;
const LOGS_MIN = BORDER + 3;
const LOGS_GOOD = BORDER + 5;

export function computeLayout(input: LayoutInput): Layout {
	const cols = Math.max(1, input.cols);
	const header = 1;
	const links = input.links ?? 0;
	const status = 1;
	const keys = 1;
	const nodes = BORDER + Math.max(1, input.nodes);
	const clientsWidth = Math.max(34, Math.min(44, Math.floor(cols * 0.42)));
	const base = { cols, header, links, status, keys, nodes, clientsWidth, rightWidth: cols - clientsWidth };

	// One line is left free below the frame (see the file comment).
	const avail = input.rows - 1 - header - links - status - keys - nodes;
	const lessonWanted = input.lessonRows === null ? 0 : BORDER + Math.max(1, input.lessonRows);
	const lessonFloor = input.lessonRows === null ? 0 : MIN_LESSON;
	if (cols < MIN_COLS || avail < MIN_MIDDLE + lessonFloor) {
		return { ...base, tooSmall: true, middle: 0, clientsDetailed: false, logs: 0, lesson: 0, total: 1 };
	}
	const lesson = Math.min(lessonWanted, avail - MIN_MIDDLE);
	const rest = avail - lesson;

	const detailed = BORDER + Math.max(2, input.probes * 2);
	const compact = BORDER + Math.max(2, input.probes);
	let middle: number;
	let logs: number;
	let clientsDetailed: boolean;
	if (rest >= detailed + LOGS_GOOD) {
		middle = Math.max(detailed, Math.floor(rest * 0.45));
		logs = rest - middle;
		clientsDetailed = true;
	} else if (rest >= compact + LOGS_MIN) {
		middle = compact;
		logs = rest - compact;
		clientsDetailed = false;
	} else {
		middle = rest;
		logs = 0;
		clientsDetailed = rest >= detailed;
	}
	const total = header + links + nodes + middle + logs + lesson + status + keys;
	return { ...base, tooSmall: false, middle, clientsDetailed, logs, lesson, total };
}

/** Rows of content inside a bordered panel of height `h`. */
export function innerRows(h: number): number {
	return Math.max(0, h - BORDER);
}
