// Everything the keyboard changes on the screen, in one pure reducer. Keys that
// arrive in one chunk ("2r") are dispatched one by one and each sees the state
// the previous one left (a closure would see the state of the last render).
// Node commands are queued as intents; the dashboard sends them, outside the
// reducer. A node with an action in flight refuses another one ("rrr" is one
// restart), and `u` asks first, saying what it will do (and warning on a
// downgrade).

import type { NodeName } from '../base/names.js';
import type { LabState } from '../observe/state.js';
import type { KeyPress } from './keys.js';
import {
	ISOLATE_KEY,
	isolateKeyStep,
	LINK_KEY,
	type LinkIntent,
	type LinkKeyState,
	type LinkMode,
	linkModeKey,
	openLinkMode,
	settleLinkIntent,
	withLinkStep,
} from './link-keys.js';
import { isNodeKey, type NodeKey, ongoing, resolveNodeKey, upgradeNotice } from './node-keys.js';

export type FocusPanel = 'nodes' | 'timeline' | 'logs';
export const FOCUS_ORDER: readonly FocusPanel[] = ['nodes', 'timeline', 'logs'];

export interface NodeIntent {
	id: number;
	key: NodeKey;
	node: NodeName;
}

export interface Feedback {
	text: string;
	tone: 'info' | 'warn' | 'error';
	at: number;
	/** A question: stays on the status line until the next key. */
	sticky?: boolean;
	/** Said instead of `text` when that does not fit the line (the same verdict, fewer words). */
	short?: string;
}

/** A warning the dashboard opens with (RunScreenOptions.warning). */
export interface StartWarning {
	text: string;
	/** For a status line too narrow for `text`. */
	short?: string;
}

export interface UiState {
	selected: number;
	focus: FocusPanel;
	/** Index into the timeline, newest first (0 = newest). */
	timelineCursor: number;
	/** Lines scrolled back from the newest log line (0 = follow the tail). */
	logsBack: number;
	logsAll: boolean;
	/** `v`: the logs panel shows its newest visible line in full (wrapped), not cut. */
	logLine: boolean;
	help: boolean;
	/** The help page shown (] and PgDn next, [ and PgUp back). */
	helpPage: number;
	confirmQuit: boolean;
	feedback: Feedback | null;
	intents: NodeIntent[];
	nextIntentId: number;
	/** Nodes with an action sent and not settled yet: what they are doing ("restarting"). */
	inFlight: Partial<Record<NodeName, { key: NodeKey; doing: string }>>;
	/** `u` was pressed once on this node: a second `u` upgrades it. */
	confirmUpgrade: NodeName | null;
	/** `L` opened the link prompt: keys choose the other end and what to do (link-keys.ts). */
	linkMode: LinkMode | null;
	linkIntents: LinkIntent[];
	isolating: LinkKeyState['isolating'];
	quit: boolean;
}

/** What the reducer needs to know about the world when a key arrives. */
export interface KeyContext {
	nodes: readonly NodeName[];
	/** A lesson step is running: q asks first. */
	busy: boolean;
	timelineLength: number;
	logsLength: number;
	/** Visible rows of the scrollable panels (for PgUp/PgDn). */
	timelineRows: number;
	/** Rows timeline entry i (newest first) takes once wrapped; one each when not given. */
	timelineEntryRows?: (i: number) => number;
	logsRows: number;
	now: number;
	/** The Lab's state when the key arrived: node keys are checked against it at once. */
	state?: LabState;
	upgradeTo?: string | null;
	/** The lab's links go through natslab's proxies (`--links proxied`): `L` can change one. */
	links?: boolean;
	/** Nodes with a cut link in the proxies' last answer (`i` heals those, isolates the others). */
	cutNodes?: readonly NodeName[];
}

export type UiAction =
	| { type: 'key'; key: KeyPress; ctx: KeyContext }
	| { type: 'feedback'; text: string; tone: Feedback['tone']; at: number }
	| { type: 'intentsTaken'; upTo: number }
	| { type: 'linkIntentsTaken'; upTo: number }
	/** The Lab did (or refused) link change `id`. */
	| { type: 'linkIntentSettled'; id: number }
	/** A replay went back: the view starts again from the first (its recorded keys follow). */
	| { type: 'reset' }
	/** The action sent for `node` finished (or was refused): the node takes keys again. */
	| { type: 'settled'; node: NodeName; key: NodeKey };

/**
 * `warning`: said on the status line from the first frame until something else is said there
 * (a sandbox downgrade: a timeline entry scrolls away under the cluster's first events).
 */
export function initialUiState(warning?: StartWarning): UiState {
	return {
		selected: 0,
		focus: 'nodes',
		timelineCursor: 0,
		logsBack: 0,
		logsAll: true,
		logLine: false,
		help: false,
		helpPage: 0,
		confirmQuit: false,
		feedback: warning ? { ...warning, tone: 'warn', at: 0, sticky: true } : null,
		intents: [],
		nextIntentId: 1,
		inFlight: {},
		confirmUpgrade: null,
		linkMode: null,
		linkIntents: [],
		isolating: {},
		quit: false,
	};
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

export function uiReducer(state: UiState, action: UiAction): UiState {
	switch (action.type) {
		case 'feedback':
			return { ...state, feedback: { text: action.text, tone: action.tone, at: action.at } };
		case 'reset':
			return initialUiState();
		case 'intentsTaken':
			return { ...state, intents: state.intents.filter((i) => i.id > action.upTo) };
		case 'linkIntentsTaken':
			return { ...state, linkIntents: state.linkIntents.filter((i) => i.id > action.upTo) };
		case 'linkIntentSettled':
			return settleLinkIntent(state, action.id);
		case 'settled': {
			// A kill sent while a restart was in flight is the one that counts now.
			if (state.inFlight[action.node]?.key !== action.key) return state;
			const inFlight = { ...state.inFlight };
			delete inFlight[action.node];
			return { ...state, inFlight };
		}
		case 'key': {
			// Any key but a second `u` answers the upgrade question with no.
			const asked = state.confirmUpgrade !== null && action.key.ch !== 'u';
			const s = asked ? { ...state, confirmUpgrade: null, feedback: null } : state;
			return onKey(s, action.key, action.ctx);
		}
	}
}

function warn(state: UiState, text: string, now: number): UiState {
	return { ...state, feedback: { text, tone: 'warn', at: now } };
}

/** A node key on the selected node: refused, asked about, or queued as an intent. */
function onNodeKey(state: UiState, key: NodeKey, ctx: KeyContext): UiState {
	const node = ctx.nodes[clamp(state.selected, 0, ctx.nodes.length - 1)];
	if (node === undefined) return state;
	const busy = state.inFlight[node];
	// kill -9 stays possible while a stop or a restart waits for the process to go.
	if (busy && !(key === 'k' && busy.key !== 'k'))
		return warn(state, `${node} is already ${busy.doing}`, ctx.now);
	let doing = `busy (${key})`;
	let feedback = state.feedback;
	if (ctx.state) {
		const r = resolveNodeKey(key, node, ctx.state, ctx.upgradeTo ?? null);
		if ('refused' in r) return warn(state, r.refused, ctx.now);
		doing = ongoing(r.action);
		// Said now, so that a refusal of the next key in the same chunk is not overwritten.
		feedback = { text: r.say, tone: 'info', at: ctx.now };
		if (key === 'u' && state.confirmUpgrade !== node) {
			const notice = upgradeNotice(node, ctx.state, r.action.toVersion ?? '');
			return {
				...state,
				confirmUpgrade: node,
				feedback: { text: notice.text, tone: notice.downgrade ? 'warn' : 'info', at: ctx.now, sticky: true },
			};
		}
	}
	return {
		...state,
		feedback,
		confirmUpgrade: null,
		intents: [...state.intents, { id: state.nextIntentId, key, node }],
		nextIntentId: state.nextIntentId + 1,
		inFlight: { ...state.inFlight, [node]: { key, doing } },
	};
}

/** `L` on the selected node: the prompt, or why not (links that are not natslab's proxies). */
function onLinkKey(state: UiState, ctx: KeyContext): UiState {
	if (!ctx.links) return warn(state, 'L changes a link of a lab started with --links proxied', ctx.now);
	const node = ctx.nodes[clamp(state.selected, 0, ctx.nodes.length - 1)];
	return node === undefined ? state : withLinkStep(state, openLinkMode(node, ctx.nodes), ctx.now);
}

/** `i` on the selected node: isolate or heal it, or why not. */
function onIsolateKey(state: UiState, ctx: KeyContext): UiState {
	if (!ctx.links) return warn(state, 'i cuts a node off in a lab started with --links proxied', ctx.now);
	const node = ctx.nodes[clamp(state.selected, 0, ctx.nodes.length - 1)];
	return node === undefined ? state : isolateKeyStep(state, node, ctx.cutNodes ?? [], ctx.now);
}

function onKey(state: UiState, key: KeyPress, ctx: KeyContext): UiState {
	if (state.quit) return state;
	if (state.linkMode) {
		if (key.name !== 'ctrlC')
			return withLinkStep(state, linkModeKey(state.linkMode, key, ctx.nodes), ctx.now);
		// Ctrl-C closes the prompt too (as the replay's followLinkPrompt does), so the `y` that confirms quit is heard.
		return onKey({ ...state, linkMode: null }, key, ctx);
	}
	if (state.confirmQuit) {
		if (key.ch === 'y' || key.ch === 'Y' || key.name === 'ctrlC')
			return { ...state, confirmQuit: false, quit: true };
		return { ...state, confirmQuit: false, feedback: { text: 'quit cancelled', tone: 'info', at: ctx.now } };
	}
	if (key.name === 'ctrlC' || key.ch === 'q') {
		if (state.help && key.ch === 'q') return { ...state, help: false };
		return ctx.busy ? { ...state, help: false, confirmQuit: true } : { ...state, quit: true };
	}
	if (state.help) {
		if (key.ch === ']' || key.name === 'pageDown' || key.name === 'down')
			return { ...state, helpPage: state.helpPage + 1 };
		if (key.ch === '[' || key.name === 'pageUp' || key.name === 'up')
			return { ...state, helpPage: Math.max(0, state.helpPage - 1) };
		return key.ch === '?' || key.name === 'escape' || key.name === 'return'
			? { ...state, help: false }
			: state;
	}
	if (key.ch === '?') return { ...state, help: true, helpPage: 0 };
	if (key.name === 'escape') return { ...state, feedback: null, logLine: false };
	// The full line shows in the logs panel, so v also brings the logs into view.
	if (key.ch === 'v')
		return state.logLine ? { ...state, logLine: false } : { ...state, logLine: true, focus: 'logs' };

	const digit = /^[1-9]$/.test(key.ch) ? Number(key.ch) - 1 : -1;
	if (digit >= 0) {
		if (digit >= ctx.nodes.length) {
			return { ...state, feedback: { text: `there is no node ${key.ch}`, tone: 'warn', at: ctx.now } };
		}
		return { ...state, selected: digit };
	}
	if (isNodeKey(key.ch)) return onNodeKey(state, key.ch, ctx);
	if (key.ch === LINK_KEY) return onLinkKey(state, ctx);
	if (key.ch === ISOLATE_KEY) return onIsolateKey(state, ctx);
	if (key.ch === 'a') return { ...state, logsAll: !state.logsAll, logsBack: 0 };
	if (key.name === 'tab' || key.name === 'shiftTab') {
		const i = FOCUS_ORDER.indexOf(state.focus);
		const step = key.name === 'tab' ? 1 : FOCUS_ORDER.length - 1;
		return { ...state, focus: FOCUS_ORDER[(i + step) % FOCUS_ORDER.length] ?? 'nodes' };
	}
	return scroll(state, key, ctx);
}

/**
 * The cursor one page on: the farthest entry such that it and every entry from the cursor on fit
 * the panel's rows together (at least one entry on). The panel keeps the cursor's entry whole and
 * the entries between on screen, so paging through wrapped entries never skips one unseen.
 */
function pageOfEntries(cursor: number, dir: 1 | -1, last: number, ctx: KeyContext): number {
	const rowsOf = ctx.timelineEntryRows ?? (() => 1);
	const rows = Math.max(1, ctx.timelineRows);
	let to = cursor;
	let used = rowsOf(cursor);
	while (to + dir >= 0 && to + dir <= last && used + rowsOf(to + dir) <= rows) {
		to += dir;
		used += rowsOf(to);
	}
	return to === cursor ? clamp(cursor + dir, 0, last) : to;
}

function scroll(state: UiState, key: KeyPress, ctx: KeyContext): UiState {
	const name = key.name;
	if (!name) return state;
	if (state.focus === 'nodes') {
		const last = Math.max(0, ctx.nodes.length - 1);
		if (name === 'up') return { ...state, selected: clamp(state.selected - 1, 0, last) };
		if (name === 'down') return { ...state, selected: clamp(state.selected + 1, 0, last) };
		return state;
	}
	if (state.focus === 'timeline') {
		const last = Math.max(0, ctx.timelineLength - 1);
		const cursor = clamp(state.timelineCursor, 0, last);
		if (name === 'pageDown' || name === 'pageUp') {
			const to = pageOfEntries(cursor, name === 'pageDown' ? 1 : -1, last, ctx);
			return { ...state, timelineCursor: to };
		}
		const moves: Partial<Record<string, number>> = { up: -1, down: 1, home: -Infinity, end: Infinity };
		const by = moves[name];
		if (by === undefined) return state;
		return { ...state, timelineCursor: clamp(cursor + by, 0, last) };
	}
	// Logs: newest at the bottom; "up" goes back in time.
	const maxBack = Math.max(0, ctx.logsLength - ctx.logsRows);
	const page = Math.max(1, ctx.logsRows - 1);
	const moves: Partial<Record<string, number>> = {
		up: 1,
		down: -1,
		pageUp: page,
		pageDown: -page,
		home: Infinity,
		end: -Infinity,
	};
	const by = moves[name];
	if (by === undefined) return state;
	return { ...state, logsBack: clamp(state.logsBack + by, 0, maxBack) };
}
