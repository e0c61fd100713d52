// Every stream of a watched cluster as a `stream` PollEvent, like the local
// poller's one lab stream (observe/pollers.ts offerStream): from the servers'
// latest /jsz answers, the view of the node that claims the leadership
// (observe/stream-view.ts), emitted when it changed or every REFRESH_MS.

import type { NodeName } from '../base/names.js';
import { streamsOfJsz } from '../monitoring/jsz-streams.js';
import type { PollEvent } from '../observe/events.js';
import { type JszAnswer, pickStreamView } from '../observe/stream-view.js';

const REFRESH_MS = 10_000;

export class StreamViews {
	private readonly answers = new Map<NodeName, JszAnswer>();
	private readonly emitted = new Map<string, { key: string; at: number }>();

	/** A node's /jsz (with accounts, streams, consumers) answered: the stream events that follow. */
	offer(node: NodeName, at: number, json: unknown): PollEvent[] {
		this.answers.set(node, { node, at, json });
		const all = [...this.answers.values()];
		const out: PollEvent[] = [];
		for (const stream of streamNames(all)) {
			const view = pickStreamView(all, stream);
			if (!view?.viewFrom) continue;
			const key = JSON.stringify({ ...view, replicas: view.replicas.map(({ active: _, ...r }) => r) });
			const prev = this.emitted.get(stream);
			if (prev && prev.key === key && at - prev.at < REFRESH_MS) continue;
			this.emitted.set(stream, { key, at });
			out.push({ kind: 'poll', node: view.viewFrom, at, ok: true, endpoint: 'stream', data: view });
		}
		return out;
	}

	/** A gone server's last answer says nothing any more. */
	forget(node: NodeName): void {
		this.answers.delete(node);
	}
}

/** Stream names in every answer, sorted (one name per stream; the reducer keys streams by name). */
export function streamNames(answers: JszAnswer[]): string[] {
	return [...new Set(answers.flatMap((a) => streamsOfJsz(a.json).map((s) => s.name)))].sort();
}
