// A lab that could not start because its nats-server binary cannot be had (not
// cached, and no source had it: unreachable or not published; a bad checksum is a failure). The course skips a lesson that runs
// on its own version (lesson 12 needs 2.12+) for this reason rather than fail.

import { UserError } from '../base/errors.js';

export class VersionUnavailable extends UserError {
	/** The version that could not be had; read by unavailableVersionOf (works across module copies). */
	readonly unavailableVersion: string;
	constructor(version: string, cause: UserError) {
		super(cause.message, { exitCode: cause.exitCode, cause });
		this.unavailableVersion = version;
	}
}

/** The version a lab failed for want of, or null when it failed for another reason. */
export function unavailableVersionOf(err: unknown): string | null {
	const v = (err as { unavailableVersion?: unknown } | null)?.unavailableVersion;
	return typeof v === 'string' ? v : null;
}
