// The dashboard's side of `L` (link-keys.ts): the link changes the reducer queued are
// sent to the Lab after the keys were reduced, in order; the Lab notes each in the
// timeline (Lab.changeLinks). A refusal ("unknown node") comes back on the status line.

import { useEffect, useRef } from 'react';
import type { NodeName } from '../base/names.js';
import { useLabActions, useLinkStateReader } from './context.js';
import type { KeyPress } from './keys.js';
import { followLinkPrompt, type LinkIntent, type LinkMode, nodesWithCutLink } from './link-keys.js';

/**
 * Sends `intents` not sent yet; `taken` drops them from the key state, `settled` says one was
 * done or refused, `say` reports a failure. Returns a reader: whether the lab's links are
 * natslab's proxies now, and which nodes have a cut link (for the key context).
 */
export function useLinkIntents(
	intents: readonly LinkIntent[],
	taken: (upTo: number) => void,
	settled: (id: number) => void,
	say: (text: string) => void,
): () => { proxied: boolean; cutNodes: NodeName[] } {
	const readLinks = useLinkStateReader();
	const { changeLinks } = useLabActions();
	const sent = useRef(0);
	// One after the other: "cut, then heal" typed fast must reach the proxies in that order.
	const chain = useRef(Promise.resolve());
	useEffect(() => {
		const fresh = intents.filter((i) => i.id > sent.current);
		const last = fresh.at(-1);
		if (!last) return;
		sent.current = last.id;
		taken(last.id);
		for (const { id, op } of fresh) {
			chain.current = chain.current.then(() =>
				changeLinks(op)
					.then(
						() => undefined,
						(err: unknown) => say(`link change failed: ${(err as Error).message}`),
					)
					.finally(() => settled(id)),
			);
		}
	}, [intents, taken, settled, say, changeLinks]);
	// Read when a key arrives, not from the last render: the Lab's answer to the previous change
	// is in the store before its `settled`, so a key after that sees it.
	return () => {
		const pairs = readLinks();
		return { proxied: pairs !== null, cutNodes: nodesWithCutLink(pairs) };
	};
}

/**
 * A replay: which recorded keys the live link prompt took (link-keys.ts followLinkPrompt), so
 * that they are not followed as view keys; `reset` when the replay seeks back.
 */
export function useRecordedLinkPrompt(linksProxied: () => boolean) {
	const mode = useRef<LinkMode | null>(null);
	return {
		took: (press: KeyPress, nodes: readonly NodeName[], ui: { selected: number; help: boolean }): boolean => {
			const at = { nodes, selected: nodes[ui.selected] ?? null, links: linksProxied(), help: ui.help };
			const r = followLinkPrompt(mode.current, press, at);
			mode.current = r.mode;
			return r.took;
		},
		reset: () => {
			mode.current = null;
		},
	};
}
