// `L`: one link, from the selected node (a lab with proxied links). L opens a
// one-line prompt on the status line; the other end is chosen with its number
// or the arrows; c cuts the link, d delays it 200 ms each way, h heals it; Esc
// (or q) cancels. `i` cuts every link of the selected node, or heals them when
// one is cut. Pure: the reducer (ui-state.ts) holds the mode and the `i` changes
// not settled yet, so keys typed in one chunk ("L2c", "ii") each see what the
// previous one left.

import type { NodeName } from '../base/names.js';
import type { LinkOp } from '../cluster/links/table.js';
import type { KeyPress } from './keys.js';

export const LINK_KEY = 'L';
export const ISOLATE_KEY = 'i';

/** What `d` gives a link: the delay the lessons and docs/partitions.md use. */
export const LINK_KEY_DELAY_MS = 200;

/** The link prompt is open: `from` is the selected node, `to` the other end once chosen. */
export interface LinkMode {
	from: NodeName;
	to: NodeName | null;
}

/** What one key does in link mode: the mode after it (null: closed), what the status line says, a change to send. */
export interface LinkModeStep {
	mode: LinkMode | null;
	text: string;
	tone: 'info' | 'warn';
	/** The prompt stays on the status line until the next key. */
	sticky: boolean;
	op?: LinkOp;
}

/** The prompt, one line at 80 columns: "link n1–n2 · other end 2-3 ←→ · c cut · d delay 200 ms · h heal · Esc". */
export function linkPrompt(mode: LinkMode, nodes: readonly NodeName[], short = false): string {
	const digits = nodes.flatMap((n, i) => (n === mode.from ? [] : [String(i + 1)]));
	const range = digits.length > 2 ? `${digits[0]}-${digits.at(-1)}` : digits.join(',');
	const link = `link ${mode.from}–${mode.to ?? '?'}`;
	// After a warning: the same keys in fewer words, so the line still fits 80 columns.
	if (short) return `${link} · ${range} ←→ c d h Esc`;
	return `${link} · other end ${range} ←→ · c cut · d delay ${LINK_KEY_DELAY_MS} ms · h heal · Esc`;
}

/** A link change asked for with `L`; the dashboard sends it to the Lab. */
export interface LinkIntent {
	id: number;
	op: LinkOp;
}

/** The part of the screen's key state (ui-state.ts) the link prompt changes. */
export interface LinkKeyState {
	linkMode: LinkMode | null;
	linkIntents: LinkIntent[];
	/**
	 * What the last `i` on a node asked for, until the Lab has done it (`linkIntentSettled`):
	 * a second `i` before then flips that, not the links as the screen last saw them.
	 */
	isolating: Partial<Record<NodeName, { id: number; op: 'isolate' | 'heal' }>>;
	nextIntentId: number;
	feedback: { text: string; tone: 'info' | 'warn' | 'error'; at: number; sticky?: boolean } | null;
}

/** The prompt's answer to a key in the key state: the mode, the status line, a change queued. */
export function withLinkStep<S extends LinkKeyState>(state: S, step: LinkModeStep, now: number): S {
	const feedback = { text: step.text, tone: step.tone, at: now, sticky: step.sticky };
	if (!step.op) return { ...state, linkMode: step.mode, feedback };
	const intent = { id: state.nextIntentId, op: step.op };
	const linkIntents = [...state.linkIntents, intent];
	return { ...state, linkMode: step.mode, feedback, linkIntents, nextIntentId: state.nextIntentId + 1 };
}

/** The nodes with a cut link in the proxies' answer (none for a lab without proxies). */
export function nodesWithCutLink(
	pairs: readonly { from: NodeName; to: NodeName; cut: boolean }[] | null,
): NodeName[] {
	const cut = new Set<NodeName>();
	for (const p of pairs ?? []) if (p.cut) cut.add(p.from).add(p.to);
	return [...cut];
}

/** `i` on `node`: heal it when a link of it is cut (or its last `i` isolated it), else isolate it. */
export function isolateKeyStep<S extends LinkKeyState>(
	state: S,
	node: NodeName,
	cutNodes: readonly NodeName[],
	now: number,
): S {
	const pending = state.isolating[node];
	const cut = pending ? pending.op === 'isolate' : cutNodes.includes(node);
	const op = cut ? ({ op: 'heal', node } as const) : ({ op: 'isolate', node } as const);
	const id = state.nextIntentId;
	const text = cut ? `healing ${node}'s links` : `isolating ${node}: every link of it cut, both ways`;
	return {
		...state,
		feedback: { text, tone: 'info', at: now },
		linkIntents: [...state.linkIntents, { id, op }],
		isolating: { ...state.isolating, [node]: { id, op: op.op } },
		nextIntentId: id + 1,
	};
}

/** The Lab did (or refused) link change `id`: an `i` it was the last of no longer counts as pending. */
export function settleLinkIntent<S extends LinkKeyState>(state: S, id: number): S {
	const entries = Object.entries(state.isolating).filter(([, v]) => v?.id !== id);
	if (entries.length === Object.keys(state.isolating).length) return state;
	return { ...state, isolating: Object.fromEntries(entries) };
}

/** `L` on `node`: the prompt opens with no other end yet. */
export function openLinkMode(node: NodeName, nodes: readonly NodeName[]): LinkModeStep {
	const mode = { from: node, to: null };
	return { mode, text: linkPrompt(mode, nodes), tone: 'info', sticky: true };
}

const ACTIONS: Record<string, (a: NodeName, b: NodeName) => { op: LinkOp; say: string }> = {
	c: (a, b) => ({ op: { op: 'cut', a, b }, say: `cutting link ${a}–${b}, both ways` }),
	d: (a, b) => ({
		op: { op: 'delay', a, b, delayMs: LINK_KEY_DELAY_MS, dropPercent: 0 },
		// A delay keeps a cut link cut (the proxy changes only its delay): say so, h heals it.
		say: `delaying link ${a}–${b} ${LINK_KEY_DELAY_MS} ms each way (a cut link stays cut: h heals)`,
	}),
	h: (a, b) => ({ op: { op: 'heal-link', a, b }, say: `healing link ${a}–${b}` }),
};

/** The other end one step on (←/↑ back, →/↓ on), skipping `from`. */
function stepOtherEnd(mode: LinkMode, nodes: readonly NodeName[], by: 1 | -1): NodeName | null {
	const others = nodes.filter((n) => n !== mode.from);
	if (others.length === 0) return null;
	const at = mode.to ? others.indexOf(mode.to) : by === 1 ? -1 : 0;
	return others[(at + by + others.length) % others.length] ?? null;
}

/** Where the live screen was when a recorded key came (a replay follows the prompt with it). */
export interface RecordedKeyAt {
	nodes: readonly NodeName[];
	selected: NodeName | null;
	links: boolean;
	help: boolean;
}

/**
 * A replay follows the live prompt through the recorded keys: those it took live ("L2c": the 2
 * chose the other end, it selected no node) are not view keys. `mode`: the prompt as they left it.
 */
export function followLinkPrompt(
	mode: LinkMode | null,
	press: KeyPress,
	at: RecordedKeyAt,
): { mode: LinkMode | null; took: boolean } {
	if (mode)
		return { mode: press.name === 'ctrlC' ? null : linkModeKey(mode, press, at.nodes).mode, took: true };
	if (press.ch !== LINK_KEY || !at.links || !at.selected || at.help) return { mode: null, took: false };
	return { mode: openLinkMode(at.selected, at.nodes).mode, took: true };
}

/** One key while the prompt is open (Ctrl-C is the caller's: it always quits). */
export function linkModeKey(mode: LinkMode, key: KeyPress, nodes: readonly NodeName[]): LinkModeStep {
	const ask = (m: LinkMode, text?: string): LinkModeStep => {
		const prompt = linkPrompt(m, nodes, text !== undefined);
		return {
			mode: m,
			text: text ? `${text} · ${prompt}` : prompt,
			tone: text ? 'warn' : 'info',
			sticky: true,
		};
	};
	if (key.name === 'escape' || key.ch === 'q' || key.ch === LINK_KEY)
		return { mode: null, text: 'link: nothing changed', tone: 'info', sticky: false };
	const digit = /^[1-9]$/.test(key.ch) ? Number(key.ch) - 1 : -1;
	if (digit >= 0) {
		const to = nodes[digit];
		if (!to) return ask(mode, `no node ${key.ch}`);
		if (to === mode.from) return ask(mode, `${mode.from} is this end`);
		return ask({ ...mode, to });
	}
	const arrows: Partial<Record<string, 1 | -1>> = { left: -1, up: -1, right: 1, down: 1 };
	const by = key.name ? arrows[key.name] : undefined;
	if (by) return ask({ ...mode, to: stepOtherEnd(mode, nodes, by) });
	const action = ACTIONS[key.ch];
	if (!action) return ask(mode, `not a link key: ${key.ch || key.name}`);
	if (!mode.to) return ask(mode, 'other end first');
	const { op, say } = action(mode.from, mode.to);
	return { mode: null, text: say, tone: 'info', sticky: false, op };
}
