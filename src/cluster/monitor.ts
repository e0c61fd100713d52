// The few reads the cluster layer needs by itself: is a client port open, and
// which meta leader a node names. HTTP goes through the one monitoring client.
import { connect } from 'node:net';
import type { NodeName } from '../base/names.js';
import { monitoringGetJson } from '../monitoring/http.js';
import { metaLeaderOf } from '../monitoring/normalize.js';

/**
 * True when 127.0.0.1:port accepts a TCP connection. The probe is closed with a reset, not a
 * FIN, so it leaves no TIME_WAIT socket behind: polling every few ms would otherwise park
 * hundreds of local ports for a minute, and a parked port cannot be bound by a server.
 */
export function tcpAccepts(port: number, timeoutMs = 500): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({ host: '127.0.0.1', port });
		const done = (ok: boolean) => {
			if (ok) socket.resetAndDestroy();
			else socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(timeoutMs, () => done(false));
		socket.once('connect', () => done(true));
		socket.once('error', () => done(false));
	});
}

/** One node's meta leader as its /jsz reports it; null when unknown or unreachable. */
export async function metaLeaderAt(httpUrl: string, timeoutMs = 1000): Promise<NodeName | null> {
	try {
		const answer = await monitoringGetJson(`${httpUrl}/jsz`, timeoutMs);
		return answer.status === 200 ? metaLeaderOf(answer.body) : null;
	} catch {
		return null;
	}
}
