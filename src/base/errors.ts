// A UserError is bad input or a broken environment: the CLI prints its message
// as one line (no stack) and exits non-zero. Anything else is a bug.
export class UserError extends Error {
	override name = 'UserError';
	constructor(
		message: string,
		readonly exitCode = 1,
	) {
		super(message);
	}
}

export function isUserError(err: unknown): err is UserError {
	return err instanceof Error && err.name === 'UserError';
}
