// The proxy process's control socket: a Unix socket in the workspace folder
// (a file, not a TCP port, so nothing new listens on the network and only the
// workspace's owner can reach it). One JSON line asks, one JSON line answers.
import { rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { isUserError, UserError } from '../../base/errors.js';
import type { PairStatus } from './pairs.js';
import type { LinkControl, LinkOp } from './table.js';

/** Longest path a Unix socket address takes on Linux (sun_path is 108 bytes with its NUL). */
const MAX_SOCKET_PATH = 107;

type Request = { status: true } | { apply: LinkOp };
type Reply = { ok: true; pairs: PairStatus[] } | { ok: false; error: string; userError: boolean };

export function checkSocketPath(path: string): void {
	if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
		throw new UserError(
			`the link proxies' control socket path is too long for a Unix socket (${path}): use a shorter NATSLAB_HOME`,
		);
	}
}

/** Serve `control` on `path` (a stale socket file from a dead process is replaced). */
export function serveControl(path: string, control: LinkControl): Promise<Server> {
	checkSocketPath(path);
	rmSync(path, { force: true });
	const server = createServer((socket) => {
		let buffered = '';
		socket.setEncoding('utf8');
		socket.on('error', () => {});
		socket.on('data', (text: string) => {
			buffered += text;
			const nl = buffered.indexOf('\n');
			if (nl < 0) return;
			const line = buffered.slice(0, nl);
			buffered = '';
			void answer(control, line).then((reply) => socket.end(`${JSON.stringify(reply)}\n`));
		});
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(path, () => {
			server.off('error', reject);
			// Once listening, an accept error (EMFILE) must not end the process that owns the proxies.
			server.on('error', () => {});
			resolve(server);
		});
	});
}

async function answer(control: LinkControl, line: string): Promise<Reply> {
	try {
		const req = JSON.parse(line) as Request;
		const pairs = 'apply' in req ? await control.apply(req.apply) : await control.status();
		return { ok: true, pairs };
	} catch (err) {
		return { ok: false, error: (err as Error).message, userError: isUserError(err) };
	}
}

/** Ask the proxy process on `path`; rejects when it does not answer within `timeoutMs`. */
export function ask(path: string, req: Request, timeoutMs = 5000): Promise<PairStatus[]> {
	return new Promise((resolve, reject) => {
		const socket = connect(path);
		let text = '';
		const timer = setTimeout(() => {
			socket.destroy();
			reject(new UserError(`the link proxies (${path}) did not answer within ${timeoutMs / 1000} s`));
		}, timeoutMs);
		socket.setEncoding('utf8');
		socket.on('data', (t: string) => {
			text += t;
		});
		socket.on('error', (err) => {
			clearTimeout(timer);
			reject(new UserError(`the link proxies are not running (${path}: ${err.message})`, { cause: err }));
		});
		socket.on('end', () => {
			clearTimeout(timer);
			try {
				const reply = JSON.parse(text) as Reply;
				if (reply.ok) resolve(reply.pairs);
				else reject(reply.userError ? new UserError(reply.error) : new Error(reply.error));
			} catch (err) {
				reject(
					new Error(`the link proxies answered something unreadable: ${text.slice(0, 80)}`, { cause: err }),
				);
			}
		});
		socket.write(`${JSON.stringify(req)}\n`);
	});
}

/** A LinkControl that is a client of the proxy process (a detached cluster's links). */
export class RemoteLinks implements LinkControl {
	constructor(readonly socketPath: string) {}
	apply(op: LinkOp): Promise<PairStatus[]> {
		return ask(this.socketPath, { apply: op });
	}
	status(): Promise<PairStatus[]> {
		return ask(this.socketPath, { status: true });
	}
	/** The proxies belong to their process, which `cluster down` stops: a client has nothing to close. */
	async close(): Promise<void> {}
}
