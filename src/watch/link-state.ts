// natslab's own link to a watched cluster, on screen all the time while it is not
// up: with it down, every node keeps its last state ("up", the old leaders) and a
// whole-cluster outage would look like "all up". So the screen says how old its
// picture is, and, once nats.js gave up for good, that it no longer follows the
// cluster at all (the one note that it dropped scrolls away).

import { formatDuration } from '../base/format.js';
import type { Watchable } from '../base/wait.js';
import type { WatchSource } from './sources.js';

const REFRESH_MS = 1000;

export class LinkState implements Watchable<string | null> {
	private text: string | null = null;
	private downSince: number | null = null;
	private readonly listeners = new Set<(s: string | null) => void>();
	private readonly timer: NodeJS.Timeout;

	constructor(
		private readonly source: Pick<WatchSource, 'link'>,
		private readonly now: () => number,
	) {
		this.timer = setInterval(() => this.refresh(), REFRESH_MS);
		this.timer.unref();
	}

	getState(): string | null {
		return this.text;
	}

	subscribe(listener: (s: string | null) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Reads the link again (every second, and at once on a connection event). */
	refresh(): void {
		const { up, closed } = this.source.link();
		if (up && closed === null) this.downSince = null;
		else this.downSince ??= this.now();
		const text = this.describe(closed);
		if (text === this.text) return;
		this.text = text;
		for (const l of [...this.listeners]) l(text);
	}

	stop(): void {
		clearInterval(this.timer);
	}

	private describe(closed: string | null): string | null {
		if (this.downSince === null) return null;
		const secs = Math.floor((this.now() - this.downSince) / 1000);
		const age = secs < 1 ? '0s' : formatDuration(secs * 1000);
		if (closed !== null)
			return `natslab's connection closed (${closed}) ${age} ago: what you see is from then, no longer live (q quits)`;
		return `natslab not connected for ${age} — what you see is from ${age} ago`;
	}
}
