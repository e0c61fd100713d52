// Exactly one active useInput for the whole screen. Ink reference-counts raw
// mode: if the setup view's handler were switched off before the dashboard's
// came on, the terminal would drop to cooked mode for a moment (echo, line
// buffering). The router owns the one useInput and forwards keys to whichever
// view registered last; a view rendered without a router (tests) uses its own.

import { type Key, useInput, useStdin } from 'ink';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef } from 'react';

type KeyHandler = (input: string, key: Key) => void;

interface Router {
	set(handler: KeyHandler | null): void;
}

const RouterContext = createContext<Router | null>(null);

export function KeyRouter({ children }: { children: ReactNode }) {
	const { isRawModeSupported } = useStdin();
	const current = useRef<KeyHandler | null>(null);
	const router = useMemo<Router>(() => ({ set: (h) => (current.current = h) }), []);
	useInput((input, key) => current.current?.(input, key), { isActive: isRawModeSupported === true });
	return <RouterContext.Provider value={router}>{children}</RouterContext.Provider>;
}

/** Handle keys: through the router when there is one, else with an own useInput. */
export function useKeys(handler: KeyHandler): void {
	const router = useContext(RouterContext);
	const { isRawModeSupported } = useStdin();
	const latest = useRef(handler);
	latest.current = handler;
	const stable = useMemo<KeyHandler>(() => (input, key) => latest.current(input, key), []);
	useEffect(() => {
		if (!router) return;
		router.set(stable);
		return () => router.set(null);
	}, [router, stable]);
	useInput(stable, { isActive: router === null && isRawModeSupported === true });
}
