// A lesson or a command line can set probe rates and client options: bad values
// become one clear line (UserError), never a probe that silently does nothing.
import { UserError } from '../base/errors.js';
import type { ProbeOptions, ProbeSpec } from './spec.js';

const MAX_RATE = 1000;

/** Minimum of each numeric client option (-1 means "forever" for maxReconnectAttempts). */
const NUMERIC_MINIMUM: Record<string, number> = {
	reconnectTimeWait: 0,
	reconnectJitter: 0,
	maxReconnectAttempts: -1,
	pingInterval: 1,
	maxPingOut: 1,
	timeout: 1,
};
const BOOLEAN_OPTIONS = new Set(['ignoreClusterUpdates', 'waitOnFirstConnect']);

function checkOptions(kind: string, options: ProbeOptions): void {
	for (const [name, value] of Object.entries(options)) {
		if (value === undefined) continue;
		const min = NUMERIC_MINIMUM[name];
		if (min !== undefined) {
			if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
				throw new UserError(
					`${kind} probe option ${name} must be a whole number ≥ ${min} (got ${JSON.stringify(value)})`,
				);
			}
		} else if (BOOLEAN_OPTIONS.has(name)) {
			if (typeof value !== 'boolean') {
				throw new UserError(
					`${kind} probe option ${name} must be true or false (got ${JSON.stringify(value)})`,
				);
			}
		} else {
			throw new UserError(`unknown ${kind} probe option ${name}`);
		}
	}
}

export function validateSpecs(specs: ProbeSpec[]): void {
	for (const spec of specs) {
		if (spec.kind !== 'core' && spec.kind !== 'jetstream') {
			throw new UserError(`unknown probe kind ${JSON.stringify(spec.kind)} (expected core or jetstream)`);
		}
		const { rate } = spec;
		if (
			rate !== undefined &&
			!(typeof rate === 'number' && Number.isFinite(rate) && rate > 0 && rate <= MAX_RATE)
		) {
			throw new UserError(
				`${spec.kind} probe rate must be a number of messages per second between 0 and ${MAX_RATE} (got ${JSON.stringify(rate)})`,
			);
		}
		checkOptions(spec.kind, spec.options ?? {});
	}
}

export function requireServers(servers: string[], who: string): void {
	if (servers.length === 0) throw new Error(`${who}: no server URLs given`);
}
