// Setup view until the Lab is ready, then the dashboard (with the lesson, when
// the course hosts one). Owns the single useInput through the KeyRouter.

import type { Key } from 'ink';
import {
	Component,
	type ComponentType,
	type ReactNode,
	useCallback,
	useMemo,
	useSyncExternalStore,
} from 'react';
import type { ActionSource } from '../../base/names.js';
import type { ReplayControl } from '../../record/replay-kit.js';
import { LabProvider, useTerminalSize } from '../context.js';
import { KeyRouter, useKeys } from '../key-router.js';
import { replayKeyHandler } from '../replay-keys.js';
import type { ScreenStore } from '../screen-store.js';
import { ThemeProvider } from '../theme.js';
import type { StartWarning } from '../ui-state.js';
import { Dashboard, type LessonSlot } from './Dashboard.js';
import { ReplayBar } from './ReplayBar.js';
import { SetupView } from './SetupView.js';

/**
 * How the course puts its lesson on the screen: a component rendered inside the
 * Lab's providers (so it can use useLabState/useLabActions) that hands its
 * current slot to `render`.
 */
export type LessonHost = ComponentType<{ render: (slot: LessonSlot | undefined) => ReactNode }>;

export interface ScreenRootProps {
	screen: ScreenStore;
	mode: string;
	source: ActionSource;
	color: boolean;
	lesson?: LessonHost;
	onQuit: () => void;
	/** A component threw: runScreen stops the servers and prints one line. */
	onCrash: (error: unknown) => void;
	/** A replay (natslab replay): its clock, its keys first and its bar instead of the key bar. */
	replay?: ReplayControl;
	/** Sees every key (a recording keeps them). */
	onKey?: (input: string, key: Key) => void;
	/** Said on the dashboard's status line until something else is (RunScreenOptions.warning). */
	warning?: StartWarning;
}

/**
 * Instead of Ink's own error screen (a stack and a code excerpt in the last frame),
 * draw nothing and let runScreen end with one line.
 */
class CrashBoundary extends Component<
	{ onCrash: (error: unknown) => void; children: ReactNode },
	{ crashed: boolean }
> {
	override state = { crashed: false };
	static getDerivedStateFromError(): { crashed: boolean } {
		return { crashed: true };
	}
	override componentDidCatch(error: unknown): void {
		this.props.onCrash(error);
	}
	override render(): ReactNode {
		return this.state.crashed ? null : this.props.children;
	}
}

export function ScreenRoot({
	screen,
	mode,
	source,
	color,
	lesson: Lesson,
	onQuit,
	onCrash,
	replay,
	onKey,
	warning,
}: ScreenRootProps) {
	const snap = useSyncExternalStore(screen.subscribe, screen.getSnapshot);
	const size = useTerminalSize();
	const replayKeys = useMemo(() => (replay ? replayKeyHandler(replay) : undefined), [replay]);
	const render = useCallback(
		(slot: LessonSlot | undefined) => (
			<Dashboard
				mode={mode}
				lesson={slot}
				onQuit={onQuit}
				keysFirst={replayKeys}
				keyBar={replay ? <ReplayBar replay={replay} /> : undefined}
				followKeys={replay}
				warning={warning}
			/>
		),
		[mode, onQuit, replay, replayKeys, warning],
	);
	return (
		<CrashBoundary onCrash={onCrash}>
			<ThemeProvider color={color}>
				<KeyRouter onKey={onKey}>
					{snap.lab ? (
						<LabProvider lab={snap.lab} source={source} clock={replay?.clock}>
							{Lesson ? <Lesson render={render} /> : render(undefined)}
						</LabProvider>
					) : (
						<SetupScreen onQuit={onQuit}>
							<SetupView
								mode={mode}
								setup={snap.setup}
								width={size.cols}
								rows={size.rows}
								startedAt={snap.startedAt}
							/>
						</SetupScreen>
					)}
				</KeyRouter>
			</ThemeProvider>
		</CrashBoundary>
	);
}

/** During setup only q and Ctrl-C mean something: stop and clean up. */
function SetupScreen({ onQuit, children }: { onQuit: () => void; children: ReactNode }) {
	useKeys((input, key) => {
		if (input === 'q' || (key.ctrl && input === 'c') || input === '\u0003') onQuit();
	});
	return <>{children}</>;
}
