// Colour on or off, decided once. Ink's chalk ignores NO_COLOR (only FORCE_COLOR
// and the TTY decide), so every colour, bold and inverse on the screen goes
// through this theme: with NO_COLOR the frame carries no escape codes at all and
// the symbols (● ◐ ✗ ◆ ›) carry the meaning alone.

import { createContext, type ReactNode, useContext, useMemo } from 'react';
import type { ColorName } from './format.js';

export interface Theme {
	color: boolean;
	/** Props for <Text>: a foreground colour, or nothing without colour. */
	fg(color: ColorName | undefined): { color?: ColorName };
	/** Emphasis (bold) — an SGR code too, so it is off without colour. */
	strong(on?: boolean): { bold?: boolean };
	dim(on?: boolean): { dimColor?: boolean };
	inverse(on?: boolean): { inverse?: boolean };
	border(color: ColorName | undefined): { borderColor?: ColorName };
	/** A stable colour per node, for logs and names. */
	nodeColor(node: string, order: readonly string[]): ColorName | undefined;
}

const NODE_COLORS: ColorName[] = ['cyan', 'magenta', 'blue', 'yellow', 'green'];

/** NO_COLOR is honoured when present and not empty (https://no-color.org). */
export function colorEnabled(env: NodeJS.ProcessEnv): boolean {
	return !env.NO_COLOR;
}

export function makeTheme(color: boolean): Theme {
	if (!color) {
		return {
			color,
			fg: () => ({}),
			strong: () => ({}),
			dim: () => ({}),
			inverse: () => ({}),
			border: () => ({}),
			nodeColor: () => undefined,
		};
	}
	return {
		color,
		fg: (c) => (c ? { color: c } : {}),
		strong: (on = true) => (on ? { bold: true } : {}),
		dim: (on = true) => (on ? { dimColor: true } : {}),
		inverse: (on = true) => (on ? { inverse: true } : {}),
		border: (c) => (c ? { borderColor: c } : {}),
		nodeColor: (node, order) => {
			const i = order.indexOf(node);
			return NODE_COLORS[Math.max(0, i) % NODE_COLORS.length];
		},
	};
}

const ThemeContext = createContext<Theme>(makeTheme(true));

export function ThemeProvider({ color, children }: { color: boolean; children: ReactNode }) {
	const theme = useMemo(() => makeTheme(color), [color]);
	return <ThemeContext.Provider value={theme}>{children}</ThemeContext.Provider>;
}

export function useTheme(): Theme {
	return useContext(ThemeContext);
}
