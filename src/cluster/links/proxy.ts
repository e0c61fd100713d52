// One pair proxy: 127.0.0.1:<port> → 127.0.0.1:<target's cluster port>, with
// a state (open / cut / delay / drop) that natslab changes at will.
//
// What a cut looks like (chosen to match a real partition, where packets
// vanish and nobody is told): nothing is closed or reset. Established
// connections stop moving both ways (the proxy stops reading, bytes in flight
// are held, the senders' buffers fill); a connection dialled while the link is
// cut is accepted and held, and only connected onwards when the link heals
// (if its dialler gave up meanwhile it is dropped). So the servers notice as
// they would on a real network: JetStream by its Raft heartbeats within
// seconds, routes only by their PING/stale timeout (docs/nats-behavior.md §12).
// A close that happens during a cut reaches the other side after the heal.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { EXIT, UserError } from '../../base/errors.js';
import { type LinkState, OPEN_LINK, type PairSpec, type PairStatus, pairName } from './pairs.js';
import { Pipe } from './pipe.js';

/** A connection accepted while cut keeps at most this much of what its dialler sent (then it is paused). */
const HELD_BYTES_MAX = 1 << 20;

class ProxiedConnection {
	private up: Socket | null = null;
	private pipes: Pipe[] = [];
	/** What a dialler sent while the link was cut, for the target once it heals. */
	private early = { chunks: [] as Buffer[], bytes: 0 };
	/** 'after-heal': a side closed during a cut, which the other side learns once the link heals. */
	private ending: 'no' | 'after-heal' | 'closed' = 'no';

	constructor(
		private readonly down: Socket,
		private readonly target: number,
		private readonly link: () => LinkState,
		private readonly onClosed: (c: ProxiedConnection) => void,
	) {
		down.setNoDelay(true);
		// An error ends only this socket; its 'close' follows and sideClosed() decides what the other side
		// learns (nothing during a cut: a reset must not cross a partition).
		down.on('error', () => {});
		down.on('close', () => this.sideClosed());
		if (link().cut) down.on('data', this.hold);
		else this.connectOnwards();
	}

	/** Dialled during a cut and not yet connected onwards. */
	get isHeld(): boolean {
		return this.up === null && this.ending !== 'closed';
	}

	/** The link's state changed: stop, or move again (connecting a held connection). */
	apply(): void {
		if (this.ending === 'closed') return;
		if (this.link().cut) {
			for (const p of this.pipes) p.halt();
			return;
		}
		if (this.ending === 'after-heal') {
			this.closeAll();
			return;
		}
		if (this.up === null) this.connectOnwards();
		else for (const p of this.pipes) p.resume();
	}

	closeAll(): void {
		if (this.ending === 'closed') return;
		this.ending = 'closed';
		for (const p of this.pipes) p.dispose();
		this.down.destroy();
		this.up?.destroy();
		this.onClosed(this);
	}

	private readonly hold = (chunk: Buffer) => {
		this.early.chunks.push(chunk);
		this.early.bytes += chunk.length;
		if (this.early.bytes > HELD_BYTES_MAX) this.down.pause();
	};

	private connectOnwards(): void {
		this.down.off('data', this.hold);
		const up = connect({ host: '127.0.0.1', port: this.target });
		this.up = up;
		up.setNoDelay(true);
		up.on('error', () => {}); // as for `down`: the 'close' that follows is handled
		up.on('close', () => this.sideClosed());
		for (const chunk of this.early.chunks) up.write(chunk);
		this.early = { chunks: [], bytes: 0 };
		this.pipes = [new Pipe(this.down, up, this.link), new Pipe(up, this.down, this.link)];
		this.down.resume();
	}

	private sideClosed(): void {
		// During a cut nobody learns of the close; after the heal the other side does.
		if (this.link().cut && this.up !== null) {
			this.ending = 'after-heal';
			return;
		}
		// A held dialler that gave up: nothing ever reached the target.
		if (this.up === null || (this.down.destroyed && this.up.destroyed)) {
			this.closeAll();
			return;
		}
		// One side closed: let its pipe flush what it queued, then end the other.
		if (this.down.destroyed || this.up.destroyed) {
			const quiet = this.pipes.every((p) => p.queued === 0);
			if (quiet) this.closeAll();
			else for (const p of this.pipes) p.finish();
		}
	}
}

export class PairProxy {
	private readonly server: Server;
	private readonly connections = new Set<ProxiedConnection>();
	private state: LinkState = { ...OPEN_LINK };

	constructor(readonly spec: PairSpec) {
		this.server = createServer({ pauseOnConnect: false }, (socket) => {
			const c = new ProxiedConnection(
				socket,
				spec.target,
				() => this.state,
				(closed) => this.connections.delete(closed),
			);
			this.connections.add(c);
		});
	}

	/** Bind 127.0.0.1:port (only loopback, like every natslab listener). */
	listen(): Promise<void> {
		return new Promise((resolve, reject) => {
			this.server.once('error', (err: NodeJS.ErrnoException) => {
				if (this.server.listening) return;
				const why = err.code === 'EADDRINUSE' ? 'is already in use' : `cannot be bound (${err.code})`;
				reject(
					new UserError(
						`port ${this.spec.port} (link proxy ${pairName(this.spec.from, this.spec.to)}) ${why} on 127.0.0.1: choose another base port`,
						{ exitCode: EXIT.environment, cause: err },
					),
				);
			});
			this.server.listen({ host: '127.0.0.1', port: this.spec.port, exclusive: true }, () => {
				// Once listening, an accept error (EMFILE) must not end natslab; the server re-dials.
				this.server.on('error', () => {});
				resolve();
			});
		});
	}

	get link(): LinkState {
		return { ...this.state };
	}

	set(next: LinkState): void {
		this.state = { ...next };
		for (const c of [...this.connections]) c.apply();
	}

	status(): PairStatus {
		const held = [...this.connections].filter((c) => c.isHeld).length;
		return { ...this.spec, ...this.state, connections: this.connections.size - held, held };
	}

	/** Stop listening and drop every connection through it. */
	close(): Promise<void> {
		for (const c of [...this.connections]) c.closeAll();
		return new Promise((resolve) => this.server.close(() => resolve()));
	}
}
