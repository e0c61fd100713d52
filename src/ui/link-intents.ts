// The dashboard's side of `L` (link-keys.ts): the link changes the reducer queued are
// sent to the Lab after the keys were reduced, in order; the Lab notes each in the
// timeline (Lab.changeLinks). A refusal ("unknown node") comes back on the status line.

import { useEffect, useRef } from 'react';
import { useLabActions, useLinkState } from './context.js';
import type { LinkIntent } from './link-keys.js';

/**
 * Sends `intents` not sent yet; `taken` drops them from the key state, `say` reports a failure.
 * Returns a reader: whether the lab's links are natslab's proxies now (for the key context).
 */
export function useLinkIntents(
	intents: readonly LinkIntent[],
	taken: (upTo: number) => void,
	say: (text: string) => void,
): () => boolean {
	const pairs = useLinkState();
	const { changeLinks } = useLabActions();
	const linked = useRef(pairs !== null);
	linked.current = pairs !== null;
	const sent = useRef(0);
	// One after the other: "cut, then heal" typed fast must reach the proxies in that order.
	const chain = useRef(Promise.resolve());
	useEffect(() => {
		const fresh = intents.filter((i) => i.id > sent.current);
		const last = fresh.at(-1);
		if (!last) return;
		sent.current = last.id;
		taken(last.id);
		for (const { op } of fresh) {
			chain.current = chain.current.then(() =>
				changeLinks(op).then(
					() => undefined,
					(err: unknown) => say(`link change failed: ${(err as Error).message}`),
				),
			);
		}
	}, [intents, taken, say, changeLinks]);
	return () => linked.current;
}
