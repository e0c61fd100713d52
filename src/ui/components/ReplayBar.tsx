// The bottom line of a replay instead of the key bar: where the replay is and its
// keys, "replay lame-duck.jsonl.gz · 12.4 s / 83.0 s · 2x · paused · space play …".

import { basename } from 'node:path';
import { Text } from 'ink';
import { useSyncExternalStore } from 'react';
import type { ReplayControl, ReplayStatus } from '../../record/replay-kit.js';
import { useTerminalSize } from '../context.js';
import { clip } from '../format.js';
import { REPLAY_KEYS } from '../replay-keys.js';
import { useTheme } from '../theme.js';

export function replayPosition(s: ReplayStatus): string {
	const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
	const state = s.ended ? 'end' : s.playing ? 'playing' : 'paused';
	const step = s.step ? ` · step ${s.step.index + 1}/${s.step.count}` : '';
	return `replay ${basename(s.file)} · ${secs(s.at)} / ${secs(s.duration)} · ${s.speed}x · ${state}${step}`;
}

export function ReplayBar({ replay }: { replay: ReplayControl }) {
	const t = useTheme();
	const { cols } = useTerminalSize();
	const status = useSyncExternalStore(
		(l) => replay.subscribeStatus(l),
		() => replay.getStatus(),
	);
	const position = replayPosition(status);
	const keys = REPLAY_KEYS.filter(([k]) => status.steps > 0 || k !== '< >')
		.map(([k, what]) => `${k} ${what}`)
		.join('  ');
	return (
		<Text wrap="truncate">
			<Text {...t.fg('magenta')} {...t.strong()}>
				{clip(position, cols)}
			</Text>
			<Text {...t.dim()}>{clip(`  ${keys}`, Math.max(0, cols - position.length))}</Text>
		</Text>
	);
}
