// Exactly one active useInput for the whole screen. Ink reference-counts raw
// mode: if the setup view's handler were switched off before the dashboard's
// came on, the terminal would drop to cooked mode for a moment (echo, line
// buffering). The router owns the one useInput and forwards keys to whichever
// view registered last; a view rendered without a router (tests, the lesson
// picker) uses its own.
//
// Keys that arrive together (one chunk, or several chunks before React renders
// again) must each see what the previous key did (docs/toolchain.md P2). So what a
// key means is decided by state that is updated synchronously: useKeyState
// keeps its state in a ref and reduces every key at once; React only draws it.

import { type Key, useInput, useStdin } from 'ink';
import {
	createContext,
	type ReactNode,
	useContext,
	useLayoutEffect,
	useMemo,
	useReducer,
	useRef,
} from 'react';

type KeyHandler = (input: string, key: Key) => void;

interface Router {
	/** Installs `handler`; the returned function removes it (only if it is still the current one). */
	set(handler: KeyHandler): () => void;
}

const RouterContext = createContext<Router | null>(null);

export function KeyRouter({
	children,
	onKey,
}: {
	children: ReactNode;
	/** Sees every key first (a recording keeps the keys pressed). */
	onKey?: KeyHandler;
}) {
	const { isRawModeSupported } = useStdin();
	const current = useRef<KeyHandler | null>(null);
	const router = useMemo<Router>(
		() => ({
			set: (h) => {
				current.current = h;
				return () => {
					if (current.current === h) current.current = null;
				};
			},
		}),
		[],
	);
	useInput(
		(input, key) => {
			onKey?.(input, key);
			current.current?.(input, key);
		},
		{ isActive: isRawModeSupported === true },
	);
	return <RouterContext.Provider value={router}>{children}</RouterContext.Provider>;
}

/** Handle keys: through the router when there is one, else with an own useInput. */
export function useKeys(handler: KeyHandler): void {
	const router = useContext(RouterContext);
	const { isRawModeSupported } = useStdin();
	const latest = useRef(handler);
	latest.current = handler;
	const stable = useMemo<KeyHandler>(() => (input, key) => latest.current(input, key), []);
	// A layout effect runs in the same commit that draws the view, so a key typed
	// right after the view appears already reaches it.
	useLayoutEffect(() => (router ? router.set(stable) : undefined), [router, stable]);
	useInput(stable, { isActive: router === null && isRawModeSupported === true });
}

/**
 * useReducer whose state is current between renders: `dispatch` reduces at once
 * and `read()` returns the result, so the next key of the same chunk sees it.
 */
export function useKeyState<S, A>(
	reducer: (state: S, action: A) => S,
	init: () => S,
): [state: S, dispatch: (action: A) => void, read: () => S] {
	const ref = useRef<S | null>(null);
	if (ref.current === null) ref.current = init();
	const [, redraw] = useReducer((n: number) => n + 1, 0);
	const api = useMemo(
		() => ({
			dispatch: (action: A) => {
				const next = reducer(ref.current as S, action);
				if (next === ref.current) return;
				ref.current = next;
				redraw();
			},
			read: () => ref.current as S,
		}),
		[reducer],
	);
	return [ref.current, api.dispatch, api.read];
}
