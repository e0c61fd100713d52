// Each probe (a real nats.js client): the node it is attached to, its connection
// state, the last reconnect gap, its counters (core: sent/received/lost;
// JetStream: acked/failed/lost) and a sparkline of its message rate. The probes
// start behind the dashboard: until they run, the panel says what they wait for
// (the lab stream, their connections), and if they fail, why.

import { Text } from 'ink';
import { Fragment, type ReactNode } from 'react';
import { formatDuration } from '../../base/format.js';
import { LAB_STREAM } from '../../base/names.js';
import type { ProbeStartup } from '../../lab/types.js';
import { missedWhileAway } from '../../observe/client-selectors.js';
import type { ProbeState } from '../../observe/state.js';
import { useLabState, useNow, useProbeStartup } from '../context.js';
import { type ColorName, cell, sparkline } from '../format.js';
import { type Theme, useTheme } from '../theme.js';
import { Panel } from './Panel.js';

const PROBE_LOOK: Record<ProbeState['state'], { symbol: string; color: ColorName }> = {
	connecting: { symbol: '◔', color: 'yellow' },
	connected: { symbol: '●', color: 'green' },
	reconnecting: { symbol: '↻', color: 'yellow' },
	closed: { symbol: '○', color: 'gray' },
	error: { symbol: '✗', color: 'red' },
};

export function failedTotal(p: ProbeState): number {
	return Object.values(p.failed).reduce((a, b) => a + b, 0);
}

/** Lost as the verifier counts it when it has run (acked but missing from the stream), else the probe's count. */
function lostOf(p: ProbeState): number {
	return p.verified ? p.verified.ackedMissing : p.lost;
}

/** " dup 2": msgIDs the verifier found stored more than once (its own finding, not a loss); "" when none. */
function storedTwiceText(p: ProbeState): string {
	const n = p.verified?.storedMoreThanOnce ?? 0;
	return n > 0 ? ` dup ${n}` : '';
}

/**
 * What core-sub missed while it was disconnected is not lost (it had no interest anywhere); while it
 * is away that is not known until its next message (docs/measurements.md "Clients panel").
 */
function awayText(p: ProbeState): string {
	if (p.state !== 'connected' && p.received > 0) return ' · not counting while away';
	const away = missedWhileAway(p);
	return away > 0 ? ` away ${away}` : '';
}

export function probeCounters(p: ProbeState): string {
	switch (p.kind) {
		case 'core-pub':
			return `sent ${p.sent}`;
		case 'core-sub':
			return `recv ${p.received} lost ${p.lost}${p.duplicated ? ` dup ${p.duplicated}` : ''}${awayText(p)}`;
		case 'js-pub': {
			const failed = failedTotal(p);
			const worst = Object.entries(p.failed).sort((a, b) => b[1] - a[1])[0];
			const why = failed > 0 && worst ? ` (${worst[0]} ${worst[1]})` : '';
			return `acked ${p.acked} failed ${failed}${why} lost ${lostOf(p)}${storedTwiceText(p)}`;
		}
		case 'js-consumer':
			return `recv ${p.received} lost ${p.lost}${p.duplicated ? ` dup ${p.duplicated}` : ''}`;
	}
}

/** One short line for small terminals: what was lost first, then the last gap. */
export function compactCounters(p: ProbeState): string {
	const gap = p.gaps.at(-1);
	const gapText = gap === undefined ? '' : ` gap ${formatDuration(gap)}`;
	switch (p.kind) {
		case 'core-pub':
			return `sent ${p.sent}${gapText}`;
		case 'js-pub':
			return `fail ${failedTotal(p)} lost ${lostOf(p)}${storedTwiceText(p)}${gapText}`;
		default:
			return `lost ${p.lost}${gapText}`;
	}
}

export function probeStateText(p: ProbeState, now: number): string {
	if (p.state === 'reconnecting' && p.disconnectedAt !== null) {
		return `reconnecting ${formatDuration(now - p.disconnectedAt)}`;
	}
	// The server said it is going away (lame duck); the client waits to be disconnected.
	if (p.state === 'connected' && p.lastEvent?.type === 'ldm') return 'got ldm notice';
	return p.state;
}

export function lastGapText(p: ProbeState): string {
	const gap = p.gaps.at(-1);
	return gap === undefined ? 'gap —' : `gap ${formatDuration(gap)}`;
}

/** Lines for the panel's body while the probes come up (none once they run). */
export function startupLines(
	startup: ProbeStartup,
	probesShown: number,
): { text: string; color: ColorName }[] {
	switch (startup.phase) {
		case 'stream':
			return [
				{ text: `◔ lab stream ${LAB_STREAM}: creating…`, color: 'yellow' },
				...(probesShown === 0 ? [{ text: '  clients start once it exists', color: 'gray' as const }] : []),
			];
		case 'starting':
			return probesShown === 0 ? [{ text: '◔ clients: starting probes…', color: 'yellow' }] : [];
		case 'failed':
			return [{ text: `✗ clients did not start: ${startup.error}`, color: 'red' }];
		default:
			return [];
	}
}

function StartupLines({ startup, probesShown, t }: { startup: ProbeStartup; probesShown: number; t: Theme }) {
	const lines: ReactNode[] = startupLines(startup, probesShown).map((l) => (
		<Text key={l.text} wrap="truncate" {...t.fg(l.color)}>
			{l.text}
		</Text>
	));
	return <>{lines}</>;
}

export function ClientsPanel({
	width,
	height,
	detailed,
}: {
	width: number;
	height: number;
	detailed: boolean;
}) {
	const state = useLabState();
	const now = useNow();
	const t = useTheme();
	const startup = useProbeStartup();
	const probes = state.clients.order.flatMap((id) => state.clients.probes[id] ?? []);
	const starting = startup.phase === 'stream' || startup.phase === 'starting';
	return (
		<Panel
			title="clients"
			width={width}
			height={height}
			right={starting && probes.length > 0 ? 'starting probes…' : undefined}
		>
			<StartupLines startup={startup} probesShown={probes.length} t={t} />
			{probes.length === 0 && startup.phase !== 'failed' && !starting ? (
				<Text {...t.dim()}>no client probes running</Text>
			) : null}
			{probes.map((p) => {
				const look = PROBE_LOOK[p.state];
				const where = p.node ? `@${p.node}` : '@—';
				const spark = sparkline(p.rates, 8);
				const head = `${cell(p.id, 11)} ${cell(where, 4)}`;
				if (!detailed) {
					const stateText = probeStateText(p, now);
					return (
						<Text key={p.id} wrap="truncate">
							{head} <Text {...t.fg(look.color)}>{look.symbol}</Text>{' '}
							{stateText === 'connected' ? '' : `${stateText} `}
							{compactCounters(p)}
						</Text>
					);
				}
				return (
					<Fragment key={p.id}>
						<Text wrap="truncate">
							{head} <Text {...t.fg(look.color)}>{look.symbol}</Text> {probeStateText(p, now)}
							{'  '}
							{lastGapText(p)}
						</Text>
						<Text wrap="truncate">
							{'  '}
							{spark ? <Text {...t.fg('cyan')}>{spark} </Text> : null}
							{probeCounters(p)}
							{p.lastError && p.state !== 'connected' ? <Text {...t.fg('red')}> {p.lastError}</Text> : null}
						</Text>
					</Fragment>
				);
			})}
		</Panel>
	);
}
