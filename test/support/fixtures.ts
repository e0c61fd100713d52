// The one loader of the real recorded runs in test/fixtures/logs (and the real
// monitoring samples) for the tests that replay them: every server log line
// parsed by the real parser, plus the process events the harness recorded
// (events.log, and the `##LAB … send LDM` lines it wrote into the target's log),
// merged by time. The reference machine logged in UTC, hence `utc: true`.

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ProcessEvent } from '../../src/base/names.js';
import { streamFromJsz } from '../../src/monitoring/normalize.js';
import type { StreamSnapshot } from '../../src/monitoring/types.js';
import type { LabEvent, LogLineEvent } from '../../src/observe/events.js';
import { parseLogLine } from '../../src/observe/log-parser.js';

export const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures');

export function sample(version: string, file: string): unknown {
	return JSON.parse(readFileSync(join(FIXTURES, 'samples', version, file), 'utf8'));
}

/** The stream snapshot of a sample /jsz answer as `viewer` saw it (throws if the sample lacks it). */
export function streamSample(version: string, file: string, stream: string, viewer: string): StreamSnapshot {
	const snap = streamFromJsz(sample(version, file), stream, viewer);
	if (!snap) throw new Error(`${version}/${file} holds no stream ${stream}`);
	return snap;
}

export function runNodes(run: string): string[] {
	return readdirSync(join(FIXTURES, 'logs', run))
		.filter((f) => /^n\d+\.log$/.test(f))
		.map((f) => f.replace('.log', ''))
		.sort();
}

export function logLines(run: string, node: string): string[] {
	return readFileSync(join(FIXTURES, 'logs', run, `${node}.log`), 'utf8')
		.split('\n')
		.filter((l) => l !== '');
}

/** Every server line of one node (harness lines skipped). */
export function logEvents(run: string, node: string): LogLineEvent[] {
	return logLines(run, node)
		.filter((l) => !l.startsWith('##LAB'))
		.map((l) => parseLogLine(node, l, { utc: true }));
}

const SPAWN = /^(\S+) \+\d+ms spawn (\S+) v(\S+) pid=(\d+)$/;
const SIGNAL = /^(\S+) \+\d+ms send (SIGTERM|SIGKILL) to (\S+) pid=(\d+)$/;
const EXIT = /^(\S+) \+\d+ms (\S+) exited code=(\S+) sig=(\S+) after/;
const STOPCONT = /^(\S+) \+\d+ms (SIGSTOP|SIGCONT) (\S+)$/;

type Signal = Extract<ProcessEvent, { type: 'signalled' }>['signal'];

/** Process events of a run, from the harness's events.log and its LDM markers. */
export function processEvents(run: string): ProcessEvent[] {
	const out: ProcessEvent[] = [];
	const pids: Record<string, number> = {};
	const signalled = (iso: string, node: string, pid: number, signal: Signal): ProcessEvent => ({
		kind: 'process',
		type: 'signalled',
		node,
		at: Date.parse(iso),
		pid,
		signal,
	});
	for (const line of readFileSync(join(FIXTURES, 'logs', run, 'events.log'), 'utf8').split('\n')) {
		const spawn = SPAWN.exec(line);
		if (spawn) {
			const [, iso = '', node = '', version = '', pid = '0'] = spawn;
			pids[node] = Number(pid);
			out.push({ kind: 'process', type: 'spawned', node, at: Date.parse(iso), pid: Number(pid), version });
			continue;
		}
		const signal = SIGNAL.exec(line);
		if (signal) {
			const [, iso = '', sig = '', node = '', pid = '0'] = signal;
			out.push(signalled(iso, node, Number(pid), sig as Signal));
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
			continue;
		}
		const stopCont = STOPCONT.exec(line);
		if (stopCont) {
			const [, iso = '', sig = '', node = ''] = stopCont;
			out.push(signalled(iso, node, pids[node] ?? 0, sig as Signal));
		}
	}
	for (const node of runNodes(run)) {
		let pid = 0;
		for (const line of logLines(run, node)) {
			const spawn = /^##LAB \S+ spawn \S+ v\S+ pid=(\d+)$/.exec(line);
			if (spawn) pid = Number(spawn[1]);
			const ldm = /^##LAB (\S+) send LDM/.exec(line);
			if (ldm) out.push(signalled(ldm[1] ?? '', node, pid, 'ldm'));
		}
	}
	return out;
}

/** Sort key with microseconds for log lines; process events sort before lines of the same ms, exits after. */
function sortKey(e: LabEvent): number {
	if (e.kind === 'log') {
		const micro = /\d{2}:\d{2}:\d{2}\.\d{3}(\d{3})/.exec(e.raw)?.[1];
		return e.at * 1000 + Number(micro ?? 0) + 1;
	}
	if (e.kind === 'process' && e.type === 'exited') return e.at * 1000 + 999;
	return e.at * 1000;
}

/** All nodes' log lines and the process events of a run, in time order. */
export function mergedRun(run: string, opts: { process?: boolean } = {}): LabEvent[] {
	const events: LabEvent[] = runNodes(run).flatMap((n) => logEvents(run, n));
	if (opts.process !== false) events.push(...processEvents(run));
	return events
		.map((e, i) => ({ e, i, k: sortKey(e) }))
		.sort((a, b) => a.k - b.k || a.i - b.i)
		.map((x) => x.e);
}
