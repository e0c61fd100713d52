// Sorts a JetStream failure from nats.js v3 into the kinds a lesson explains.
// Rules from docs/nats-behavior.md §14.3 (measured shapes of 3.4.0): test `name` and
// causes, never `instanceof` (a second copy of the package would break it) and
// never the message text (no-responders says "jetstream is not enabled").
import type { JsFailureKind } from '../observe/events.js';

/** JetStream API error code for "JetStream system temporarily unavailable" (status 503). */
export const JS_UNAVAILABLE_CODE = 10008;

const API_ERROR_NAMES = new Set(['JetStreamApiError', 'StreamNotFoundError', 'ConsumerNotFoundError']);

interface ErrorLike {
	name?: unknown;
	message?: unknown;
	cause?: unknown;
}

function asErrorLike(value: unknown): ErrorLike | null {
	return typeof value === 'object' && value !== null ? (value as ErrorLike) : null;
}

/** A RequestError whose cause is a NoRespondersError (what `nc.request` rejects with on a 503 status). */
function isNoRespondersRequestError(value: unknown): boolean {
	const err = asErrorLike(value);
	if (err?.name !== 'RequestError') return false;
	const probe = (err as { isNoResponders?: unknown }).isNoResponders;
	if (typeof probe === 'function' && probe.call(err) === true) return true;
	return asErrorLike(err.cause)?.name === 'NoResponders';
}

function isNoResponders(err: ErrorLike): boolean {
	// js.publish and every jsm call wrap a no-responders RequestError in JetStreamNotEnabled.
	if (err.name === 'JetStreamNotEnabled') return isNoRespondersRequestError(err.cause);
	return isNoRespondersRequestError(err);
}

/** The 5-digit JetStream API code (`err_code`) of a JetStreamApiError or subclass, else null. */
export function jsApiCode(value: unknown): number | null {
	const err = asErrorLike(value);
	if (!err) return null;
	const apiError = (err as { apiError?: unknown }).apiError;
	if (!API_ERROR_NAMES.has(String(err.name)) && typeof apiError !== 'function') return null;
	// `code` is a prototype getter: it never shows in JSON or spreads, read it explicitly.
	const code = (err as { code?: unknown }).code;
	return typeof code === 'number' ? code : null;
}

export function classifyJsError(err: unknown): JsFailureKind {
	const e = asErrorLike(err);
	if (!e) return 'other';
	if (e.name === 'TimeoutError') return 'timeout';
	if (isNoResponders(e)) return 'noResponders';
	if (jsApiCode(e) === JS_UNAVAILABLE_CODE) return 'unavailable';
	return 'other';
}

/**
 * One line that says what really happened. For no-responders the outer message
 * ("jetstream is not enabled") is misleading, so the cause's text is used.
 */
export function describeJsError(err: unknown): string {
	const e = asErrorLike(err);
	if (!e) return String(err);
	if (e.name === 'JetStreamNotEnabled' && isNoRespondersRequestError(e.cause)) {
		const cause = asErrorLike(e.cause);
		return typeof cause?.message === 'string' && cause.message ? cause.message : 'no responders';
	}
	const message = typeof e.message === 'string' && e.message ? e.message : String(e.name ?? 'error');
	const code = jsApiCode(e);
	return code !== null ? `${message} (${code})` : message;
}
