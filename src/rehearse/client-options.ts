// `rehearse --client-options FILE`: the nats.js connection options of the
// user's applications, for every client of the rehearsal (the lab's probes and
// the publishers of --streams), so the reconnect gaps in the report are theirs.

import { EXIT, UserError } from '../base/errors.js';
import type { ProbeOptions } from '../probes/spec.js';

/** The options that change how a client notices a dead server and comes back (milliseconds, counts). */
const NUMERIC: Record<string, { min: number; text: string }> = {
	pingInterval: { min: 1, text: 'ms between client pings' },
	maxPingOut: { min: 1, text: 'unanswered pings before a disconnect' },
	reconnectTimeWait: { min: 0, text: 'ms to wait before redialling a server' },
	reconnectJitter: { min: 0, text: 'random extra ms on each wait' },
	maxReconnectAttempts: { min: -1, text: 'redials per server (-1: forever)' },
	timeout: { min: 1, text: 'ms a connect attempt may take' },
};

export const CLIENT_OPTION_NAMES = Object.keys(NUMERIC);

function refuse(file: string, path: string, text: string): UserError {
	return new UserError(`--client-options ${file}: ${path ? `${path}: ` : ''}${text}`, EXIT.usage);
}

export function parseClientOptions(text: string, file: string): ProbeOptions {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (err) {
		throw refuse(file, '', `not JSON: ${err instanceof Error ? err.message : String(err)}`);
	}
	if (typeof data !== 'object' || data === null || Array.isArray(data))
		throw refuse(file, '', 'expected one JSON object of nats.js connection options');
	const out: Record<string, number> = {};
	for (const [key, value] of Object.entries(data)) {
		const spec = NUMERIC[key];
		if (!spec)
			throw refuse(
				file,
				key,
				`not an option natslab applies (it applies: ${CLIENT_OPTION_NAMES.join(', ')})`,
			);
		if (typeof value !== 'number' || !Number.isInteger(value) || value < spec.min)
			throw refuse(
				file,
				key,
				`must be a whole number ≥ ${spec.min} (${spec.text}), not ${JSON.stringify(value)}`,
			);
		out[key] = value;
	}
	return out as ProbeOptions;
}
