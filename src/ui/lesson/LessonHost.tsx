// Puts a running lesson into the dashboard's lesson slot: runs the lesson
// session the command built (the screen never constructs engines), turns its
// view into the panel, and routes the keys the lesson uses ([ ] scroll, h hint,
// the action key, a–d, enter).

import { useApp } from 'ink';
import { type ReactNode, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { LessonKey, LessonResult } from '../../lessons/results.js';
import type { LessonView } from '../../lessons/view.js';
import type { LessonSlot } from '../components/Dashboard.js';
import type { LessonHost } from '../components/ScreenRoot.js';
import { useScreenLayout } from '../components/screen-layout.js';
import { useTerminalSize } from '../context.js';
import { useTheme } from '../theme.js';
import { LessonPanel, proseLinesFor } from './LessonPanel.js';
import { layoutPanel } from './panel-lines.js';

/** The most rows the lesson asks for; the dashboard above keeps the rest. */
const MAX_LESSON_ROWS = 16;

/** What the host needs of a lesson session (lessons/engine.ts's LessonSession). */
export interface HostedLesson {
	readonly view: LessonView;
	readonly busy: boolean;
	subscribe(listener: (v: LessonView) => void): () => void;
	run(): Promise<LessonResult>;
	/** Stops waiting; run() resolves with status 'aborted'. */
	stop(): void;
	onKey(key: LessonKey): boolean;
}

export interface LessonHostConfig {
	/** The session the command built with the Lab (ready before the dashboard renders). */
	getSession: () => HostedLesson;
	onFinished: (result: LessonResult) => void;
}

/** The component runScreen renders inside the Lab's providers. */
export function makeLessonHost(cfg: LessonHostConfig): LessonHost {
	return ({ render }) => <LessonHostView cfg={cfg} render={render} />;
}

function LessonHostView({
	cfg,
	render,
}: {
	cfg: LessonHostConfig;
	render: (slot: LessonSlot | undefined) => ReactNode;
}) {
	const { exit } = useApp();
	const t = useTheme();
	const size = useTerminalSize();
	const session = useMemo(() => cfg.getSession(), [cfg]);
	const live = useSyncExternalStore(
		(l) => session.subscribe(l),
		() => session.view,
	);
	// The intro shows while the lab starts and is replaced by step 1 when it is ready:
	// step 1 keeps it above its own text ([ pages back to it).
	const intro = useRef('');
	if (live.phase === 'starting' && live.prose) intro.current = live.prose;
	const withIntro =
		live.stepIndex === 0 && live.phase !== 'starting' && live.phase !== 'finished' && intro.current;
	const view = useMemo(
		() => (withIntro ? { ...live, prose: `${intro.current}\n\n---\n\n${live.prose}` } : live),
		[live, withIntro],
	);
	const [scroll, setScroll] = useState(0);
	const scrollRef = useRef(0);
	scrollRef.current = scroll;

	useEffect(() => {
		let live = true;
		void session.run().then((result) => {
			cfg.onFinished(result);
			if (live) exit();
		});
		return () => {
			live = false;
			session.stop();
		};
	}, [session, exit, cfg.onFinished]);
	const width = Math.max(20, size.cols - 2);
	// A new step starts at the top of its prose (step 1: below the intro kept above it).
	const introRows = withIntro
		? proseLinesFor({ ...live, prose: `${intro.current}\n\n---` }, width, t.color).length + 1
		: 0;
	// biome-ignore lint/correctness/useExhaustiveDependencies: reset on step change only
	useEffect(() => {
		scrollRef.current = introRows;
		setScroll(introRows);
	}, [view.stepIndex, view.phase === 'finished', withIntro ? 1 : 0]);

	const prose = proseLinesFor(view, width, t.color);
	const wanted = Math.min(
		MAX_LESSON_ROWS,
		layoutPanel(view, prose, Number.POSITIVE_INFINITY, 0, width).wanted,
	);
	// The rows the dashboard grants, from the same layout it draws with.
	const granted = useScreenLayout(wanted).lesson;
	const rows = Math.max(1, granted - 2);
	const shown = layoutPanel(view, prose, rows, scroll, width);
	const maxScroll = useRef(0);
	maxScroll.current = shown.moreAbove + shown.moreBelow;
	const page = useRef(1);
	page.current = shown.page;

	return render({
		panel: <LessonPanel view={view} width={width} rows={rows} scroll={scroll} />,
		title: `lesson ${view.lesson.order}/${view.lesson.total} · ${view.lesson.title}`,
		rows: wanted,
		quiz: view.check !== null && view.check.correct !== true,
		busy: session.busy,
		onKey: (input, key) => {
			// The ref moves at once: several presses can arrive before the next render.
			if (input === '[' || input === ']') {
				const from = Math.min(scrollRef.current, maxScroll.current);
				const next =
					input === '[' ? Math.max(0, from - page.current) : Math.min(maxScroll.current, from + page.current);
				scrollRef.current = next;
				setScroll(next);
				return true;
			}
			return session.onKey({ ch: input, enter: key.return });
		},
	});
}
