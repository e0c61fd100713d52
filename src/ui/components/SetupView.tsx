// The first frame: drawn before anything slow, then fed by the Lab's setup
// events until the cluster has a meta leader and the dashboard takes over.

import { Box, Text } from 'ink';
import { type ReactNode, useEffect, useState } from 'react';
import { formatBytes, formatDuration } from '../../base/format.js';
import { progressBar } from '../format.js';
import type { BinaryProgress, SetupState } from '../setup-state.js';
import { useTheme } from '../theme.js';
import { wrapLine } from '../wrap.js';

function binaryLine(version: string, b: BinaryProgress, width: number): { symbol: string; text: string } {
	switch (b.phase) {
		case 'waiting':
			return { symbol: '·', text: 'checking the cache' };
		case 'cached':
			return { symbol: '✓', text: 'cached' };
		case 'ready':
			return { symbol: '✓', text: 'downloaded and verified' };
		case 'verifying':
			return { symbol: '◔', text: 'verifying the checksum' };
		case 'downloading': {
			const total = b.total ?? null;
			const received = b.received ?? 0;
			const fraction = total ? received / total : null;
			const bar = progressBar(fraction, Math.max(10, Math.min(30, width - 60)));
			const pct = fraction === null ? '' : ` ${String(Math.round(fraction * 100)).padStart(3)}%`;
			const size = total ? `${formatBytes(received)}/${formatBytes(total)}` : formatBytes(received);
			const rate = b.bytesPerSec ? ` ${formatBytes(b.bytesPerSec)}/s` : '';
			const from = b.source ? ` from ${b.source}` : '';
			return { symbol: '↓', text: `${bar}${pct} ${size}${rate}${from}` };
		}
	}
	return { symbol: '?', text: version };
}

const NODE_LOOK = {
	starting: { symbol: '◔', color: 'yellow' },
	up: { symbol: '●', color: 'green' },
	failed: { symbol: '✗', color: 'red' },
} as const;

export function SetupView({
	mode,
	setup,
	width,
	rows,
	startedAt,
	error,
}: {
	mode: string;
	setup: SetupState;
	width: number;
	rows: number;
	startedAt: number;
	error?: string | null;
}) {
	const t = useTheme();
	const [now, setNow] = useState(Date.now);
	useEffect(() => {
		const timer = setInterval(() => setNow(Date.now()), 1000);
		return () => clearInterval(timer);
	}, []);
	const lines: ReactNode[] = [];
	lines.push(
		<Text key="title" wrap="truncate" {...t.strong()}>
			natslab · {mode} · starting a local cluster ({formatDuration(now - startedAt)})
		</Text>,
	);
	for (const version of setup.binaryOrder) {
		const b = setup.binaries[version];
		if (!b) continue;
		const { symbol, text } = binaryLine(version, b, width);
		lines.push(
			<Text key={`bin-${version}`} wrap="truncate">
				<Text {...t.fg(symbol === '✓' ? 'green' : 'yellow')}>{symbol}</Text> nats-server {version.padEnd(8)}{' '}
				{text}
			</Text>,
		);
	}
	for (const node of setup.nodeOrder) {
		const n = setup.nodes[node];
		if (!n) continue;
		const look = NODE_LOOK[n.phase];
		lines.push(
			<Text key={`node-${node}`} wrap="truncate">
				<Text {...t.fg(look.color)}>{look.symbol}</Text> {node.padEnd(4)} {n.phase}
				{n.detail ? `: ${n.detail}` : ''}
			</Text>,
		);
	}
	if (setup.nodeOrder.length > 0) {
		lines.push(
			<Text key="meta" wrap="truncate">
				<Text {...t.fg(setup.metaLeader ? 'green' : 'yellow')}>{setup.metaLeader ? '◆' : '◔'}</Text>{' '}
				{setup.metaLeader
					? `meta leader elected: ${setup.metaLeader}`
					: 'waiting for the JetStream meta leader election'}
			</Text>,
		);
	}
	// Wrapped, not cut: a warning cut at 80 columns ended "cannot read 2.1…".
	for (const [i, notice] of setup.notices.entries()) {
		for (const [j, row] of wrapLine(notice, width).entries()) {
			lines.push(
				<Text key={`notice-${i}-${j}`} wrap="truncate" {...t.dim()}>
					{row}
				</Text>,
			);
		}
	}
	if (error) {
		lines.push(
			<Text key="error" wrap="truncate" {...t.fg('red')}>
				✗ {error}
			</Text>,
		);
	}
	lines.push(
		<Text key="keys" wrap="truncate" {...t.dim()}>
			q quits (every server started so far is stopped)
		</Text>,
	);
	// Never taller than the terminal: keep the title and the last lines.
	const max = Math.max(1, rows - 1);
	const shown = lines.length > max ? [lines[0], ...lines.slice(lines.length - max + 1)] : lines;
	return (
		<Box flexDirection="column" width={width}>
			{shown}
		</Box>
	);
}
