// One direction of one proxied connection: bytes from `source` to `sink`, in
// order, after the link's delay, and not at all while the link is cut. A TCP
// stream cannot lose bytes without corrupting the protocol on top, so a
// "dropped" chunk behaves like a lost segment on a real network: it arrives
// once more, RETRANSMIT_MS late (Linux's minimum retransmission timeout), and
// everything behind it waits for it.
import type { Socket } from 'node:net';
import type { LinkState } from './pairs.js';

/** Linux's TCP_RTO_MIN: the least a lost segment costs before it is sent again. */
export const RETRANSMIT_MS = 200;

export class Pipe {
	private readonly queue: { chunk: Buffer; at: number }[] = [];
	private timer: NodeJS.Timeout | null = null;
	private lastAt = 0;
	private sourceEnded = false;
	private waitingDrain = false;

	constructor(
		private readonly source: Socket,
		private readonly sink: Socket,
		private readonly link: () => LinkState,
	) {
		source.on('data', (chunk: Buffer) => this.push(chunk));
		source.on('end', () => this.finish());
		sink.on('drain', () => {
			this.waitingDrain = false;
			this.resume();
		});
	}

	/** Bytes read but not yet written on (delayed, or held by a cut). */
	get queued(): number {
		return this.queue.length;
	}

	push(chunk: Buffer): void {
		const s = this.link();
		const lost = s.dropPercent > 0 && Math.random() * 100 < s.dropPercent;
		// Never before the chunk ahead of it: a stream stays in order.
		const at = Math.max(Date.now() + s.delayMs + (lost ? RETRANSMIT_MS : 0), this.lastAt);
		this.lastAt = at;
		this.queue.push({ chunk, at });
		this.pump();
	}

	/** The source will send no more: end the sink once what is queued went out. */
	finish(): void {
		this.sourceEnded = true;
		this.pump();
	}

	/** The link was cut: stop reading (the sender's kernel buffers fill, as on a dead network). */
	halt(): void {
		this.source.pause();
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}

	/** The link moves again (healed, or the sink drained). */
	resume(): void {
		if (this.link().cut) return;
		if (!this.waitingDrain && !this.sourceEnded) this.source.resume();
		this.pump();
	}

	private pump(): void {
		if (this.link().cut || this.sink.destroyed) return;
		const now = Date.now();
		while (this.queue.length > 0 && (this.queue[0]?.at ?? 0) <= now) {
			const next = this.queue.shift();
			if (next && !this.sink.write(next.chunk) && !this.waitingDrain) {
				this.waitingDrain = true;
				this.source.pause();
			}
		}
		const head = this.queue[0];
		if (head) {
			this.timer ??= setTimeout(() => {
				this.timer = null;
				this.pump();
			}, head.at - now);
		} else if (this.sourceEnded && !this.sink.writableEnded) {
			this.sink.end();
		}
	}

	dispose(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.queue.length = 0;
	}
}
