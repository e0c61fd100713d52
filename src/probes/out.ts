// How a probe reports: every fact becomes a ClientEvent in the lab's one event
// stream. A throwing listener must never take a probe loop down with it.
import {
	type ClientEvent,
	type ClientStatusType,
	type JsFailureKind,
	noMessages,
	type ProbeCounters,
	type ProbeKind,
	type VerifyResult,
} from '../observe/events.js';

export type Emit = (event: ClientEvent) => void;

export class ProbeOut {
	constructor(
		readonly id: ProbeKind,
		private readonly emitFn: Emit,
		readonly now: () => number,
	) {}

	status(status: ClientStatusType, server?: string, detail?: string, connectUrls?: string[]): void {
		this.send({
			kind: 'client',
			probe: this.id,
			probeKind: this.id,
			at: this.now(),
			type: 'status',
			status,
			...(server ? { server } : {}),
			...(detail ? { detail } : {}),
			...(connectUrls && connectUrls.length > 0 ? { connectUrls } : {}),
		});
	}

	counters(counters: ProbeCounters): void {
		this.send({
			kind: 'client',
			probe: this.id,
			probeKind: this.id,
			at: this.now(),
			type: 'counters',
			counters,
		});
	}

	failure(failure: JsFailureKind, message: string): void {
		this.send({
			kind: 'client',
			probe: this.id,
			probeKind: this.id,
			at: this.now(),
			type: 'jsFailure',
			failure,
			message,
		});
	}

	verified(result: VerifyResult): void {
		this.send({
			kind: 'client',
			probe: this.id,
			probeKind: this.id,
			at: this.now(),
			type: 'verified',
			result,
		});
	}

	private send(event: ClientEvent): void {
		try {
			this.emitFn(event);
		} catch {
			// The listener's bug is not the probe's: keep measuring.
		}
	}
}

export function emptyCounters(): ProbeCounters {
	return { ...noMessages(), maxGapMs: 0, rate: 0 };
}
