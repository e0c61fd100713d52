// Real runs as screen input: the server logs and harness events of a run in
// test/fixtures/logs (parsed by the real log parser) and measured client status
// sequences (test/fixtures/ui), folded by the real reducer into the LabState
// the screen draws. The reference machine logged in UTC.

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ProcessEvent } from '../../../src/base/names.js';
import type { ClientEvent, ClientStatusType, LabEvent } from '../../../src/observe/events.js';
import { parseLogLine } from '../../../src/observe/log-parser.js';
import { initialLabState, reduce } from '../../../src/observe/reducer.js';
import type { LabState } from '../../../src/observe/state.js';

const FIXTURES = resolve(import.meta.dirname, '..', '..', 'fixtures');

/** Client ports of the reference runs (n1.conf: listen 127.0.0.1:4222, n2 4223, n3 4224). */
export const ADDRESS_BOOK = { '127.0.0.1:4222': 'n1', '127.0.0.1:4223': 'n2', '127.0.0.1:4224': 'n3' };

export function emptyState(): LabState {
	return initialLabState({ nodes: ['n1', 'n2', 'n3'], addressBook: ADDRESS_BOOK });
}

function runFile(run: string, file: string): string[] {
	return readFileSync(join(FIXTURES, 'logs', run, file), 'utf8')
		.split('\n')
		.filter((l) => l !== '');
}

const SPAWN = /^(\S+) \+\d+ms spawn (\S+) v(\S+) pid=(\d+)$/;
const SIGNAL = /^(\S+) \+\d+ms send (SIGTERM|SIGKILL) to (\S+) pid=(\d+)$/;
const EXIT = /^(\S+) \+\d+ms (\S+) exited code=(\S+) sig=(\S+) after/;
const LDM = /^##LAB (\S+) send LDM/;

/** Spawns, signals and exits the harness recorded (events.log and its LDM markers in the logs). */
export function processEvents(run: string, nodes: string[]): ProcessEvent[] {
	const out: ProcessEvent[] = [];
	const pids: Record<string, number> = {};
	for (const line of runFile(run, 'events.log')) {
		const spawn = SPAWN.exec(line);
		if (spawn) {
			const [, iso = '', node = '', version = '', pid = '0'] = spawn;
			pids[node] = Number(pid);
			out.push({ kind: 'process', type: 'spawned', node, at: Date.parse(iso), pid: Number(pid), version });
			continue;
		}
		const signal = SIGNAL.exec(line);
		if (signal) {
			const [, iso = '', sig = 'SIGTERM', node = '', pid = '0'] = signal;
			const s = sig === 'SIGKILL' ? 'SIGKILL' : 'SIGTERM';
			out.push({
				kind: 'process',
				type: 'signalled',
				node,
				at: Date.parse(iso),
				pid: Number(pid),
				signal: s,
			});
			continue;
		}
		const exit = EXIT.exec(line);
		if (exit) {
			const [, iso = '', node = '', code = 'null', sig = 'null'] = exit;
			out.push({
				kind: 'process',
				type: 'exited',
				node,
				at: Date.parse(iso),
				pid: pids[node] ?? 0,
				code: code === 'null' ? null : Number(code),
				signal: sig === 'null' ? null : sig,
			});
		}
	}
	for (const node of nodes) {
		let pid = 0;
		for (const line of runFile(run, `${node}.log`)) {
			const spawn = /^##LAB \S+ spawn \S+ v\S+ pid=(\d+)$/.exec(line);
			if (spawn) pid = Number(spawn[1]);
			const ldm = LDM.exec(line);
			if (ldm)
				out.push({
					kind: 'process',
					type: 'signalled',
					node,
					at: Date.parse(ldm[1] ?? ''),
					pid,
					signal: 'ldm',
				});
		}
	}
	return out;
}

/** Microsecond sort key: a signal sorts before the lines of its millisecond, an exit after them. */
function sortKey(e: LabEvent): number {
	if (e.kind === 'log') {
		const micro = /\d{2}:\d{2}:\d{2}\.\d{3}(\d{3})/.exec(e.raw)?.[1];
		return e.at * 1000 + Number(micro ?? 0) + 1;
	}
	if (e.kind === 'process' && e.type === 'exited') return e.at * 1000 + 999;
	return e.at * 1000;
}

/** Every event of a run in time order. */
export function runEvents(run: string): LabEvent[] {
	const nodes = readdirSync(join(FIXTURES, 'logs', run))
		.filter((f) => /^n\d+\.log$/.test(f))
		.map((f) => f.slice(0, -4))
		.sort();
	const logs = nodes.flatMap((node) =>
		runFile(run, `${node}.log`)
			.filter((l) => !l.startsWith('##LAB'))
			.map((l) => parseLogLine(node, l, { utc: true })),
	);
	return [...logs, ...processEvents(run, nodes)]
		.map((e, i) => ({ e, i, k: sortKey(e) }))
		.sort((a, b) => a.k - b.k || a.i - b.i)
		.map((x) => x.e);
}

export function fold(events: readonly LabEvent[], from: LabState = emptyState()): LabState {
	return events.reduce(reduce, from);
}

/** The state of a run as the screen would have shown it at `iso` (events up to and including it). */
export function stateAt(run: string, iso: string): LabState {
	const until = Date.parse(iso);
	return fold(runEvents(run).filter((e) => e.at <= until));
}

interface MeasuredStatus {
	offsetMs: number;
	type: ClientStatusType;
	server?: string;
}

/** A measured nc.status() sequence (test/fixtures/ui/client-status.json) placed after `at`. */
export function clientSequence(name: 'sigkill' | 'ldmMetaLeader', probe: string, at: number): ClientEvent[] {
	const all = JSON.parse(readFileSync(join(FIXTURES, 'ui', 'client-status.json'), 'utf8')) as Record<
		string,
		MeasuredStatus[]
	>;
	return (all[name] ?? []).map((s) => ({
		kind: 'client',
		probe,
		probeKind: probe.startsWith('js')
			? probe === 'js-pub'
				? 'js-pub'
				: 'js-consumer'
			: probe === 'core-sub'
				? 'core-sub'
				: 'core-pub',
		at: at + s.offsetMs,
		type: 'status',
		status: s.type,
		...(s.server ? { server: s.server } : {}),
	}));
}

/** A probe connected to `server` at `at` (what nats.js reports on first connect). */
export function connected(probe: ClientEvent['probeKind'], server: string, at: number): ClientEvent {
	return { kind: 'client', probe, probeKind: probe, at, type: 'status', status: 'connected', server };
}
